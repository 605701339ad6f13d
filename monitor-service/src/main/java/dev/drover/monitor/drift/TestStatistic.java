package dev.drover.monitor.drift;

/**
 * The outcome of a hypothesis test on explicit inputs: its statistic and its p-value (the probability, under the
 * hypothesis that nothing drifted, of a statistic at least as extreme).
 */
public record TestStatistic(double statistic, double pValue) {
}

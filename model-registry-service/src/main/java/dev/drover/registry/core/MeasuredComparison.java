package dev.drover.registry.core;

/**
 * A champion/challenger comparison the caller measured on the same data — a retraining run that scored both the
 * champion and its challenger on recent labelled production rows neither was trained on — to be judged instead of
 * the metrics each version was registered with, which come from different test sets.
 *
 * @param challengerValue the challenger's value of the metric on the data
 * @param championVersion the version measured as the alias holder, or null when none held it; the decider refuses a
 *                        comparison with a holder that is no longer the one measured
 * @param championValue   its value on the same data, or null with no holder
 * @param evaluationData  what both were measured on, for the record (e.g. the data's locations)
 * @param runId           the run that measured them, or null
 * @param driftReportId   the drift report whose retrain request started that run, or null
 */
public record MeasuredComparison(double challengerValue, Integer championVersion, Double championValue,
                                 String evaluationData, String runId, String driftReportId) {
}

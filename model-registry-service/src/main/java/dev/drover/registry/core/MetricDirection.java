package dev.drover.registry.core;

/** Which way a metric improves. */
public enum MetricDirection {
    /** Greater is better (accuracy, AUC). */
    GREATER,
    /** Smaller is better (loss, RMSE). */
    SMALLER
}

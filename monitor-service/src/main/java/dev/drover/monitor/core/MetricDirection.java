package dev.drover.monitor.core;

/** Which way a performance metric improves, and so which way it degrades. */
public enum MetricDirection {
    /** Greater is better (accuracy, AUC): a fall below the baseline is a drop. */
    GREATER,
    /** Smaller is better (loss, RMSE): a rise above the baseline is a drop. */
    SMALLER
}

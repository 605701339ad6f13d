package dev.drover.monitor.drift;

/**
 * What the monitor keeps of one feature's production values during a window: a sketch of constant size, however
 * many rows arrive. Not thread-safe; merge windows kept by different threads or partitions with their
 * {@code merge} method.
 */
public sealed interface FeatureWindow permits NumericWindow, CategoricalWindow {

    /** How many non-missing values the window has seen. */
    long count();

    /** How many missing values (NaN, null) the window has seen. */
    long missingCount();
}

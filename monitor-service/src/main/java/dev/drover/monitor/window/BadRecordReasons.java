package dev.drover.monitor.window;

/**
 * Why a prediction or label was set aside, as counted per model in a window's {@code badRecords} (docs/monitor.md
 * lists them with what to fix).
 */
public final class BadRecordReasons {
    /** The record could not be read (also dead-lettered with the decoder's message). */
    public static final String UNDECODABLE = "undecodable";
    /** A feature of the feature set is absent from the prediction's features. */
    public static final String MISSING_FEATURE = "missing_feature";
    /** The prediction has a feature the feature set does not declare. */
    public static final String EXTRA_FEATURE = "extra_feature";
    /** A value of the wrong type: a string for a numeric feature, a number for a categorical one, and so on. */
    public static final String WRONG_TYPE = "wrong_type";
    /** NaN or an infinite number. */
    public static final String NON_FINITE = "non_finite";
    /** A prediction whose timestamp falls before the open window of a model windowed by time. */
    public static final String LATE = "late";
    /** A label whose request id is not among the model's recent predictions. */
    public static final String UNKNOWN_REQUEST = "unknown_request";
    /** A label of a prediction served by another version than the champion the window compares. */
    public static final String NOT_CHAMPION = "not_champion";
    /** A label, or a prediction, that cannot be scored with the degradation policy's metric. */
    public static final String UNSCORABLE = "unscorable";
    /** A prediction that arrived while the model had no reference (no champion or no feature-set statistics). */
    public static final String NO_REFERENCE = "no_reference";
    /** Prefix: the rows of a window for a feature whose test could not be computed (e.g. too few values). */
    public static final String UNTESTED_PREFIX = "untested:";

    private BadRecordReasons() {
    }
}

package dev.drover.monitor.core;

/** Why a monitor command was not carried out. */
public enum RejectionCode {
    /** The state already is what the command asks for (not an error: a REST API answers success). */
    UNCHANGED,
    /** The model is not monitored: configure monitoring first. */
    NOT_CONFIGURED,
    /** The command's input is invalid; the message lists every problem. */
    INVALID_ARGUMENT,
    /** A window with this id was already recorded (a resent window). */
    DUPLICATE_WINDOW,
    /** The window ends before the latest recorded one: windows are recorded in the order they close. */
    STALE_WINDOW,
    /** Performance was reported, but the model's policy has no degradation policy to judge it by. */
    NO_DEGRADATION_POLICY,
    /** Performance was reported on another metric than the one the degradation policy watches. */
    METRIC_MISMATCH,
    /** The drift report named does not exist or requested no retrain. */
    REPORT_NOT_FOUND
}

package dev.drover.platform.security;

/**
 * What a route needs of its caller. Every route of every service declares exactly one with
 * {@link RequiresPermission}; roles ({@link Role}) are named sets of them. See docs/security.md for the matrix.
 */
public enum Permission {
    /** Read pipelines, runs, logs, models, monitors and reports: everything but secrets and identities. */
    READ,
    /** Start, cancel, clear and mark runs; pause and resume schedules; start and cancel backfills. */
    OPERATE,
    /** Publish data into Drover: CloudEvents, asset updates, predictions and labels. */
    PUBLISH,
    /** Register and change pipelines: the power to run code on the executors. */
    AUTHOR,
    /** Create models, register versions, edit tags and descriptions, move unprotected aliases, request promotions. */
    MODEL_WRITE,
    /** Approve or reject changes of protected aliases, roll aliases back, protect aliases, delete models. */
    APPROVE,
    /** Accounts, grants, tokens, secrets, pools, read-model rebuilds and quarantines, service status. */
    ADMIN
}

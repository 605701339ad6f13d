package dev.drover.registry.core;

/**
 * Why a registry command was not carried out. The REST API maps each to an HTTP status and, on the MLflow routes,
 * to an MLflow error code (see {@code docs/registry.md}).
 */
public enum RejectionCode {
    /** The state already is what the command asks for (not an error: the REST API answers success). */
    UNCHANGED,
    MODEL_NOT_FOUND,
    MODEL_EXISTS,
    VERSION_NOT_FOUND,
    /** A model or feature-set name breaks the naming rules. */
    INVALID_NAME,
    /** An alias name breaks MLflow's alias rules. */
    INVALID_ALIAS,
    /** Any other invalid input: tags, parameters, metrics, criteria, policies, schemas, statistics. */
    INVALID_ARGUMENT,
    /** The alias is protected and the command cannot go through approval (deleting it). */
    ALIAS_PROTECTED,
    /** The protected alias already has a pending request; decide that one first. */
    APPROVAL_PENDING,
    APPROVAL_NOT_FOUND,
    /** The requester of a move tried to approve or reject it. */
    SELF_REVIEW,
    /** The alias moved after the request was made; the request no longer describes the change it would make. */
    STALE_APPROVAL,
    /** Nothing to roll back to. */
    NO_ALIAS_HISTORY,
    /** A version to compare lacks the metric the comparison is on. */
    MISSING_METRIC,
    NO_RETENTION_POLICY
}

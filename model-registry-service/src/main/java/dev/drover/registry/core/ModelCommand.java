package dev.drover.registry.core;

import java.util.Map;

/**
 * Everything a registered model can be asked to do: the imperative half of its vocabulary (events are in
 * {@link ModelEvent}). Commands are keyed by model name, so all commands about one model are decided one after the
 * other against the state the previous decision left — which is what makes version numbers gap-free and distinct
 * however many pipelines register versions at once.
 *
 * <p>Every command has an id, which becomes the causation id of the events decided from it, and the principal who
 * issued it ({@code requestedBy}: a user, or a pipeline's task), which the events record as {@code by}.
 */
public sealed interface ModelCommand {

    /** The alias {@link PromoteIfBetter} moves unless told otherwise. */
    String CHAMPION = "champion";

    /** Unique id of this command (also the idempotency key of a REST write). */
    String commandId();

    /** The registered model this command concerns: the aggregate and partition key. */
    String modelName();

    /** Who asked. */
    String requestedBy();

    /** Create a registered model. */
    record CreateModel(String commandId, String modelName, String description, Map<String, String> tags,
                       String requestedBy) implements ModelCommand {
        public CreateModel {
            tags = Copies.sorted(tags);
        }
    }

    /**
     * Register a new version; its number is the next one after the model's latest.
     *
     * @param artifactLocation     where the model's files are (MLflow's {@code source})
     * @param metrics              the version's evaluation metrics, compared by {@link PromoteIfBetter}
     * @param createModelIfMissing create the model in the same decision if it does not exist (what a training task
     *                             wants; the MLflow API's create-model-version does not)
     */
    record RegisterVersion(String commandId, String modelName, String artifactLocation, String description,
                           Map<String, String> params, Map<String, Double> metrics, Lineage lineage,
                           Map<String, String> tags, boolean createModelIfMissing, String requestedBy)
            implements ModelCommand {
        public RegisterVersion {
            params = Copies.sorted(params);
            metrics = Copies.sorted(metrics);
            tags = Copies.sorted(tags);
            lineage = lineage == null ? Lineage.NONE : lineage;
        }
    }

    /** Point an alias at a version (a protected alias: ask for approval instead). */
    record SetAlias(String commandId, String modelName, String alias, int version, String reason,
                    String requestedBy) implements ModelCommand, AliasCommand {
    }

    /** Remove an alias (refused while it is protected). */
    record DeleteAlias(String commandId, String modelName, String alias, String reason, String requestedBy)
            implements ModelCommand, AliasCommand {
    }

    /** From now on, moving this alias needs the approval of a second principal. The alias need not exist yet. */
    record ProtectAlias(String commandId, String modelName, String alias, String reason, String requestedBy)
            implements ModelCommand, AliasCommand {
    }

    /** Moving this alias no longer needs approval; requests already pending stay pending. */
    record UnprotectAlias(String commandId, String modelName, String alias, String reason, String requestedBy)
            implements ModelCommand, AliasCommand {
    }

    /** Approve a pending move of a protected alias; {@code requestedBy} (the approver) must not be the requester. */
    record ApproveAliasChange(String commandId, String modelName, String requestId, String comment,
                              String requestedBy) implements ModelCommand {
    }

    /** Turn down a pending move of a protected alias; {@code requestedBy} must not be the requester. */
    record RejectAliasChange(String commandId, String modelName, String requestId, String comment,
                             String requestedBy) implements ModelCommand {
    }

    /** Point an alias back at the version that held it before its latest change. */
    record RollbackAlias(String commandId, String modelName, String alias, String reason, String requestedBy)
            implements ModelCommand, AliasCommand {
    }

    /** Replace the model's description (null: none), as MLflow's update-registered-model does. */
    record UpdateModelDescription(String commandId, String modelName, String description, String requestedBy)
            implements ModelCommand {
    }

    /** Replace a version's description (null: none), as MLflow's update-model-version does. */
    record UpdateVersionDescription(String commandId, String modelName, int version, String description,
                                    String requestedBy) implements ModelCommand {
    }

    /** Set (or overwrite) a tag of the model. */
    record SetModelTag(String commandId, String modelName, String key, String value, String requestedBy)
            implements ModelCommand {
    }

    /** Remove a tag of the model. */
    record DeleteModelTag(String commandId, String modelName, String key, String requestedBy)
            implements ModelCommand {
    }

    /** Set (or overwrite) a tag of a version. */
    record SetVersionTag(String commandId, String modelName, int version, String key, String value,
                         String requestedBy) implements ModelCommand {
    }

    /** Remove a tag of a version. */
    record DeleteVersionTag(String commandId, String modelName, int version, String key, String requestedBy)
            implements ModelCommand {
    }

    /**
     * Move a version to an MLflow stage.
     *
     * @param archiveExistingVersions archive every other version in the target stage (only for Staging and
     *                                Production, as in MLflow)
     */
    record TransitionStage(String commandId, String modelName, int version, ModelStage stage,
                           boolean archiveExistingVersions, String requestedBy) implements ModelCommand {
    }

    /**
     * Move {@code alias} (default {@value #CHAMPION}) to {@code challengerVersion} if it beats the current holder on
     * the criteria, or record why not. With no current holder the challenger takes the alias.
     */
    record PromoteIfBetter(String commandId, String modelName, String alias, int challengerVersion,
                           PromotionCriteria criteria, String requestedBy, MeasuredComparison measured)
            implements ModelCommand, AliasCommand {
        public PromoteIfBetter {
            alias = alias == null ? CHAMPION : alias;
        }

        /** A promotion judged on the versions' registered metrics. */
        public PromoteIfBetter(String commandId, String modelName, String alias, int challengerVersion,
                               PromotionCriteria criteria, String requestedBy) {
            this(commandId, modelName, alias, challengerVersion, criteria, requestedBy, null);
        }
    }

    /** Set the model's retention policy, applied by {@link ApplyRetention}. */
    record SetRetentionPolicy(String commandId, String modelName, RetentionPolicy policy, String requestedBy)
            implements ModelCommand {
    }

    /**
     * Archive the versions the model's retention policy does not keep. Appended on a schedule (a logged timer), so
     * {@code now} decides what "newer than" means and replay never re-evaluates it.
     */
    record ApplyRetention(String commandId, String modelName, String requestedBy) implements ModelCommand {
    }

    /** A command about one alias; its name is checked against the alias rules before anything else. */
    sealed interface AliasCommand permits SetAlias, DeleteAlias, ProtectAlias, UnprotectAlias, RollbackAlias,
            PromoteIfBetter {
        String alias();
    }
}

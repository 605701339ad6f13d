package dev.drover.registry.core;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything that has happened to a registered model: the past-tense half of its vocabulary, and the only input of
 * {@link RegisteredModelState#apply}. The envelope (event id, causation and correlation ids) is added by the loop
 * that appends them; {@code at} is the moment the registry took the command, and {@code by} the principal whose
 * command it was.
 *
 * <p>Every change of an alias is an {@link AliasChanged} event carrying who, when, why and the version it replaced,
 * so the alias history is simply the list of those events.
 */
public sealed interface ModelEvent {

    /** The registered model this event belongs to: the aggregate and partition key. */
    String modelName();

    /** The model was created. */
    record ModelCreated(String modelName, String description, Map<String, String> tags, String by, Instant at)
            implements ModelEvent {
        public ModelCreated {
            tags = Copies.sorted(tags);
        }
    }

    /** A version was registered with the next number. */
    record VersionRegistered(String modelName, int version, String artifactLocation, String description,
                             Map<String, String> params, Map<String, Double> metrics, Lineage lineage,
                             Map<String, String> tags, String by, Instant at) implements ModelEvent {
        public VersionRegistered {
            params = Copies.sorted(params);
            metrics = Copies.sorted(metrics);
            tags = Copies.sorted(tags);
            lineage = lineage == null ? Lineage.NONE : lineage;
        }
    }

    /** The model's description was replaced (null: it has none now). */
    record ModelDescriptionUpdated(String modelName, String description, String by, Instant at)
            implements ModelEvent {
    }

    /** A version's description was replaced (null: it has none now). */
    record VersionDescriptionUpdated(String modelName, int version, String description, String by, Instant at)
            implements ModelEvent {
    }

    /** A model tag was set or overwritten. */
    record ModelTagSet(String modelName, String key, String value, String by, Instant at) implements ModelEvent {
    }

    /** A model tag was removed. */
    record ModelTagDeleted(String modelName, String key, String by, Instant at) implements ModelEvent {
    }

    /** A version tag was set or overwritten. */
    record VersionTagSet(String modelName, int version, String key, String value, String by, Instant at)
            implements ModelEvent {
    }

    /** A version tag was removed. */
    record VersionTagDeleted(String modelName, int version, String key, String by, Instant at)
            implements ModelEvent {
    }

    /** A version moved from one stage to another. */
    record VersionStageTransitioned(String modelName, int version, ModelStage from, ModelStage to, String by,
                                    Instant at) implements ModelEvent {
    }

    /**
     * Versions moved to stage Archived together: by retention, or because another version entered their stage with
     * {@code archive_existing_versions}. They stay in the model's history.
     */
    record VersionsArchived(String modelName, List<Integer> versions, String reason, String by, Instant at)
            implements ModelEvent {
        public VersionsArchived {
            versions = Copies.list(versions);
        }
    }

    /** The model's retention policy was set. */
    record RetentionPolicySet(String modelName, RetentionPolicy policy, String by, Instant at)
            implements ModelEvent {
    }

    /** Moving the alias now needs approval. */
    record AliasProtected(String modelName, String alias, String reason, String by, Instant at)
            implements ModelEvent {
    }

    /** Moving the alias no longer needs approval. */
    record AliasUnprotected(String modelName, String alias, String reason, String by, Instant at)
            implements ModelEvent {
    }

    /**
     * A move of a protected alias waits for a second principal's approval.
     *
     * @param requestId       the id of the command that asked for the move; approvals and rejections name it
     * @param previousVersion the version the alias pointed at when the move was asked for (null: not set); the
     *                        approval is refused if the alias has moved since
     * @param evaluation      the comparison, when a promotion asked for the move
     */
    record AliasChangeRequested(String modelName, String requestId, String alias, Integer previousVersion,
                                int version, AliasMoveKind kind, String reason, PromotionEvaluation evaluation,
                                String by, Instant at) implements ModelEvent {
    }

    /** A pending move was approved; the {@link AliasMoved} that carries it out follows in the same decision. */
    record AliasChangeApproved(String modelName, String requestId, String alias, String comment, String by,
                               Instant at) implements ModelEvent {
    }

    /** A pending move was turned down; the alias stays where it is. */
    record AliasChangeRejected(String modelName, String requestId, String alias, String comment, String by,
                               Instant at) implements ModelEvent {
    }

    /**
     * The alias now points at {@code version}.
     *
     * @param previousVersion the version it pointed at before (null: it was not set)
     * @param by              who asked for the move (for an approved move, the requester; the approver is in
     *                        {@code approval})
     * @param evaluation      the comparison, for a promotion
     * @param approval        the approval, for a protected alias
     */
    record AliasMoved(String modelName, String alias, Integer previousVersion, int version, AliasMoveKind kind,
                      String reason, PromotionEvaluation evaluation, Approval approval, String by, Instant at)
            implements ModelEvent, AliasChanged {
        @Override
        public Integer newVersion() {
            return version;
        }
    }

    /** The alias was removed; it pointed at {@code previousVersion}. */
    record AliasDeleted(String modelName, String alias, Integer previousVersion, String reason, String by,
                        Instant at) implements ModelEvent, AliasChanged {
        @Override
        public Integer newVersion() {
            return null;
        }
    }

    /**
     * A challenger did not beat the alias holder; the evaluation has the numbers, {@code reason} says it in words.
     * Changes no decision state: it is logged so that the decision is part of the model's history.
     */
    record PromotionDeclined(String modelName, String alias, PromotionEvaluation evaluation, String reason,
                             String by, Instant at) implements ModelEvent {
    }

    /**
     * A command was not carried out; {@code code} says why in one word and {@code message} in a sentence that says
     * how to fix it. Changes no state; it is logged so that the caller (and anyone reading the history) learns the
     * outcome.
     */
    record ModelCommandRejected(String modelName, String commandId, RejectionCode code, String message)
            implements ModelEvent, Rejection {
    }

    /** One entry of an alias's history: a move or a removal. */
    sealed interface AliasChanged permits AliasMoved, AliasDeleted {
        String alias();

        /** The version the alias pointed at before (null: it was not set). */
        Integer previousVersion();

        /** The version it points at after (null: removed). */
        Integer newVersion();

        String reason();

        String by();

        Instant at();
    }
}

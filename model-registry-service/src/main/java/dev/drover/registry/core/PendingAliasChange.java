package dev.drover.registry.core;

import dev.drover.registry.core.ModelEvent.AliasChangeRequested;

import java.time.Instant;

/**
 * A move of a protected alias waiting for a second principal: approve it and the alias moves, reject it and nothing
 * changes.
 *
 * @param previousVersion the version the alias pointed at when the move was asked for (null: not set)
 * @param evaluation      the comparison, when a promotion asked for the move
 */
public record PendingAliasChange(String requestId, String alias, Integer previousVersion, int version,
                                 AliasMoveKind kind, String reason, PromotionEvaluation evaluation,
                                 String requestedBy, Instant requestedAt) {

    static PendingAliasChange of(AliasChangeRequested e) {
        return new PendingAliasChange(e.requestId(), e.alias(), e.previousVersion(), e.version(), e.kind(),
                e.reason(), e.evaluation(), e.by(), e.at());
    }
}

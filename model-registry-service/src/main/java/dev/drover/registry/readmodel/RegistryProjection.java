package dev.drover.registry.readmodel;

import dev.drover.registry.core.FeatureSetEvent;
import dev.drover.registry.core.FeatureSetEvent.FeatureSetCommandRejected;
import dev.drover.registry.core.FeatureSetEvent.FeatureSetVersionRegistered;
import dev.drover.registry.core.Lineage;
import dev.drover.registry.core.ModelEvent;
import dev.drover.registry.core.ModelEvent.AliasChangeApproved;
import dev.drover.registry.core.ModelEvent.AliasChangeRejected;
import dev.drover.registry.core.ModelEvent.AliasChangeRequested;
import dev.drover.registry.core.ModelEvent.AliasDeleted;
import dev.drover.registry.core.ModelEvent.AliasMoved;
import dev.drover.registry.core.ModelEvent.AliasProtected;
import dev.drover.registry.core.ModelEvent.AliasUnprotected;
import dev.drover.registry.core.ModelEvent.ModelCommandRejected;
import dev.drover.registry.core.ModelEvent.ModelCreated;
import dev.drover.registry.core.ModelEvent.ModelTagDeleted;
import dev.drover.registry.core.ModelEvent.ModelTagSet;
import dev.drover.registry.core.ModelEvent.PromotionDeclined;
import dev.drover.registry.core.ModelEvent.RetentionPolicySet;
import dev.drover.registry.core.ModelEvent.VersionRegistered;
import dev.drover.registry.core.ModelEvent.VersionStageTransitioned;
import dev.drover.registry.core.ModelEvent.VersionTagDeleted;
import dev.drover.registry.core.ModelEvent.VersionTagSet;
import dev.drover.registry.core.ModelEvent.VersionsArchived;
import dev.drover.registry.core.ModelStage;
import dev.drover.registry.core.Rejection;
import dev.drover.registry.wire.EventEnvelope;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * Applies registry events to the read model's tables ({@code db/registry/V1__registry_read_model.sql}): the one
 * place where the tables change, live and during a rebuild alike.
 *
 * <p>Each call works through the caller's connection, inside the caller's transaction, so that the projector can
 * commit a batch of events together with the log offsets they reached. Applying an event twice is harmless: every
 * model event is first recorded in {@code model_events} by its id, and an event found there is not applied again
 * (feature-set events are guarded the same way by their version's key). That is what lets a projector whose
 * offsets were lost project the log again over the rows it already has.
 *
 * <p>Stateless and thread-safe.
 */
public final class RegistryProjection {

    /** Every table of the read model, emptied together by a rebuild. */
    public static final List<String> TABLES = List.of("model_version_tags", "model_tags", "model_aliases",
            "protected_aliases", "alias_history", "alias_change_requests", "model_events", "model_versions",
            "registered_models", "feature_set_versions", "feature_sets", "decided_commands", "projection_offsets");

    /**
     * Applies one event that sits at {@code offset} of events partition {@code partition}.
     *
     * @return false if the event was in the read model already (nothing was changed)
     */
    public boolean apply(Connection conn, EventEnvelope envelope, int partition, long offset) throws SQLException {
        Object event = envelope.event();
        boolean applied;
        if (event instanceof ModelEvent e) {
            applied = recordModelEvent(conn, envelope, e);
            if (applied) {
                applyModelEvent(new Sql(conn), envelope, e);
            }
        } else {
            applied = applyFeatureSetEvent(new Sql(conn), envelope, (FeatureSetEvent) event);
        }
        if (envelope.last()) {
            Rejection rejection = event instanceof Rejection r ? r : null;
            int recorded = new Sql(conn).update("insert into decided_commands (command_id, key, partition, last_offset, rejected, "
                            + "rejection_message) values (?, ?, ?, ?, ?, ?) on conflict (command_id) do nothing",
                    envelope.causationId(), envelope.key(), partition, offset,
                    rejection == null ? null : rejection.code().name(),
                    rejection == null ? null : rejection.message());
            if (event instanceof FeatureSetCommandRejected) {
                applied = recorded == 1; // it leaves no other trace
            }
        }
        return applied;
    }

    /** Adds the event to the model's history; false if it is there already. */
    private static boolean recordModelEvent(Connection conn, EventEnvelope envelope, ModelEvent event)
            throws SQLException {
        return new Sql(conn).update("insert into model_events (event_id, model_name, seq, type, causation_id, "
                        + "correlation_id, at, payload) values (?, ?, (select coalesce(max(seq), 0) + 1 "
                        + "from model_events where model_name = ?), ?, ?, ?, ?, ?::jsonb) on conflict (event_id) do nothing",
                envelope.eventId(), event.modelName(), event.modelName(), event.getClass().getSimpleName(),
                envelope.causationId(), envelope.correlationId(), time(envelope.at()), RegistryJson.write(event)) == 1;
    }

    private static void applyModelEvent(Sql sql, EventEnvelope envelope, ModelEvent event) throws SQLException {
        String model = event.modelName();
        if (event instanceof ModelCommandRejected || event instanceof PromotionDeclined) {
            return; // part of the history only
        }
        if (event instanceof ModelCreated e) {
            sql.update("insert into registered_models (name, description, created_at, created_by, updated_at) "
                    + "values (?, ?, ?, ?, ?)", model, e.description(), time(e.at()), e.by(), time(e.at()));
            for (Map.Entry<String, String> tag : e.tags().entrySet()) {
                sql.update("insert into model_tags (model_name, key, value) values (?, ?, ?)", model, tag.getKey(),
                        tag.getValue());
            }
            return;
        }
        if (event instanceof VersionRegistered e) {
            Lineage l = e.lineage();
            sql.update("insert into model_versions (model_name, version, artifact_location, description, params, "
                            + "metrics, run_id, task_id, code_version, feature_set_name, feature_set_version, stage, "
                            + "created_at, created_by, updated_at) values (?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?, "
                            + "?, ?, ?, ?)",
                    model, e.version(), e.artifactLocation(), e.description(), RegistryJson.write(e.params()),
                    RegistryJson.write(e.metrics()), l.runId(), l.taskId(), l.codeVersion(),
                    l.featureSet() == null ? null : l.featureSet().name(),
                    l.featureSet() == null ? null : l.featureSet().version(), ModelStage.NONE.mlflowName(),
                    time(e.at()), e.by(), time(e.at()));
            for (Map.Entry<String, String> tag : e.tags().entrySet()) {
                sql.update("insert into model_version_tags (model_name, version, key, value) values (?, ?, ?, ?)",
                        model, e.version(), tag.getKey(), tag.getValue());
            }
            sql.update("update registered_models set latest_version = greatest(latest_version, ?) where name = ?",
                    e.version(), model);
        } else if (event instanceof ModelTagSet e) {
            sql.update("insert into model_tags (model_name, key, value) values (?, ?, ?) "
                    + "on conflict (model_name, key) do update set value = excluded.value", model, e.key(), e.value());
        } else if (event instanceof ModelTagDeleted e) {
            sql.update("delete from model_tags where model_name = ? and key = ?", model, e.key());
        } else if (event instanceof VersionTagSet e) {
            sql.update("insert into model_version_tags (model_name, version, key, value) values (?, ?, ?, ?) "
                            + "on conflict (model_name, version, key) do update set value = excluded.value",
                    model, e.version(), e.key(), e.value());
            touchVersion(sql, model, e.version(), e.at());
        } else if (event instanceof VersionTagDeleted e) {
            sql.update("delete from model_version_tags where model_name = ? and version = ? and key = ?", model,
                    e.version(), e.key());
            touchVersion(sql, model, e.version(), e.at());
        } else if (event instanceof VersionStageTransitioned e) {
            sql.update("update model_versions set stage = ?, updated_at = ? where model_name = ? and version = ?",
                    e.to().mlflowName(), time(e.at()), model, e.version());
        } else if (event instanceof VersionsArchived e) {
            sql.update("update model_versions set stage = ?, updated_at = ? where model_name = ? "
                            + "and version = any (?)", ModelStage.ARCHIVED.mlflowName(), time(e.at()), model,
                    sql.conn.createArrayOf("integer", e.versions().toArray()));
        } else if (event instanceof RetentionPolicySet e) {
            sql.update("update registered_models set retention_keep_last = ?, retention_keep_newer_than = ? "
                            + "where name = ?", e.policy().keepLastVersions(),
                    e.policy().keepNewerThan().isZero() ? null : e.policy().keepNewerThan().toString(), model);
        } else if (event instanceof AliasProtected e) {
            sql.update("insert into protected_aliases (model_name, alias, reason, protected_by, protected_at) "
                    + "values (?, ?, ?, ?, ?) on conflict (model_name, alias) do update set reason = excluded.reason, "
                    + "protected_by = excluded.protected_by, protected_at = excluded.protected_at",
                    model, e.alias(), e.reason(), e.by(), time(e.at()));
        } else if (event instanceof AliasUnprotected e) {
            sql.update("delete from protected_aliases where model_name = ? and alias = ?", model, e.alias());
        } else if (event instanceof AliasChangeRequested e) {
            sql.update("insert into alias_change_requests (request_id, model_name, alias, previous_version, version, "
                            + "kind, reason, evaluation, requested_by, requested_at, status) "
                            + "values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, 'PENDING')",
                    e.requestId(), model, e.alias(), e.previousVersion(), e.version(), e.kind().name(), e.reason(),
                    jsonOrNull(RegistryJson.evaluation(e.evaluation())), e.by(), time(e.at()));
        } else if (event instanceof AliasChangeApproved e) {
            decideRequest(sql, e.requestId(), "APPROVED", e.by(), e.at(), e.comment());
        } else if (event instanceof AliasChangeRejected e) {
            decideRequest(sql, e.requestId(), "REJECTED", e.by(), e.at(), e.comment());
        } else if (event instanceof AliasMoved e) {
            sql.update("insert into model_aliases (model_name, alias, version, kind, reason, moved_by, moved_at) "
                            + "values (?, ?, ?, ?, ?, ?, ?) on conflict (model_name, alias) do update set "
                            + "version = excluded.version, kind = excluded.kind, reason = excluded.reason, "
                            + "moved_by = excluded.moved_by, moved_at = excluded.moved_at",
                    model, e.alias(), e.version(), e.kind().name(), e.reason(), e.by(), time(e.at()));
            aliasHistory(sql, envelope, model, e.alias(), e.previousVersion(), e.version(), e.kind().name(),
                    e.reason(), jsonOrNull(RegistryJson.evaluation(e.evaluation())),
                    e.approval() == null ? null : RegistryJson.write(e.approval()), e.by(), e.at());
        } else if (event instanceof AliasDeleted e) {
            sql.update("delete from model_aliases where model_name = ? and alias = ?", model, e.alias());
            aliasHistory(sql, envelope, model, e.alias(), e.previousVersion(), null, null, e.reason(), null, null,
                    e.by(), e.at());
        } else {
            throw new IllegalStateException("no projection for " + event.getClass().getName());
        }
        sql.update("update registered_models set updated_at = ? where name = ?", time(envelope.at()), model);
    }

    private static boolean applyFeatureSetEvent(Sql sql, EventEnvelope envelope, FeatureSetEvent event)
            throws SQLException {
        if (event instanceof FeatureSetCommandRejected) {
            return true; // only decided_commands hears of it (see apply)
        }
        if (event instanceof FeatureSetVersionRegistered e) {
            String name = e.featureSetName();
            sql.update("insert into feature_sets (name, latest_version, created_at, updated_at) values (?, ?, ?, ?) "
                            + "on conflict (name) do nothing", name, 0, time(e.at()), time(e.at()));
            int inserted = sql.update("insert into feature_set_versions (name, version, description, schema, "
                            + "data_location, statistics, created_by, created_at, causation_id) "
                            + "values (?, ?, ?, ?::jsonb, ?, ?::jsonb, ?, ?, ?) on conflict (name, version) do nothing",
                    name, e.version(), e.description(), RegistryJson.write(RegistryJson.schema(e.schema())),
                    e.dataLocation(), RegistryJson.write(RegistryJson.statistics(e.statistics())), e.by(),
                    time(e.at()), envelope.causationId());
            if (inserted == 0) {
                return false;
            }
            sql.update("update feature_sets set latest_version = greatest(latest_version, ?), updated_at = ? "
                    + "where name = ?", e.version(), time(e.at()), name);
            return true;
        }
        throw new IllegalStateException("no projection for " + event.getClass().getName());
    }

    private static void touchVersion(Sql sql, String model, int version, Instant at) throws SQLException {
        sql.update("update model_versions set updated_at = ? where model_name = ? and version = ?", time(at), model,
                version);
    }

    private static void decideRequest(Sql sql, String requestId, String status, String by, Instant at,
                                      String comment) throws SQLException {
        sql.update("update alias_change_requests set status = ?, decided_by = ?, decided_at = ?, comment = ? "
                + "where request_id = ?", status, by, time(at), comment, requestId);
    }

    private static void aliasHistory(Sql sql, EventEnvelope envelope, String model, String alias,
                                     Integer previousVersion, Integer version, String kind, String reason,
                                     String evaluation, String approval, String by, Instant at) throws SQLException {
        sql.update("insert into alias_history (event_id, model_name, alias, seq, previous_version, version, kind, "
                        + "reason, evaluation, approval, changed_by, changed_at) values (?, ?, ?, (select "
                        + "coalesce(max(seq), 0) + 1 from alias_history where model_name = ?), ?, ?, ?, ?, ?::jsonb, "
                        + "?::jsonb, ?, ?) on conflict (event_id) do nothing",
                envelope.eventId(), model, alias, model, previousVersion, version, kind, reason, evaluation, approval,
                by, time(at));
    }

    private static String jsonOrNull(Object value) {
        return value == null ? null : RegistryJson.write(value);
    }

    static OffsetDateTime time(Instant at) {
        return at == null ? null : OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }

    /** Prepared statements on one connection, with nulls bound by type. */
    private record Sql(Connection conn) {
        int update(String statement, Object... args) throws SQLException {
            try (PreparedStatement ps = conn.prepareStatement(statement)) {
                for (int i = 0; i < args.length; i++) {
                    bind(ps, i + 1, args[i]);
                }
                return ps.executeUpdate();
            }
        }

        private static void bind(PreparedStatement ps, int index, Object value) throws SQLException {
            if (value == null) {
                ps.setNull(index, Types.NULL);
            } else {
                ps.setObject(index, value);
            }
        }
    }
}

package dev.drover.registry.readmodel;

import dev.drover.platform.readmodel.ReadModelSql;
import dev.drover.platform.readmodel.PageTokens;
import com.fasterxml.jackson.core.type.TypeReference;
import io.micronaut.context.annotation.Requires;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The reads of the registry's read model that its REST API needs. Each read is one SQL statement (tags, aliases and
 * the like are aggregated inside it), so a read costs one round trip to the database however much it returns.
 *
 * <p>What these return can lag the event log by the projector's delay (typically milliseconds); writes wait for
 * their own events with {@link ProjectionProgress#awaitProjected} before reading back.
 */
@Singleton
@Requires(property = "drover.registry.enabled", value = "true")
public class RegistryQueries {
    /** The most items one page of a list may hold. */
    public static final int MAX_PAGE_SIZE = 1000;
    private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Integer>> INTEGERS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Double>> DOUBLES = new TypeReference<>() {
    };

    private static final String MODEL_COLUMNS = "m.name, m.description, m.created_at, m.created_by, m.updated_at, "
            + "m.latest_version, m.retention_keep_last, m.retention_keep_newer_than, "
            + "(select jsonb_object_agg(t.key, t.value)::text from model_tags t where t.model_name = m.name), "
            + "(select jsonb_object_agg(a.alias, a.version)::text from model_aliases a where a.model_name = m.name), "
            + "(select array_agg(p.alias order by p.alias) from protected_aliases p where p.model_name = m.name) ";

    /** Columns 1–17 of a version; {@code v} is model_versions. */
    private static final String VERSION_COLUMNS = "v.model_name, v.version, v.artifact_location, v.description, "
            + "v.params::text, v.metrics::text, v.run_id, v.task_id, v.code_version, v.feature_set_name, "
            + "v.feature_set_version, v.stage, v.created_at, v.created_by, v.updated_at, "
            + "(select jsonb_object_agg(t.key, t.value)::text from model_version_tags t "
            + "where t.model_name = v.model_name and t.version = v.version), "
            + "(select array_agg(a.alias order by a.alias) from model_aliases a "
            + "where a.model_name = v.model_name and a.version = v.version) ";

    private static final String REQUEST_COLUMNS = "request_id, alias, previous_version, version, kind, reason, "
            + "evaluation::text, requested_by, requested_at, status, decided_by, decided_at, comment ";

    private final DataSource dataSource;

    @Inject
    RegistryQueries(@Named("registry") DataSource dataSource, DataSourceResolver resolver) {
        this(resolver.resolve(dataSource));
    }

    /** Reads through a plain (unproxied) data source. */
    public RegistryQueries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    // ---- models

    public Optional<ModelView> model(String name) {
        return first(query("select " + MODEL_COLUMNS + "from registered_models m where m.name = ?", List.of(name),
                RegistryQueries::modelRow));
    }

    /**
     * Models by name, in name order.
     *
     * @param nameLike  a SQL {@code LIKE} pattern matched case-insensitively ({@code %} any run of characters,
     *                  {@code _} one character); null: every model
     * @param pageToken the token of the previous page, or null for the first
     * @throws InvalidQueryException if the limit is out of range or the token is not one this API gave out
     */
    public Page<ModelView> models(String nameLike, int limit, String pageToken) {
        checkLimit(limit);
        String after = decodeToken(pageToken, "model");
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder("select " + MODEL_COLUMNS + "from registered_models m where true");
        if (nameLike != null && !nameLike.isEmpty()) {
            sql.append(" and m.name ilike ?");
            args.add(nameLike);
        }
        if (after != null) {
            sql.append(" and m.name > ?");
            args.add(after);
        }
        sql.append(" order by m.name limit ?");
        args.add(limit + 1);
        List<ModelView> rows = query(sql.toString(), args, RegistryQueries::modelRow);
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        List<ModelView> page = rows.subList(0, limit);
        return new Page<>(page, encodeToken("model", page.get(limit - 1).name()));
    }

    private static ModelView modelRow(ResultSet rs) throws SQLException {
        int keepLast = rs.getInt(7);
        ModelView.Retention retention = rs.wasNull() ? null : new ModelView.Retention(keepLast, rs.getString(8));
        return new ModelView(rs.getString(1), rs.getString(2), sorted(rs.getString(9), STRINGS), instant(rs, 3),
                rs.getString(4), instant(rs, 5), rs.getInt(6), sorted(rs.getString(10), INTEGERS),
                strings(rs.getArray(11)), retention);
    }

    // ---- versions

    public Optional<ModelVersionView> version(String modelName, int version) {
        return first(query("select " + VERSION_COLUMNS + "from model_versions v where v.model_name = ? "
                + "and v.version = ?", List.of(modelName, version), rs -> versionRow(rs, 0)));
    }

    /**
     * A model's versions, newest first.
     *
     * @throws InvalidQueryException if the limit is out of range or the token is not one this API gave out
     */
    public Page<ModelVersionView> versions(String modelName, int limit, String pageToken) {
        checkLimit(limit);
        String before = decodeToken(pageToken, "version");
        List<Object> args = new ArrayList<>(List.of(modelName));
        StringBuilder sql = new StringBuilder("select " + VERSION_COLUMNS + "from model_versions v "
                + "where v.model_name = ?");
        if (before != null) {
            int v;
            try {
                v = Integer.parseInt(before);
            } catch (NumberFormatException e) {
                throw badToken();
            }
            sql.append(" and v.version < ?");
            args.add(v);
        }
        sql.append(" order by v.version desc limit ?");
        args.add(limit + 1);
        List<ModelVersionView> rows = query(sql.toString(), args, rs -> versionRow(rs, 0));
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        List<ModelVersionView> page = rows.subList(0, limit);
        return new Page<>(page, encodeToken("version", String.valueOf(page.get(limit - 1).version())));
    }

    /** Reads a version from columns {@code offset + 1 ...} of {@link #VERSION_COLUMNS}. */
    private static ModelVersionView versionRow(ResultSet rs, int offset) throws SQLException {
        int o = offset;
        String featureSet = rs.getString(o + 10);
        int featureSetVersion = rs.getInt(o + 11);
        ModelVersionView.Lineage lineage = new ModelVersionView.Lineage(rs.getString(o + 7), rs.getString(o + 8),
                rs.getString(o + 9), featureSet == null ? null
                : new ModelVersionView.FeatureSetVersionRef(featureSet, featureSetVersion));
        return new ModelVersionView(rs.getString(o + 1), rs.getInt(o + 2), rs.getString(o + 3), rs.getString(o + 4),
                sorted(rs.getString(o + 5), STRINGS), sorted(rs.getString(o + 6), DOUBLES), lineage,
                sorted(rs.getString(o + 16), STRINGS), rs.getString(o + 12), strings(rs.getArray(o + 17)),
                instant(rs, o + 13), rs.getString(o + 14), instant(rs, o + 15));
    }

    // ---- aliases

    /**
     * Where an alias points, with the version it points at: one indexed lookup (the primary keys of
     * {@code model_aliases}, {@code model_versions} and {@code model_version_tags}, and {@code model_aliases_version}).
     */
    public Optional<AliasView> alias(String modelName, String alias) {
        return first(query("select a.alias, a.kind, a.reason, a.moved_by, a.moved_at, " + VERSION_COLUMNS
                        + "from model_aliases a join model_versions v on v.model_name = a.model_name "
                        + "and v.version = a.version where a.model_name = ? and a.alias = ?", List.of(modelName, alias),
                rs -> new AliasView(rs.getString(1), versionRow(rs, 5), rs.getString(2), rs.getString(3),
                        rs.getString(4), instant(rs, 5))));
    }

    /** Every change of an alias, oldest first (empty if it never existed). */
    public List<AliasChangeView> aliasHistory(String modelName, String alias) {
        return query("select event_id, previous_version, version, kind, reason, evaluation::text, approval::text, "
                + "changed_by, changed_at from alias_history where model_name = ? and alias = ? order by seq",
                List.of(modelName, alias), rs -> new AliasChangeView(rs.getString(1), integer(rs, 2), integer(rs, 3),
                        rs.getString(4), rs.getString(5), RegistryJson.read(rs.getString(6)),
                        RegistryJson.read(rs.getString(7)), rs.getString(8), instant(rs, 9)));
    }

    /** A model's requests to move protected aliases, oldest first; {@code status} null: all of them. */
    public List<AliasChangeRequestView> aliasChangeRequests(String modelName, String status) {
        List<Object> args = new ArrayList<>(List.of(modelName));
        String filter = "";
        if (status != null) {
            filter = " and status = ?";
            args.add(status);
        }
        return query("select " + REQUEST_COLUMNS + "from alias_change_requests where model_name = ?" + filter
                + " order by requested_at, request_id", args, RegistryQueries::requestRow);
    }

    public Optional<AliasChangeRequestView> aliasChangeRequest(String modelName, String requestId) {
        return first(query("select " + REQUEST_COLUMNS + "from alias_change_requests where model_name = ? "
                + "and request_id = ?", List.of(modelName, requestId), RegistryQueries::requestRow));
    }

    private static AliasChangeRequestView requestRow(ResultSet rs) throws SQLException {
        return new AliasChangeRequestView(rs.getString(1), rs.getString(2), integer(rs, 3), rs.getInt(4),
                rs.getString(5), rs.getString(6), RegistryJson.read(rs.getString(7)), rs.getString(8),
                instant(rs, 9), rs.getString(10), rs.getString(11), instant(rs, 12), rs.getString(13));
    }

    // ---- history

    /** Every event of a model, rejections included, in log order. */
    public List<ModelEventView> history(String modelName) {
        return query("select event_id, type, at, payload->>'by', causation_id, correlation_id, payload::text "
                + "from model_events where model_name = ? order by seq", List.of(modelName),
                RegistryQueries::eventRow);
    }

    /** The events decided from one command, in log order (for answering a retried write). */
    public List<ModelEventView> eventsOfCommand(String commandId) {
        return query("select event_id, type, at, payload->>'by', causation_id, correlation_id, payload::text "
                + "from model_events where causation_id = ? order by seq", List.of(commandId),
                RegistryQueries::eventRow);
    }

    private static ModelEventView eventRow(ResultSet rs) throws SQLException {
        return new ModelEventView(rs.getString(1), rs.getString(2), instant(rs, 3), rs.getString(4),
                rs.getString(5), rs.getString(6), RegistryJson.read(rs.getString(7)));
    }

    /** The command with this id, if the registry has decided it (and the projector has got that far). */
    public Optional<DecidedCommand> decidedCommand(String commandId) {
        return first(query("select command_id, key, partition, last_offset, rejected, rejection_message "
                + "from decided_commands where command_id = ?", List.of(commandId), rs -> new DecidedCommand(
                rs.getString(1), rs.getString(2), rs.getInt(3), rs.getLong(4), rs.getString(5), rs.getString(6))));
    }

    // ---- feature sets

    public List<FeatureSetSummary> featureSets() {
        return query("select name, latest_version, created_at, updated_at from feature_sets order by name",
                List.of(), rs -> new FeatureSetSummary(rs.getString(1), rs.getInt(2), instant(rs, 3),
                        instant(rs, 4)));
    }

    /** A version of a feature set; {@code version} null: its latest. */
    public Optional<FeatureSetVersionView> featureSetVersion(String name, Integer version) {
        String which = version == null
                ? "v.version = (select latest_version from feature_sets s where s.name = v.name)" : "v.version = ?";
        List<Object> args = version == null ? List.of(name) : List.of(name, version);
        return first(query("select v.name, v.version, v.description, v.schema::text, v.data_location, "
                + "v.statistics::text, v.created_by, v.created_at from feature_set_versions v where v.name = ? and "
                + which, args, RegistryQueries::featureSetVersionRow));
    }

    /** The feature-set version a command registered, if it did. */
    public Optional<FeatureSetVersionView> featureSetVersionOfCommand(String commandId) {
        return first(query("select v.name, v.version, v.description, v.schema::text, v.data_location, "
                + "v.statistics::text, v.created_by, v.created_at from feature_set_versions v "
                + "where v.causation_id = ?", List.of(commandId), RegistryQueries::featureSetVersionRow));
    }

    private static FeatureSetVersionView featureSetVersionRow(ResultSet rs) throws SQLException {
        return new FeatureSetVersionView(rs.getString(1), rs.getInt(2), rs.getString(3),
                RegistryJson.read(rs.getString(4)), rs.getString(5), RegistryJson.read(rs.getString(6)),
                rs.getString(7), instant(rs, 8));
    }

    // ---- plumbing

    /** A list read with bad paging arguments; the message says what was wrong and what is allowed. */
    public static final class InvalidQueryException extends IllegalArgumentException {
        public InvalidQueryException(String message) {
            super(message);
        }
    }

    private static void checkLimit(int limit) {
        if (limit < 1 || limit > MAX_PAGE_SIZE) {
            throw new InvalidQueryException("limit must be between 1 and " + MAX_PAGE_SIZE + ", not " + limit);
        }
    }

    private static String encodeToken(String kind, String value) {
        return PageTokens.encode(kind, value);
    }

    private static String decodeToken(String token, String kind) {
        try {
            return PageTokens.decode(token, kind);
        } catch (IllegalArgumentException e) {
            throw badToken();
        }
    }

    private static InvalidQueryException badToken() {
        return new InvalidQueryException(PageTokens.INVALID);
    }

    private static <V> Map<String, V> sorted(String json, TypeReference<Map<String, V>> type) {
        return json == null ? Map.of() : new TreeMap<>(RegistryJson.readMap(json, type));
    }

    private static List<String> strings(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        try {
            return List.of((String[]) array.getArray());
        } finally {
            array.free();
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static Integer integer(ResultSet rs, int column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    private static <T> Optional<T> first(List<T> rows) {
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private <T> List<T> query(String sql, List<Object> args, ReadModelSql.Row<T> row) {
        return ReadModelSql.query(dataSource, "registry read model", sql, args, row);
    }
}

package dev.drover.registry.mlflow;

import io.micronaut.context.annotation.Requires;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The MLflow API's reads, straight from the registry's read-model tables ({@code db/registry/V1__…sql}) with plain
 * JDBC. The tables are written by the projector alone; what is read here can lag the event log by the projector's
 * delay, which is why writes wait for their event to be projected before they answer from here.
 */
@Singleton
@Requires(property = "drover.registry.enabled", value = "true")
public class MlflowRegistryQueries {
    private static final Logger LOG = LoggerFactory.getLogger(MlflowRegistryQueries.class);
    private static final String VERSION_COLUMNS = "v.model_name, v.version, v.created_at, v.updated_at, "
            + "v.created_by, v.stage, v.description, v.artifact_location, v.run_id";
    private static final String MODEL_COLUMNS = "m.name, m.created_at, m.updated_at, m.created_by, m.description";

    private final DataSource dataSource;

    @Inject
    MlflowRegistryQueries(@Named("registry") DataSource dataSource, DataSourceResolver resolver) {
        this(resolver.resolve(dataSource));
    }

    /** Reads from {@code dataSource} (a database holding the registry's read model). */
    public MlflowRegistryQueries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Optional<RegisteredModelView> registeredModel(String name) {
        try (Connection c = dataSource.getConnection()) {
            List<ModelRow> rows = query(c, "select " + MODEL_COLUMNS + " from registered_models m where m.name = ?",
                    List.of(name), MlflowRegistryQueries::modelRow);
            return hydrateModels(c, rows).stream().findFirst();
        } catch (SQLException e) {
            throw failed("reading registered model '" + name + "'", e);
        }
    }

    public Optional<ModelVersionView> modelVersion(String name, int version) {
        try (Connection c = dataSource.getConnection()) {
            List<VersionRow> rows = query(c, "select " + VERSION_COLUMNS + " from model_versions v "
                    + "where v.model_name = ? and v.version = ?", List.of(name, version), MlflowRegistryQueries::versionRow);
            return hydrateVersions(c, rows).stream().findFirst();
        } catch (SQLException e) {
            throw failed("reading version " + version + " of model '" + name + "'", e);
        }
    }

    /** The version an alias of a model points at now. */
    public Optional<Integer> aliasVersion(String name, String alias) {
        try (Connection c = dataSource.getConnection()) {
            return query(c, "select version from model_aliases where model_name = ? and alias = ?",
                    List.of(name, alias), rs -> rs.getInt(1)).stream().findFirst();
        } catch (SQLException e) {
            throw failed("reading alias '" + alias + "' of model '" + name + "'", e);
        }
    }

    /** The newest version of the model in each of {@code stages} (MLflow's stage names) that has one. */
    public List<ModelVersionView> latestVersions(String name, Set<String> stages) {
        try (Connection c = dataSource.getConnection()) {
            List<VersionRow> rows = query(c, "select * from (select distinct on (v.stage) " + VERSION_COLUMNS
                    + " from model_versions v where v.model_name = ? and v.stage = any(?) "
                    + "order by v.stage, v.version desc) latest order by version",
                    List.of(name, new SearchSql.TextArray(List.copyOf(stages))), MlflowRegistryQueries::versionRow);
            return hydrateVersions(c, rows);
        } catch (SQLException e) {
            throw failed("reading the latest versions of model '" + name + "'", e);
        }
    }

    public SearchPage<RegisteredModelView> searchRegisteredModels(List<FilterCondition> filter,
                                                                  List<OrderBy.Term> order, int maxResults,
                                                                  long offset) {
        SearchSql.Where where = SearchSql.where(filter, SearchTarget.REGISTERED_MODELS);
        List<Object> parameters = new ArrayList<>(where.parameters());
        parameters.add(maxResults + 1);
        parameters.add(offset);
        try (Connection c = dataSource.getConnection()) {
            List<ModelRow> rows = query(c, "select " + MODEL_COLUMNS + " from registered_models m where "
                    + where.sql() + " order by " + SearchSql.orderBy(order, SearchTarget.REGISTERED_MODELS)
                    + " limit ? offset ?", parameters, MlflowRegistryQueries::modelRow);
            return page(hydrateModels(c, rows.subList(0, Math.min(rows.size(), maxResults))), rows.size() > maxResults,
                    offset + maxResults);
        } catch (SQLException e) {
            throw failed("searching registered models", e);
        }
    }

    public SearchPage<ModelVersionView> searchModelVersions(List<FilterCondition> filter, List<OrderBy.Term> order,
                                                            int maxResults, long offset) {
        SearchSql.Where where = SearchSql.where(filter, SearchTarget.MODEL_VERSIONS);
        List<Object> parameters = new ArrayList<>(where.parameters());
        parameters.add(maxResults + 1);
        parameters.add(offset);
        try (Connection c = dataSource.getConnection()) {
            List<VersionRow> rows = query(c, "select " + VERSION_COLUMNS + " from model_versions v where "
                    + where.sql() + " order by " + SearchSql.orderBy(order, SearchTarget.MODEL_VERSIONS)
                    + " limit ? offset ?", parameters, MlflowRegistryQueries::versionRow);
            return page(hydrateVersions(c, rows.subList(0, Math.min(rows.size(), maxResults))),
                    rows.size() > maxResults, offset + maxResults);
        } catch (SQLException e) {
            throw failed("searching model versions", e);
        }
    }

    private static <T> SearchPage<T> page(List<T> items, boolean more, long nextOffset) {
        return new SearchPage<>(items, more ? PageToken.encode(nextOffset) : null);
    }

    // --- rows and their tags, aliases and latest versions, fetched for a whole page at once ---

    private record ModelRow(String name, Instant createdAt, Instant updatedAt, String createdBy,
                            String description) {
    }

    private record VersionRow(String name, int version, Instant createdAt, Instant updatedAt, String createdBy,
                              String stage, String description, String source, String runId) {
    }

    private static ModelRow modelRow(ResultSet rs) throws SQLException {
        return new ModelRow(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getTimestamp(3).toInstant(),
                rs.getString(4), rs.getString(5));
    }

    private static VersionRow versionRow(ResultSet rs) throws SQLException {
        return new VersionRow(rs.getString(1), rs.getInt(2), rs.getTimestamp(3).toInstant(),
                rs.getTimestamp(4).toInstant(), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                rs.getString(9));
    }

    private List<RegisteredModelView> hydrateModels(Connection c, List<ModelRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return List.of();
        }
        SearchSql.TextArray names = new SearchSql.TextArray(rows.stream().map(ModelRow::name).toList());
        Map<String, Map<String, String>> tags = new LinkedHashMap<>();
        for (String[] t : query(c, "select model_name, key, value from model_tags where model_name = any(?)",
                List.of(names), rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)})) {
            tags.computeIfAbsent(t[0], k -> new TreeMap<>()).put(t[1], t[2]);
        }
        Map<String, Map<String, Integer>> aliases = new LinkedHashMap<>();
        for (Object[] a : query(c, "select model_name, alias, version from model_aliases where model_name = any(?)",
                List.of(names), rs -> new Object[] {rs.getString(1), rs.getString(2), rs.getInt(3)})) {
            aliases.computeIfAbsent((String) a[0], k -> new TreeMap<>()).put((String) a[1], (Integer) a[2]);
        }
        List<VersionRow> latestRows = query(c, "select * from (select distinct on (v.model_name, v.stage) "
                + VERSION_COLUMNS + " from model_versions v where v.model_name = any(?) "
                + "order by v.model_name, v.stage, v.version desc) latest order by model_name, version",
                List.of(names), MlflowRegistryQueries::versionRow);
        Map<String, List<ModelVersionView>> latest = new LinkedHashMap<>();
        for (ModelVersionView v : hydrateVersions(c, latestRows)) {
            latest.computeIfAbsent(v.name(), k -> new ArrayList<>()).add(v);
        }
        List<RegisteredModelView> out = new ArrayList<>();
        for (ModelRow r : rows) {
            out.add(new RegisteredModelView(r.name(), r.createdAt(), r.updatedAt(), r.createdBy(), r.description(),
                    latest.getOrDefault(r.name(), List.of()), tags.getOrDefault(r.name(), Map.of()),
                    aliases.getOrDefault(r.name(), Map.of())));
        }
        return out;
    }

    private List<ModelVersionView> hydrateVersions(Connection c, List<VersionRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return List.of();
        }
        SearchSql.TextArray names = new SearchSql.TextArray(rows.stream().map(VersionRow::name).toList());
        IntArray versions = new IntArray(rows.stream().map(VersionRow::version).toList());
        String pairs = "(model_name, version) in (select * from unnest(?::text[], ?::int[]))";
        Map<String, Map<String, String>> tags = new LinkedHashMap<>();
        for (Object[] t : query(c, "select model_name, version, key, value from model_version_tags where " + pairs,
                List.of(names, versions), rs -> new Object[] {rs.getString(1), rs.getInt(2), rs.getString(3),
                        rs.getString(4)})) {
            tags.computeIfAbsent(t[0] + "\u0000" + t[1], k -> new TreeMap<>()).put((String) t[2], (String) t[3]);
        }
        Map<String, List<String>> aliases = new LinkedHashMap<>();
        for (Object[] a : query(c, "select model_name, version, alias from model_aliases where " + pairs
                + " order by alias", List.of(names, versions),
                rs -> new Object[] {rs.getString(1), rs.getInt(2), rs.getString(3)})) {
            aliases.computeIfAbsent(a[0] + "\u0000" + a[1], k -> new ArrayList<>()).add((String) a[2]);
        }
        List<ModelVersionView> out = new ArrayList<>();
        for (VersionRow r : rows) {
            String key = r.name() + "\u0000" + r.version();
            out.add(new ModelVersionView(r.name(), r.version(), r.createdAt(), r.updatedAt(), r.createdBy(),
                    r.stage(), r.description(), r.source(), r.runId(), tags.getOrDefault(key, Map.of()),
                    aliases.getOrDefault(key, List.of())));
        }
        return out;
    }

    // --- plain JDBC ---

    private record IntArray(List<Integer> values) {
    }

    private interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private static <T> List<T> query(Connection c, String sql, List<?> parameters, RowMapper<T> mapper)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                Object p = parameters.get(i);
                if (p instanceof SearchSql.TextArray texts) {
                    Array array = c.createArrayOf("text", texts.values().toArray());
                    ps.setArray(i + 1, array);
                } else if (p instanceof IntArray ints) {
                    ps.setArray(i + 1, c.createArrayOf("int4", ints.values().toArray()));
                } else {
                    ps.setObject(i + 1, p);
                }
            }
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
            }
            return out;
        }
    }

    private static MlflowException failed(String what, SQLException e) {
        LOG.error("MLflow API: reading the registry's read model failed while {}", what, e);
        return new MlflowException(MlflowErrorCode.INTERNAL_ERROR, "The registry's read model could not be read "
                + "while " + what + ": " + e.getMessage() + ". Retry later; if it persists, check the registry's "
                + "database.");
    }
}

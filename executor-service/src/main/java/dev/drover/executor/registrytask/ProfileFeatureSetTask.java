package dev.drover.executor.registrytask;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.executor.task.LogSink;
import dev.drover.executor.task.LogStream;
import dev.drover.executor.task.TaskInvocation;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Task type {@code profile_feature_set}: computes the reference statistics of a CSV file ({@link CsvProfiler}) and
 * registers them with {@code POST /api/v1/feature-sets/{name}/versions}.
 *
 * <p>Config: {@code feature_set}, {@code data} (required; a relative path is resolved against the executor's work
 * directory); {@code features} (column names or {@code {name, type}}), {@code exclude}, {@code bins} (default
 * {@value #DEFAULT_BINS}), {@code description}. Outputs: {@code feature_set}, {@code version}, {@code row_count}.
 */
final class ProfileFeatureSetTask implements RegistryTask {
    static final String TYPE = "profile_feature_set";
    static final int DEFAULT_BINS = 10;
    static final int MAX_BINS = 1000;

    private final Path baseDir;

    /** @param baseDir what relative {@code data} paths are resolved against */
    ProfileFeatureSetTask(Path baseDir) {
        this.baseDir = baseDir.toAbsolutePath().normalize();
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public RegistryRequest prepare(TaskInvocation inv, LogSink logs) throws TaskFailure {
        RenderedConfig c = new RenderedConfig(inv.config());
        String name = c.requiredString("feature_set");
        Path data = baseDir.resolve(c.requiredString("data")).normalize();
        CsvProfiler.Spec spec = spec(c);
        logs.line(LogStream.SYSTEM, "profiling " + data);
        DatasetProfile profile;
        try (Reader reader = open(data)) {
            profile = CsvProfiler.profile(reader, spec, data.toString());
        } catch (NoSuchFileException e) {
            throw new TaskFailure("data file " + data + " does not exist; check `data` (a relative path is resolved "
                    + "against " + baseDir + ")");
        } catch (IOException e) {
            throw new TaskFailure("cannot read data file " + data + ": " + e);
        } catch (java.io.UncheckedIOException e) {
            throw new TaskFailure(readProblem(data, e.getCause()));
        }
        logs.line(LogStream.SYSTEM, describe(profile));
        return request(name, data.toString(), c.optionalString("description").orElse(null), profile);
    }

    private static String readProblem(Path data, IOException e) {
        return e instanceof CharacterCodingException
                ? "data file " + data + " is not UTF-8 text; save it as UTF-8 CSV"
                : "cannot read data file " + data + ": " + e;
    }

    /** Opens a UTF-8 file, skipping a byte-order mark (spreadsheet programs write one). */
    private static Reader open(Path file) throws IOException {
        BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        reader.mark(1);
        if (reader.read() != '\uFEFF') {
            reader.reset();
        }
        return reader;
    }

    /** What to profile, from the config. */
    static CsvProfiler.Spec spec(RenderedConfig c) throws TaskFailure {
        List<CsvProfiler.Requested> features = new ArrayList<>();
        List<Object> listed = c.list("features");
        for (int i = 0; i < listed.size(); i++) {
            Object item = listed.get(i);
            if (item instanceof String s && !s.isBlank()) {
                features.add(new CsvProfiler.Requested(s.strip(), null));
            } else if (item instanceof Map<?, ?>) {
                RenderedConfig f = new RenderedConfig(RenderedConfig.map("features[" + i + "]", item));
                String name = f.optionalString("name").orElseThrow(() -> new TaskFailure("config `features` entry "
                        + "needs a name"));
                FeatureType type = null;
                if (f.has("type")) {
                    String t = f.requiredString("type");
                    type = FeatureType.parse(t).orElseThrow(() -> new TaskFailure("feature " + name + " has type `"
                            + t + "`; use NUMERIC, CATEGORICAL or BINARY"));
                }
                features.add(new CsvProfiler.Requested(name, type));
            } else {
                throw new TaskFailure("config `features` entries are column names or {name, type}, got "
                        + RenderedConfig.describe(item));
            }
        }
        Set<String> exclude = new HashSet<>();
        for (Object column : c.list("exclude")) {
            if (!(column instanceof String s)) {
                throw new TaskFailure("config `exclude` lists column names, got " + RenderedConfig.describe(column));
            }
            exclude.add(s.strip());
        }
        int bins = c.optionalInt("bins", 1, MAX_BINS).orElse(DEFAULT_BINS);
        return new CsvProfiler.Spec(features, exclude, bins);
    }

    /** The registry request for a profile, as {@code docs/registry-api.md} specifies it. */
    static RegistryRequest request(String name, String dataLocation, String description, DatasetProfile profile) {
        ObjectNode body = RegistryProtocol.JSON.createObjectNode();
        if (description != null) {
            body.put("description", description);
        }
        ArrayNode schema = body.putObject("schema").putArray("features");
        for (FeatureProfile f : profile.features()) {
            schema.addObject().put("name", f.name()).put("type", f.type().name());
        }
        body.put("dataLocation", dataLocation);
        ObjectNode statistics = body.putObject("statistics");
        statistics.put("rowCount", profile.rowCount());
        ObjectNode features = statistics.putObject("features");
        for (FeatureProfile f : profile.features()) {
            ObjectNode stats = features.putObject(f.name());
            stats.put("missing", f.missing());
            if (f instanceof FeatureProfile.Numeric n) {
                if (!n.edges().isEmpty()) {
                    ObjectNode histogram = stats.putObject("histogram");
                    ArrayNode edges = histogram.putArray("edges");
                    n.edges().forEach(edges::add);
                    ArrayNode counts = histogram.putArray("counts");
                    n.counts().forEach(counts::add);
                    ArrayNode quantiles = stats.putArray("quantiles");
                    n.quantiles().forEach(q -> quantiles.addObject().put("p", q.p()).put("value", q.value()));
                }
            } else if (f instanceof FeatureProfile.Categorical cat) {
                ObjectNode categories = stats.putObject("categories");
                cat.categories().forEach(categories::put);
            }
        }
        return new RegistryRequest("/api/v1/feature-sets/" + RegistryProtocol.segment(name) + "/versions", body,
                "register a version of feature set " + name + " (" + profile.rowCount() + " rows of "
                        + dataLocation + ")");
    }

    private static String describe(DatasetProfile profile) {
        Map<FeatureType, Integer> byType = new LinkedHashMap<>();
        profile.features().forEach(f -> byType.merge(f.type(), 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        byType.forEach((t, n) -> parts.add(n + " " + t.name().toLowerCase(java.util.Locale.ROOT)));
        int quantiles = profile.features().stream().filter(f -> f instanceof FeatureProfile.Numeric)
                .mapToInt(f -> ((FeatureProfile.Numeric) f).quantiles().size()).max().orElse(0);
        return "profiled " + profile.rowCount() + " rows, " + profile.features().size() + " features ("
                + String.join(", ", parts) + ")" + (quantiles > 0 ? "; up to " + quantiles + " quantiles per numeric "
                + "feature" : "");
    }

    @Override
    public Map<String, Object> outputs(RegistryRequest request, JsonNode answer, LogSink logs) throws TaskFailure {
        Map<String, Object> out = outputs(answer, request.body().path("statistics").path("rowCount").longValue());
        logs.line(LogStream.SYSTEM, "registered feature set " + out.get("feature_set") + " version "
                + out.get("version"));
        return out;
    }

    /** {@code feature_set}, {@code version} and {@code row_count} from the registry's answer. */
    static Map<String, Object> outputs(JsonNode answer, long rowCount) throws TaskFailure {
        JsonNode version = answer.path("version");
        if (!version.isIntegralNumber()) {
            throw new TaskFailure("the registry's answer has no version number: " + answer);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("feature_set", answer.path("name").asText());
        out.put("version", version.longValue());
        out.put("row_count", rowCount);
        return out;
    }
}

package dev.drover.monitor.window;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.drover.monitor.core.FeatureSetRef;
import dev.drover.monitor.drift.FeatureKind;
import dev.drover.monitor.drift.FeatureReference;
import dev.drover.platform.security.ServiceAuthorization;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a model's reference from the registry's REST API (docs/registry-api.md): the {@code champion} alias (its
 * version, {@code lineage.featureSet} and {@code metrics}), then that feature-set version's schema and statistics.
 *
 * <p>Numeric features need {@code quantiles} (with p = 0 and p = 1; the histogram is used when present); categorical
 * and binary features need {@code categories}. A feature without them is in the schema but not tested.
 */
public final class HttpReferenceSource implements ReferenceSource {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final JsonMapper json = new JsonMapper();
    /**
     * Feature-set versions read so far (a version never changes once registered), so that a window closing, which
     * asks whether the champion moved, costs one request and builds no references again; the most recent 64.
     */
    private final Map<FeatureSetRef, FeatureSetRead> featureSets = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<FeatureSetRef, FeatureSetRead> eldest) {
                    return size() > 64;
                }
            });

    /** A feature-set version as read from the registry: what the monitor compares with, or why nothing. */
    private sealed interface FeatureSetRead permits FeatureSet, Unusable {
    }

    private record FeatureSet(FeatureSetRef ref, Map<String, FeatureKind> schema,
                              Map<String, FeatureReference> references) implements FeatureSetRead {
    }

    private record Unusable(String reason) implements FeatureSetRead {
    }

    /** @param registryUrl the registry's base URL, e.g. {@code http://localhost:8082} */
    private final ServiceAuthorization authorization;

    public HttpReferenceSource(String registryUrl) {
        this(registryUrl, ServiceAuthorization.NONE);
    }

    /** Reading the registry as the monitor's service account. */
    public HttpReferenceSource(String registryUrl, ServiceAuthorization authorization) {
        this.authorization = authorization;
        this.baseUrl = registryUrl.endsWith("/") ? registryUrl.substring(0, registryUrl.length() - 1) : registryUrl;
    }

    @Override
    public Lookup champion(String modelName) {
        try {
            JsonNode alias = get("/api/v1/models/" + segment(modelName) + "/aliases/champion");
            if (alias == null) {
                return new Missing("model '" + modelName + "' has no champion alias in the registry");
            }
            JsonNode version = alias.path("version");
            int number = version.path("version").asInt(0);
            JsonNode fs = version.path("lineage").path("featureSet");
            if (number < 1) {
                return new Missing("the registry's champion of '" + modelName + "' has no version number");
            }
            if (!fs.hasNonNull("name") || !fs.path("version").canConvertToInt()) {
                return new Missing("champion version " + number + " of '" + modelName + "' names no "
                        + "lineage.featureSet; register the version with the feature set it was trained on");
            }
            FeatureSetRef ref = new FeatureSetRef(fs.get("name").asText(), fs.get("version").asInt());
            FeatureSetRead read = featureSets.get(ref);
            if (read == null) {
                JsonNode featureSet = get("/api/v1/feature-sets/" + segment(ref.name()) + "/versions/"
                        + ref.version());
                if (featureSet == null) {
                    return new Missing("feature set " + ref.name() + " v" + ref.version() + " of champion version "
                            + number + " of '" + modelName + "' is not in the registry");
                }
                read = featureSet(ref, featureSet);
                if (read instanceof FeatureSet f) {
                    featureSets.put(ref, f);
                }
            }
            if (read instanceof Unusable u) {
                return new Missing(u.reason());
            }
            return build(modelName, number, (FeatureSet) read, version.path("metrics"),
                    version.path("artifactLocation").asText(null));
        } catch (IOException | RuntimeException e) {
            return new Missing("cannot read the reference of '" + modelName + "' from the registry at " + baseUrl
                    + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Missing("interrupted while reading the registry");
        }
    }

    private static Lookup build(String modelName, int version, FeatureSet featureSet, JsonNode metricsNode,
                                String artifact) {
        Map<String, Double> metrics = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = metricsNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> m = it.next();
            if (m.getValue().isNumber()) {
                metrics.put(m.getKey(), m.getValue().doubleValue());
            }
        }
        return new Found(new ModelReference(modelName, version, featureSet.ref(), featureSet.schema(),
                featureSet.references(), metrics, artifact));
    }

    /** A feature-set version's schema and references, or why it has none to compare with. */
    private static FeatureSetRead featureSet(FeatureSetRef ref, JsonNode featureSet) {
        Map<String, FeatureKind> schema = new LinkedHashMap<>();
        for (JsonNode f : featureSet.path("schema").path("features")) {
            schema.put(f.path("name").asText(), FeatureKind.valueOf(f.path("type").asText()));
        }
        if (schema.isEmpty()) {
            return new Unusable("feature set " + ref.name() + " v" + ref.version() + " declares no features");
        }
        JsonNode stats = featureSet.path("statistics");
        long rows = stats.path("rowCount").asLong();
        Map<String, FeatureReference> references = new HashMap<>();
        for (Map.Entry<String, FeatureKind> f : schema.entrySet()) {
            FeatureReference r = RegistryStatistics.reference(f.getValue(), stats.path("features").path(f.getKey()),
                    rows);
            if (r != null) {
                references.put(f.getKey(), r);
            }
        }
        if (references.isEmpty()) {
            return new Unusable("feature set " + ref.name() + " v" + ref.version() + " has no statistics to "
                    + "compare with (numeric features need quantiles, categorical ones categories)");
        }
        return new FeatureSet(ref, Map.copyOf(schema), Map.copyOf(references));
    }

    /** The JSON answer, or null on 404. */
    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(authorization.apply(HttpRequest.newBuilder(URI.create(baseUrl + path)))
                .timeout(TIMEOUT)
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() == 404) {
            return null;
        }
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + r.statusCode() + ": "
                    + new String(r.body(), StandardCharsets.UTF_8));
        }
        return json.readTree(r.body());
    }

    private static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

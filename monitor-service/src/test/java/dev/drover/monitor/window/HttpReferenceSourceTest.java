package dev.drover.monitor.window;

import com.sun.net.httpserver.HttpServer;
import dev.drover.monitor.core.FeatureSetRef;
import dev.drover.monitor.drift.CategoricalReference;
import dev.drover.monitor.drift.FeatureKind;
import dev.drover.monitor.drift.NumericReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link HttpReferenceSource} against a JDK HTTP server answering with the JSON of docs/registry-api.md: the champion
 * alias (version with lineage and metrics), then the feature-set version with its schema and statistics.
 */
class HttpReferenceSourceTest {
    private static final Map<String, String> ANSWERS = new ConcurrentHashMap<>();
    private static HttpServer server;
    private static HttpReferenceSource source;

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = ANSWERS.get(exchange.getRequestURI().getRawPath());
            int status = body == null ? 404 : 200;
            byte[] bytes = (body == null ? "{\"error\":\"alias_not_found\",\"message\":\"no\",\"fix\":\"x\"}" : body)
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        source = new HttpReferenceSource("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static String alias(String model, int version, String lineage) {
        return "{\"alias\":\"champion\",\"version\":{\"modelName\":\"" + model + "\",\"version\":" + version
                + ",\"artifactLocation\":\"s3://m\",\"params\":{},\"metrics\":{\"auc\":0.91,\"accuracy\":0.88},"
                + "\"lineage\":" + lineage + ",\"tags\":{},\"stage\":\"None\",\"aliases\":[\"champion\"]},"
                + "\"kind\":\"SET\",\"reason\":\"promoted\",\"movedBy\":\"alice\",\"movedAt\":\"2030-01-01T00:00:00Z\"}";
    }

    @Test
    void readsTheChampionItsFeatureSetAndTheStatisticsAsDriftReferences() {
        ANSWERS.put("/api/v1/models/churn%20v2/aliases/champion",
                alias("churn v2", 3, "{\"runId\":\"r\",\"featureSet\":{\"name\":\"churn-features\",\"version\":2}}"));
        ANSWERS.put("/api/v1/feature-sets/churn-features/versions/2", "{\"name\":\"churn-features\",\"version\":2,"
                + "\"schema\":{\"features\":[{\"name\":\"age\",\"type\":\"NUMERIC\"},{\"name\":\"plan\",\"type\":"
                + "\"CATEGORICAL\"},{\"name\":\"vip\",\"type\":\"BINARY\"},{\"name\":\"notes\",\"type\":\"CATEGORICAL\"}]},"
                + "\"dataLocation\":\"s3://d\",\"statistics\":{\"rowCount\":100,\"features\":{"
                + "\"age\":{\"missing\":4,\"quantiles\":[{\"p\":0,\"value\":18},{\"p\":0.5,\"value\":40},"
                + "{\"p\":1,\"value\":90}],\"histogram\":{\"edges\":[18,54,90],\"counts\":[70,26]}},"
                + "\"plan\":{\"missing\":0,\"categories\":{\"basic\":60,\"pro\":40}},"
                + "\"vip\":{\"missing\":0,\"categories\":{\"true\":10,\"false\":90}}}},"
                + "\"createdBy\":\"bob\",\"createdAt\":\"2030-01-01T00:00:00Z\"}");

        ReferenceSource.Lookup lookup = source.champion("churn v2");

        assertThat(lookup).isInstanceOf(ReferenceSource.Found.class);
        ModelReference r = ((ReferenceSource.Found) lookup).reference();
        assertThat(r.championVersion()).isEqualTo(3);
        assertThat(r.featureSet()).isEqualTo(new FeatureSetRef("churn-features", 2));
        assertThat(r.metrics()).containsEntry("auc", 0.91).containsEntry("accuracy", 0.88);
        assertThat(r.schema()).containsEntry("age", FeatureKind.NUMERIC).containsEntry("vip", FeatureKind.BINARY)
                .containsKey("notes");
        assertThat(r.references()).as("notes has no statistics, so it is not tested").doesNotContainKey("notes");
        NumericReference age = (NumericReference) r.references().get("age");
        assertThat(age.count()).isEqualTo(96);
        assertThat(age.min()).isEqualTo(18);
        assertThat(age.max()).isEqualTo(90);
        assertThat(((CategoricalReference) r.references().get("plan")).counts())
                .isEqualTo(Map.of("basic", 60L, "pro", 40L));
        assertThat(r.references().get("vip").kind()).isEqualTo(FeatureKind.BINARY);
    }

    @Test
    void saysWhyThereIsNoReference() {
        assertThat(source.champion("nobody")).isInstanceOfSatisfying(ReferenceSource.Missing.class,
                m -> assertThat(m.reason()).contains("has no champion alias"));

        ANSWERS.put("/api/v1/models/untraced/aliases/champion", alias("untraced", 1, "{\"runId\":\"r\"}"));
        assertThat(source.champion("untraced")).isInstanceOfSatisfying(ReferenceSource.Missing.class,
                m -> assertThat(m.reason()).contains("names no lineage.featureSet"));

        ANSWERS.put("/api/v1/models/orphan/aliases/champion",
                alias("orphan", 2, "{\"featureSet\":{\"name\":\"gone\",\"version\":5}}"));
        assertThat(source.champion("orphan")).isInstanceOfSatisfying(ReferenceSource.Missing.class,
                m -> assertThat(m.reason()).contains("feature set gone v5").contains("not in the registry"));

        HttpReferenceSource down = new HttpReferenceSource("http://127.0.0.1:1");
        assertThat(down.champion("churn")).isInstanceOfSatisfying(ReferenceSource.Missing.class,
                m -> assertThat(m.reason()).contains("cannot read the reference"));
    }
}

package dev.drover.standalone.ui;

import dev.drover.standalone.DroverClient;
import dev.drover.standalone.DroverStandalone;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole system for the web UI's tests: the standalone (Kafka, PostgreSQL, the services and the UI on one port),
 * a pipeline to look at and steer, and people with passwords: an operator and a viewer.
 */
final class UiFixture {
    static final String PASSWORD = "correct horse battery staple";
    /**
     * extract logs a line every 0.4 s (a log to follow live); transform fails on its first attempt and succeeds when
     * cleared (its run directory remembers the try); load runs last.
     */
    static final String PIPELINE = """
            id: ui-demo
            description: what the web UI's tests look at
            parameters:
              greeting: {type: string, default: hello, description: what extract says}
              count: {type: integer, default: 3, description: how many lines extract writes}
            defaults:
              retries: 0
            tasks:
              - id: extract
                type: shell
                command: "for i in $(seq 1 {{ params.count }}); do echo '{{ params.greeting }}' line $i; sleep 0.4; done"
              - id: transform
                type: shell
                dependsOn: [extract]
                command: "if [ -f \\"$DROVER_RUN_DIR/tried\\" ]; then echo second try ok; else touch \\"$DROVER_RUN_DIR/tried\\"; echo first try fails >&2; exit 1; fi"
              - id: load
                type: noop
                dependsOn: [transform]
            """;

    final DroverStandalone drover;
    final DroverClient admin;

    UiFixture(Path dataDir) {
        drover = DroverStandalone.start(new DroverStandalone.Settings(dataDir, 0, 0, -1, dataDir,
                Map.of("drover.scheduler.instance-id", "ui-test", "drover.executor.heartbeat-interval", "500ms",
                        "drover.ui.live-interval", "300ms")));
        admin = drover.client();
        assertThat(admin.registerPipeline(PIPELINE).status()).isEqualTo(201);
        person("otto", "operator");
        person("vera", "viewer");
        person("abby", "approver");
    }

    /**
     * A model whose champion moved from version 1 to 2, a monitor of it with windows of 50 predictions, a pipeline
     * its drift starts, and two windows: one far off the reference (drifted: a retrain run starts), one like it.
     */
    void monitoredModel() {
        List<Map<String, Object>> q = new java.util.ArrayList<>();
        for (int i = 0; i <= 10; i++) {
            q.add(Map.of("p", i / 10.0, "value", i / 10.0));
        }
        Map<String, Object> x = Map.of("missing", 0, "quantiles", q, "histogram", Map.of(
                "edges", List.of(0.0, 0.25, 0.5, 0.75, 1.0), "counts", List.of(250, 250, 250, 250)));
        ok(admin.post("/api/v1/feature-sets/ui-features/versions", Map.of(
                "schema", Map.of("features", List.of(Map.of("name", "x", "type", "NUMERIC"))),
                "dataLocation", "/data/ui-features", "statistics", Map.of("rowCount", 1000, "features",
                        Map.of("x", x)))));
        for (int v = 1; v <= 2; v++) {
            ok(admin.post("/api/v1/models/ui-model/versions", Map.of("artifactLocation", "/models/ui-model/" + v,
                    "metrics", Map.of("auc", 0.8 + v / 100.0), "createModelIfMissing", true,
                    "lineage", Map.of("featureSet", Map.of("name", "ui-features", "version", 1)))));
        }
        ok(admin.put("/api/v1/models/ui-model/aliases/champion", Map.of("version", 1, "reason", "first")));
        ok(admin.put("/api/v1/models/ui-model/aliases/champion", Map.of("version", 2,
                "reason", "version 2 is better on last week's data")));
        ok(admin.registerPipeline("id: ui-retrain\ntriggers: [{drift: {model: ui-model}}]\n"
                + "tasks: [{id: retrain, type: noop}]\n"));
        ok(admin.put("/api/v1/monitors/ui-model", Map.of("window", Map.of("rows", 50))));
        java.util.Random random = new java.util.Random(7);
        for (double shift : new double[]{5.0, 0.0}) {
            List<Map<String, Object>> predictions = new java.util.ArrayList<>();
            for (int i = 0; i < 50; i++) {
                predictions.add(Map.of("modelVersion", 2, "timestamp", java.time.Instant.now().toString(),
                        "requestId", "r" + shift + "-" + i, "features", Map.of("x", shift + random.nextDouble()),
                        "prediction", 0.5));
            }
            DroverClient.Response r = admin.post("/api/v1/monitors/ui-model/predictions",
                    Map.of("predictions", predictions));
            assertThat(r.status()).as(r.body().toString()).isEqualTo(202);
        }
    }

    private static void ok(DroverClient.Response r) {
        assertThat(r.ok()).as(r.status() + " " + r.body()).isTrue();
    }

    void person(String name, String role) {
        DroverClient.Response r = admin.post("/api/v1/admin/accounts", Map.of("name", name, "kind", "person",
                "password", PASSWORD, "roles", List.of(Map.of("role", role))));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
    }

    String baseUrl() {
        return drover.baseUrl();
    }

    void close() {
        drover.close();
    }
}

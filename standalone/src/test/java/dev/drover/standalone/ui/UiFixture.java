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

package dev.drover.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.embedded.EmbeddedPostgres;
import dev.drover.monitor.wire.MonitorCodec;
import dev.drover.monitor.wire.Prediction;
import dev.drover.platform.kafka.Topics;
import dev.drover.standalone.DroverClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The monitor and the registry survive {@code kill -9}: the broker, the model registry and the monitor each in their
 * own JVM. The monitor is killed with a window half full, predictions keep arriving while it is down, and the restarted
 * monitor neither loses nor double-counts a window, and still knows its policy (its state is rebuilt from the log).
 * Under a steady load of registry writes and predictions, both are killed and restarted, and afterwards each read
 * model equals the one a rebuild from the log gives.
 */
class MonitorKillNineTest {
    private static final int WINDOW = 1000;
    @TempDir
    static Path tmp;
    static Path logs = Path.of("target", "system-logs");
    static ServiceProcess kafka;
    static ServiceProcess registry;
    static ServiceProcess monitor;
    static EmbeddedPostgres postgres;
    static String jdbc;
    static String bootstrap;
    static int registryPort;
    static int monitorPort;
    static Map<String, String> registryProperties;

    @BeforeAll
    static void startSystem() throws Exception {
        kafka = ServiceProcess.start("monitor-kafka", logs, KafkaProcess.class.getName(), Map.of(),
                List.of(tmp.resolve("kafka").toString()), "KAFKA_READY");
        postgres = EmbeddedPostgres.start(EmbeddedPostgres.Options.defaults());
        jdbc = postgres.createDatabaseIfMissing("drover_monitor_system");
        bootstrap = kafka.awaitReady(120);
        registryPort = freePort();
        monitorPort = freePort();
        Map<String, String> r = new LinkedHashMap<>();
        r.put("drover.kafka.bootstrap-servers", bootstrap);
        r.put("drover.registry.port", String.valueOf(registryPort));
        r.put("drover.registry.db.url", jdbc + "?currentSchema=registry");
        r.put("drover.registry.db.username", postgres.user());
        r.put("drover.registry.db.password", postgres.password());
        r.put("drover.registry.instance-id", "system-test");
        // secured like any deployment: the registry's first start creates the admin and the services' token
        r.put("drover.security.bootstrap-dir", tmp.resolve("security").toString());
        registryProperties = r;
        registry = ServiceProcess.start("registry", logs, "dev.drover.registry.RegistryApplication", r, List.of(),
                null);
        monitor = startMonitor("monitor-1");
        awaitHealthy(registryPort);
        awaitHealthy(monitorPort);
        adminToken = Files.readString(tmp.resolve("security").resolve("admin-token")).trim();
    }

    static String adminToken;

    static DroverClient client(int port) {
        return new DroverClient("http://localhost:" + port, adminToken);
    }

    static ServiceProcess startMonitor(String name) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("drover.kafka.bootstrap-servers", bootstrap);
        m.put("drover.security.service-token-file", tmp.resolve("security").resolve("service-token").toString());
        m.put("drover.monitor.port", String.valueOf(monitorPort));
        m.put("drover.monitor.db.url", jdbc + "?currentSchema=monitor");
        m.put("drover.monitor.db.username", postgres.user());
        m.put("drover.monitor.db.password", postgres.password());
        m.put("drover.monitor.instance-id", "system-test");
        m.put("drover.monitor.registry-url", "http://localhost:" + registryPort);
        m.put("drover.monitor.data-location", tmp.resolve("monitor-data").toString());
        return ServiceProcess.start(name, logs, "dev.drover.monitor.MonitorApplication", m, List.of(), null);
    }

    @AfterAll
    static void stopSystem() throws Exception {
        for (ServiceProcess p : new ServiceProcess[] {monitor, registry, kafka}) {
            if (p != null) {
                p.close();
            }
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aKilledMonitorNeitherLosesNorDoubleCountsAWindow() throws Exception {
        DroverClient reg = client(registryPort);
        DroverClient mon = client(monitorPort);
        champion(reg);
        DroverClient.Response configured = mon.put("/api/v1/monitors/churn", Map.of("window", Map.of("rows", WINDOW)));
        assertThat(configured.status()).as(configured.body().toString()).isEqualTo(200);

        MonitorCodec codec = new MonitorCodec();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            publish(producer, codec, 0, 2500);
            await().atMost(Duration.ofMinutes(2)).until(() -> reports(mon).size() == 2);

            monitor.kill9(); // 500 predictions sit in the open window
            assertThat(monitor.alive()).isFalse();
            publish(producer, codec, 2500, 2500);
            monitor = startMonitor("monitor-2");
            awaitHealthy(monitorPort);
        }

        await().atMost(Duration.ofMinutes(2)).until(() -> reports(mon).size() >= 5);
        List<JsonNode> reports = reports(mon);
        assertThat(reports).as("5,000 predictions in windows of 1,000").hasSize(5);
        Set<String> windows = new HashSet<>();
        for (JsonNode report : reports) {
            assertThat(report.path("rowCount").asLong()).as(report.toString()).isEqualTo(WINDOW);
            windows.add(report.path("windowId").asText());
        }
        assertThat(windows).hasSize(5);
        assertThat(mon.get("/api/v1/monitors/churn").body().path("policy").path("window").path("rows").asLong())
                .isEqualTo(WINDOW);

        // the kept window files hold every prediction of the log exactly once, in the window it was counted in
        List<String> kept = new ArrayList<>();
        for (JsonNode report : reports) {
            JsonNode data = mon.get("/api/v1/monitors/churn/windows/" + report.path("windowId").asText() + "/data")
                    .body();
            List<String> lines = Files.readAllLines(Path.of(data.path("location").asText()));
            assertThat(lines).as(data.toString()).hasSize(WINDOW + 1);
            lines.subList(1, lines.size()).forEach(l -> kept.add(l.substring(0, l.indexOf(','))));
        }
        List<String> published = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            published.add("req-" + i);
        }
        assertThat(kept).containsExactlyInAnyOrderElementsOf(published);
        try (var files = Files.list(tmp.resolve("monitor-data").resolve("churn").resolve("windows"))) {
            assertThat(files.filter(f -> f.getFileName().toString().endsWith(".csv")).count())
                    .as("no file of a window that was not recorded").isEqualTo(5);
        }
    }

    @Test
    void underLoadAfterKillNineEachReadModelEqualsARebuildFromTheLog() throws Exception {
        DroverClient reg = client(registryPort);
        DroverClient mon = client(monitorPort);
        champion(reg, "loaded");
        assertThat(mon.put("/api/v1/monitors/loaded", Map.of("window", Map.of("rows", 200))).status())
                .isEqualTo(200);
        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicLong writes = new AtomicLong();
        MonitorCodec codec = new MonitorCodec();
        Thread registryLoad = new Thread(() -> {
            // versions, tags and alias moves on a few models; answers are not checked: the registry dies under it
            for (int i = 0; loading.get(); i++) {
                String model = "load-" + (i % 5);
                try {
                    DroverClient.Response v = reg.post("/api/v1/models/" + model + "/versions", Map.of(
                            "artifactLocation", "/m/" + i, "createModelIfMissing", true, "metrics",
                            Map.of("auc", 0.5 + (i % 40) / 100.0)));
                    if (v.ok()) {
                        int version = v.body().path("version").asInt();
                        reg.put("/api/v1/models/" + model + "/versions/" + version + "/tags/round", Map.of("value",
                                String.valueOf(i)));
                        reg.put("/api/v1/models/" + model + "/aliases/champion", Map.of("version", version));
                        writes.incrementAndGet();
                    }
                } catch (RuntimeException e) {
                    // connection refused while it is down
                }
            }
        }, "registry-load");
        registryLoad.start();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            publish(producer, codec, "loaded", 0, 700);
            await().atMost(Duration.ofMinutes(1)).until(() -> writes.get() >= 10);
            // (no predictions while the registry is down: a window that closes then has no reference to compare
            // with, and its rows are counted as no_reference instead of compared)
            registry.kill9();
            registry = ServiceProcess.start("registry-2", logs, "dev.drover.registry.RegistryApplication",
                    registryProperties, List.of(), null);
            awaitHealthy(registryPort);
            long before = writes.get();
            await().atMost(Duration.ofMinutes(1)).until(() -> writes.get() >= before + 10);
            monitor.kill9(); // 100 predictions sit in the open window
            publish(producer, codec, "loaded", 700, 800);
            monitor = startMonitor("monitor-3");
            awaitHealthy(monitorPort);
            publish(producer, codec, "loaded", 1500, 500);
            long after = writes.get();
            await().atMost(Duration.ofMinutes(1)).until(() -> writes.get() >= after + 10);
        } finally {
            loading.set(false);
            registryLoad.join(30_000);
        }
        await("2,000 predictions in windows of 200").atMost(Duration.ofMinutes(2))
                .until(() -> mon.get("/api/v1/monitors/loaded/reports?limit=100").body().path("items").size() == 10);

        // the read models as the killed and restarted services left them, once they stand still ...
        Map<String, List<String>> registryRows = settled("registry");
        Map<String, List<String>> monitorRows = settled("monitor");
        assertThat(registryRows.get("model_versions")).hasSizeGreaterThanOrEqualTo(30);
        assertThat(monitorRows.get("drift_reports")).isNotEmpty();
        // ... equal what a projection of the whole log gives
        assertThat(reg.post("/api/v1/admin/registry/read-model/rebuild", Map.of()).status()).isEqualTo(202);
        assertThat(mon.post("/api/v1/admin/monitor/read-model/rebuild", Map.of()).status()).isEqualTo(202);
        await("the rebuilt registry read model").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(rows("registry")).isEqualTo(registryRows));
        await("the rebuilt monitor read model").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(rows("monitor")).isEqualTo(monitorRows));
    }

    /** The rows of a schema once two reads a second apart agree (the services have caught up). */
    private static Map<String, List<String>> settled(String schema) throws Exception {
        Map<String, List<String>> last = rows(schema);
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline) {
            Thread.sleep(1000); // comparing two readings: the wait between them is the point
            Map<String, List<String>> now = rows(schema);
            if (now.equals(last)) {
                return now;
            }
            last = now;
        }
        throw new AssertionError("the " + schema + " read model kept changing for a minute");
    }

    /** Every row of every read-model table of a schema (the projector's own bookkeeping aside), in a stable order. */
    private static Map<String, List<String>> rows(String schema) throws Exception {
        Map<String, List<String>> out = new java.util.TreeMap<>();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(jdbc + "?currentSchema=" + schema,
                postgres.user(), postgres.password())) {
            List<String> tables = new ArrayList<>();
            try (var rs = c.getMetaData().getTables(null, schema, "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            for (String t : tables) {
                if (t.equals("projection_offsets") || t.equals("projection_quarantine")
                        || t.startsWith("flyway_")) {
                    continue;
                }
                List<String> r = new ArrayList<>();
                try (var st = c.createStatement();
                     var rs = st.executeQuery("select x::text from " + schema + "." + t + " x order by 1")) {
                    while (rs.next()) {
                        r.add(rs.getString(1));
                    }
                }
                out.put(t, r);
            }
        }
        return out;
    }

    private static void publish(KafkaProducer<String, byte[]> producer, MonitorCodec codec, int from, int count) {
        publish(producer, codec, "churn", from, count);
    }

    private static void publish(KafkaProducer<String, byte[]> producer, MonitorCodec codec, String model, int from,
                                int count) {
        SplittableRandom random = new SplittableRandom(from);
        for (int i = from; i < from + count; i++) {
            Map<String, Object> x = new LinkedHashMap<>();
            for (int f = 0; f < 3; f++) {
                x.put("f" + f, random.nextGaussian());
            }
            producer.send(new ProducerRecord<>(Topics.MONITOR_PREDICTIONS, model, codec.encodePrediction(
                    new Prediction(model, 1, Instant.now(), "req-" + i, x, random.nextDouble()))));
        }
        producer.flush();
    }

    private static List<JsonNode> reports(DroverClient mon) {
        List<JsonNode> out = new ArrayList<>();
        mon.get("/api/v1/monitors/churn/reports?limit=100").body().path("items").forEach(out::add);
        return out;
    }

    /** A champion whose feature set has standard-normal reference statistics for three features. */
    private static void champion(DroverClient reg) {
        champion(reg, "churn");
    }

    private static void champion(DroverClient reg, String model) {
        Map<String, Object> stats = new LinkedHashMap<>();
        List<Map<String, Object>> schema = new ArrayList<>();
        List<Double> edges = List.of(-4.0, -2.0, -1.0, 0.0, 1.0, 2.0, 4.0);
        List<Long> counts = List.of(228L, 1359L, 3413L, 3413L, 1359L, 228L);
        List<Map<String, Object>> quantiles = List.of(Map.of("p", 0.0, "value", -4.0), Map.of("p", 0.25,
                "value", -0.674), Map.of("p", 0.5, "value", 0.0), Map.of("p", 0.75, "value", 0.674),
                Map.of("p", 1.0, "value", 4.0));
        for (int f = 0; f < 3; f++) {
            schema.add(Map.of("name", "f" + f, "type", "NUMERIC"));
            stats.put("f" + f, Map.of("missing", 0, "histogram", Map.of("edges", edges, "counts", counts),
                    "quantiles", quantiles));
        }
        ok(reg.post("/api/v1/feature-sets/" + model + "-features/versions", Map.of("schema",
                Map.of("features", schema), "dataLocation", "test", "statistics",
                Map.of("rowCount", 10_000, "features", stats))));
        ok(reg.post("/api/v1/models/" + model + "/versions", Map.of("artifactLocation", "test",
                "createModelIfMissing", true, "metrics", Map.of("auc", 0.8), "lineage", Map.of("featureSet",
                        Map.of("name", model + "-features", "version", 1)))));
        ok(reg.put("/api/v1/models/" + model + "/aliases/champion", Map.of("version", 1)));
    }

    private static void ok(DroverClient.Response r) {
        assertThat(r.ok()).as("%s %s", r.status(), r.body()).isTrue();
    }

    private static void awaitHealthy(int port) {
        DroverClient health = new DroverClient("http://localhost:" + port);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> health.get("/health").ok());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

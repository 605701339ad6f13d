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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The monitor survives {@code kill -9}: the broker, the model registry and the monitor each in their own JVM; the
 * monitor is killed with a window half full, predictions keep arriving while it is down, and the restarted monitor
 * neither loses nor double-counts a window, and still knows its policy (its state is rebuilt from the log).
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
        registry = ServiceProcess.start("registry", logs, "dev.drover.registry.RegistryApplication", r, List.of(),
                null);
        monitor = startMonitor("monitor-1");
        awaitHealthy(registryPort);
        awaitHealthy(monitorPort);
    }

    static ServiceProcess startMonitor(String name) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("drover.kafka.bootstrap-servers", bootstrap);
        m.put("drover.monitor.port", String.valueOf(monitorPort));
        m.put("drover.monitor.db.url", jdbc + "?currentSchema=monitor");
        m.put("drover.monitor.db.username", postgres.user());
        m.put("drover.monitor.db.password", postgres.password());
        m.put("drover.monitor.instance-id", "system-test");
        m.put("drover.monitor.registry-url", "http://localhost:" + registryPort);
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
        DroverClient reg = new DroverClient("http://localhost:" + registryPort);
        DroverClient mon = new DroverClient("http://localhost:" + monitorPort);
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
    }

    private static void publish(KafkaProducer<String, byte[]> producer, MonitorCodec codec, int from, int count) {
        SplittableRandom random = new SplittableRandom(from);
        for (int i = from; i < from + count; i++) {
            Map<String, Object> x = new LinkedHashMap<>();
            for (int f = 0; f < 3; f++) {
                x.put("f" + f, random.nextGaussian());
            }
            producer.send(new ProducerRecord<>(Topics.MONITOR_PREDICTIONS, "churn", codec.encodePrediction(
                    new Prediction("churn", 1, Instant.now(), "req-" + i, x, random.nextDouble()))));
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
        ok(reg.post("/api/v1/feature-sets/churn-features/versions", Map.of("schema", Map.of("features", schema),
                "dataLocation", "test", "statistics", Map.of("rowCount", 10_000, "features", stats))));
        ok(reg.post("/api/v1/models/churn/versions", Map.of("artifactLocation", "test", "createModelIfMissing", true,
                "metrics", Map.of("auc", 0.8), "lineage", Map.of("featureSet",
                        Map.of("name", "churn-features", "version", 1)))));
        ok(reg.put("/api/v1/models/churn/aliases/champion", Map.of("version", 1)));
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

package dev.drover.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.monitor.MonitorRuntime;
import dev.drover.monitor.drift.DriftBenchmark;
import dev.drover.monitor.wire.EventEnvelope;
import dev.drover.monitor.wire.MonitorCodec;
import dev.drover.monitor.wire.Prediction;
import dev.drover.platform.kafka.KafkaClientConfig;
import dev.drover.platform.kafka.Topics;
import dev.drover.schemas.run.event.RunEventEnvelope;
import dev.drover.schemas.run.event.RunStarted;
import dev.drover.schemas.run.event.TaskStarted;
import dev.drover.platform.avro.AvroCodec;
import dev.drover.standalone.DroverClient;
import dev.drover.standalone.DroverStandalone;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * The monitor suite (see bench/README.md):
 * <ul>
 *   <li>{@code drift_1m_x_100_s} — every default drift test on 1,000,000 rows × 100 numeric features against a
 *       100,000-row reference, from the first row into the window sketches to the dataset verdict
 *       ({@link DriftBenchmark}); the median of three runs in this JVM (the cold first run included).</li>
 *   <li>{@code inference_ingest_per_s} — Avro predictions consumed from Kafka into windows: with the monitor's window
 *       loop running, 500,000 predictions of 10 features are published as fast as a producer can, and the figure is
 *       their count over the time from the first one's publication to the decision of the last window they fill.</li>
 *   <li>{@code window_data_rows_per_s} — the same run's predictions kept as window files (the monitor keeps every
 *       window's rows, docs/monitor.md "Production data"): the rows found in the files over the same time; the
 *       suite fails if a row is missing or kept twice.</li>
 *   <li>{@code drift_to_run_start_ms} — from a drifted window closing (the window loop's {@code RecordWindow}
 *       command) to the first task of the retraining run it triggers starting (its {@code TaskStarted}), both read
 *       from the Kafka log.</li>
 *   <li>{@code drift_to_better_champion_s} — the demo's retraining loop on its data sizes: the example pipeline's
 *       champion, 1,500 drifted predictions and their labels from the serving simulator; from the first drifted
 *       window's report to the retrained model holding {@code champion} (the alias history's time), which includes
 *       waiting for 1,000 labels and the whole retraining run.</li>
 * </ul>
 * Everything runs in one {@link DroverStandalone} with a temporary data directory and free ports.
 */
final class MonitorBench {
    private static final int ROWS = Integer.getInteger("bench.drift-rows", 1_000_000);
    private static final int FEATURES = Integer.getInteger("bench.drift-features", 100);
    private static final int REFERENCE_ROWS = Integer.getInteger("bench.drift-reference-rows", 100_000);
    private static final int INGEST = Integer.getInteger("bench.ingest-predictions", 500_000);
    private static final int INGEST_WINDOW = Integer.getInteger("bench.ingest-window", 10_000);
    private static final int INGEST_FEATURES = 10;

    private MonitorBench() {
    }

    static void run() throws Exception {
        drift();
        Path dir = Files.createTempDirectory("drover-bench-monitor-");
        // the work directory is the repository: the example pipeline's steps are examples/ml/*.java
        DroverStandalone drover = DroverStandalone.start(new DroverStandalone.Settings(dir, 0, 0, -1,
                Path.of("").toAbsolutePath(), Map.of("drover.monitor.instance-id", "bench")));
        // interrupted (Ctrl-C): stop Drover, PostgreSQL (a separate process) above all; close() is idempotent
        Thread hook = new Thread(drover::close, "bench-monitor-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            DroverClient client = drover.client();
            ingest(drover, client);
            driftToRun(drover, client);
            driftToBetterChampion(drover, client);
        } finally {
            drover.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down
            }
        }
    }

    private static void drift() {
        double[] runs = new double[3];
        for (int i = 0; i < runs.length; i++) {
            runs[i] = DriftBenchmark.run(ROWS, FEATURES, REFERENCE_ROWS);
            Log.err(String.format(Locale.ROOT, "drift run %d: %d rows x %d features vs %d reference rows in %.2f s",
                    i + 1, ROWS, FEATURES, REFERENCE_ROWS, runs[i]));
        }
        double[] sorted = runs.clone();
        Arrays.sort(sorted);
        Bench.figure("drift_1m_x_100_s", Math.round(sorted[1] * 100) / 100.0);
    }

    /** A champion whose feature set has standard-normal reference statistics for {@code features} features. */
    private static void champion(DroverClient client, String model, int features) {
        Map<String, Object> stats = new LinkedHashMap<>();
        List<Map<String, Object>> schema = new ArrayList<>();
        List<Double> edges = new ArrayList<>();
        for (int i = 0; i <= 20; i++) {
            edges.add(-5 + i * 0.5);
        }
        org.apache.commons.statistics.distribution.NormalDistribution normal =
                org.apache.commons.statistics.distribution.NormalDistribution.of(0, 1);
        for (int f = 0; f < features; f++) {
            String name = "f" + f;
            schema.add(Map.of("name", name, "type", "NUMERIC"));
            List<Long> counts = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                counts.add(Math.round(100_000 * (normal.cumulativeProbability(edges.get(i + 1))
                        - normal.cumulativeProbability(edges.get(i)))));
            }
            List<Map<String, Object>> quantiles = new ArrayList<>();
            for (int k = 0; k <= 100; k++) {
                double p = k / 100.0;
                quantiles.add(Map.of("p", p, "value", k == 0 ? -5.0 : k == 100 ? 5.0 : normal.inverseCumulativeProbability(p)));
            }
            stats.put(name, Map.of("missing", 0, "histogram", Map.of("edges", edges, "counts", counts),
                    "quantiles", quantiles));
        }
        ok(client.post("/api/v1/feature-sets/" + model + "-features/versions", Map.of("schema",
                Map.of("features", schema), "dataLocation", "bench", "statistics", Map.of("rowCount", 100_000,
                        "features", stats))));
        ok(client.post("/api/v1/models/" + model + "/versions", Map.of("artifactLocation", "bench", "createModelIfMissing", true,
                "metrics", Map.of("auc", 0.8), "lineage", Map.of("featureSet",
                        Map.of("name", model + "-features", "version", 1)))));
        ok(client.put("/api/v1/models/" + model + "/aliases/champion", Map.of("version", 1)));
    }

    private static JsonNode ok(DroverClient.Response r) {
        if (!r.ok()) {
            throw new IllegalStateException("bench setup failed: " + r.status() + " " + r.body());
        }
        return r.body();
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(KafkaClientConfig.connect(Map.of(
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class), bootstrap));
    }

    private static void publish(KafkaProducer<String, byte[]> producer, MonitorCodec codec, String model, int count,
                                int features, double shift, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < count; i++) {
            Map<String, Object> x = new LinkedHashMap<>();
            for (int f = 0; f < features; f++) {
                double u = 1 - random.nextDouble();
                x.put("f" + f, shift + Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble()));
            }
            producer.send(new ProducerRecord<>(Topics.MONITOR_PREDICTIONS, model, codec.encodePrediction(
                    new Prediction(model, 1, Instant.now(), model + "-" + seed + "-" + i, x, random.nextDouble()))));
        }
        producer.flush();
    }

    private static void ingest(DroverStandalone drover, DroverClient client) throws Exception {
        String model = "bench-ingest";
        champion(client, model, INGEST_FEATURES);
        ok(client.put("/api/v1/monitors/" + model, Map.of("window", Map.of("rows", INGEST_WINDOW))));
        MonitorRuntime monitor = drover.context().getBean(MonitorRuntime.class);
        awaitTrue("the window loop to know " + model, () -> monitor.windows().monitored(model));
        MonitorCodec codec = monitor.codec();
        try (KafkaProducer<String, byte[]> producer = producer(drover.kafkaBootstrap());
             EventReader events = new EventReader(drover.kafkaBootstrap(), Topics.MONITOR_EVENTS)) {
            // warm-up: a few windows, not counted
            publish(producer, codec, model, INGEST_WINDOW * 3, INGEST_FEATURES, 0, 1);
            events.awaitCount(r -> reportOf(codec, r, model), 3);
            long t0 = System.nanoTime();
            publish(producer, codec, model, INGEST, INGEST_FEATURES, 0, 2);
            long published = System.nanoTime();
            events.awaitCount(r -> reportOf(codec, r, model), 3 + INGEST / INGEST_WINDOW);
            double seconds = (System.nanoTime() - t0) / 1e9;
            Log.err(String.format(Locale.ROOT, "ingest: %d predictions published in %.2f s, all %d windows decided "
                    + "after %.2f s", INGEST, (published - t0) / 1e9, INGEST / INGEST_WINDOW, seconds));
            Bench.figure("inference_ingest_per_s", Math.round(INGEST / seconds));
            long kept = keptRows(drover.dataDir().resolve("monitor-data").resolve(model).resolve("windows"));
            long expected = (long) INGEST + INGEST_WINDOW * 3L;
            if (kept != expected) {
                throw new IllegalStateException("the window files hold " + kept + " rows, not the " + expected
                        + " predictions of the windows");
            }
            Bench.figure("window_data_rows_per_s", Math.round(INGEST / seconds));
        }
    }

    /** The data rows of every kept window file in {@code dir} (each file's header left out). */
    private static long keptRows(Path dir) throws java.io.IOException {
        long rows = 0;
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".csv")).toList()) {
                try (var lines = Files.lines(f)) {
                    rows += lines.count() - 1;
                }
            }
        }
        return rows;
    }

    /** The demo's retraining loop, timed from the first drifted report to the better model's promotion. */
    private static void driftToBetterChampion(DroverStandalone drover, DroverClient client) throws Exception {
        Path repo = Path.of("").toAbsolutePath();
        ok(client.registerPipeline(Files.readString(repo.resolve("examples/churn-training.yaml"))));
        JsonNode first = client.awaitRun(ok(client.startRun("churn-training", Map.of())).path("runId").asText(),
                Duration.ofMinutes(5));
        if (!"SUCCEEDED".equals(first.path("status").asText())) {
            throw new IllegalStateException("the example pipeline did not succeed: " + first);
        }
        ok(client.put("/api/v1/monitors/churn", Map.of("window", Map.of("rows", 500), "datasetDriftShare", 0.25,
                "featureOverrides", Map.of(
                        "tenure_months", Map.of("method", "WASSERSTEIN", "threshold", 0.2),
                        "monthly_charges", Map.of("method", "WASSERSTEIN", "threshold", 0.2),
                        "support_calls", Map.of("method", "WASSERSTEIN", "threshold", 0.2)),
                "degradation", Map.of("metric", "auc", "direction", "GREATER", "maxAbsoluteDrop", 0.5,
                        "rollback", false), "retrainMinLabeledRows", 1000)));
        Path runDir = Path.of(DroverClient.outputs(first, "train").path("model_path").asText()).getParent();
        Process serve = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "examples/ml/Serve.java", "--url", drover.baseUrl(), "--token-file",
                drover.dataDir().resolve("admin-token").toString(), "--model", "churn", "--model-version", "1",
                "--run-dir", runDir.toString(), "--rows", "1500", "--batch", "250", "--drift", "two-features",
                "--labels", "price-sensitive", "--seed", "21").redirectErrorStream(true).start();
        String said = new String(serve.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (serve.waitFor() != 0) {
            throw new IllegalStateException("the serving simulator failed: " + said);
        }
        awaitTrue("the retrained model to become champion", () -> client.get("/api/v1/models/churn/aliases/champion")
                .body().path("version").path("version").asInt() == 2);
        Instant drifted = null;
        for (JsonNode r : client.get("/api/v1/monitors/churn/reports?limit=100").body().path("items")) {
            if (r.path("datasetDrifted").asBoolean()) {
                drifted = Instant.parse(r.path("recordedAt").asText()); // newest first: the last one is the first
            }
        }
        JsonNode changes = client.get("/api/v1/models/churn/aliases/champion/history").body().path("changes");
        Instant promoted = Instant.parse(changes.get(changes.size() - 1).path("at").asText());
        Log.err("drift to better champion: first drifted report " + drifted + ", version 2 champion " + promoted);
        Bench.figure("drift_to_better_champion_s", Math.round(Duration.between(drifted, promoted).toMillis() / 100.0)
                / 10.0);
    }

    private static boolean reportOf(MonitorCodec codec, ConsumerRecord<String, byte[]> r, String model) {
        EventEnvelope e = codec.decodeEvent(r.value());
        return e.event() instanceof dev.drover.monitor.core.MonitorEvent.DriftReportRecorded d
                && d.modelName().equals(model);
    }

    private static void driftToRun(DroverStandalone drover, DroverClient client) throws Exception {
        String model = "bench-drift";
        champion(client, model, INGEST_FEATURES);
        ok(client.registerPipeline("""
                id: bench-retrain
                triggers: [{drift: {model: bench-drift}}]
                tasks:
                  - {id: retrain, type: noop}
                """));
        ok(client.put("/api/v1/monitors/" + model, Map.of("window", Map.of("rows", 1000))));
        MonitorRuntime monitor = drover.context().getBean(MonitorRuntime.class);
        awaitTrue("the window loop to know " + model, () -> monitor.windows().monitored(model));
        MonitorCodec codec = monitor.codec();
        AvroCodec<RunEventEnvelope> runEvents = new AvroCodec<>(RunEventEnvelope.class);
        List<Long> samples = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = producer(drover.kafkaBootstrap());
             EventReader commands = new EventReader(drover.kafkaBootstrap(), Topics.MONITOR_COMMANDS);
             EventReader runs = new EventReader(drover.kafkaBootstrap(), Topics.RUN_EVENTS)) {
            // a drifted window: every feature shifted by two standard deviations
            publish(producer, codec, model, 1000, INGEST_FEATURES, 2.0, 3);
            ConsumerRecord<String, byte[]> window = commands.awaitFirst(r -> {
                var c = codec.decodeCommand(r.value());
                return c.command() instanceof dev.drover.monitor.core.MonitorCommand.RecordWindow w
                        && w.modelName().equals(model);
            });
            Instant closed = codec.decodeCommand(window.value()).issuedAt();
            String[] runId = new String[1];
            ConsumerRecord<String, byte[]> started = runs.awaitFirst(r -> {
                Object p = runEvents.decode(r.value()).getPayload();
                if (p instanceof RunStarted s && s.getRunId().toString().startsWith("bench-retrain.")) {
                    runId[0] = s.getRunId().toString();
                }
                return p instanceof TaskStarted t && runId[0] != null && t.getRunId().toString().equals(runId[0]);
            });
            Instant taskStarted = ((TaskStarted) runEvents.decode(started.value()).getPayload()).getAt();
            samples.add(Duration.between(closed, taskStarted).toMillis());
            Log.err("drift to run start: window closed " + closed + ", run " + runId[0] + " first task started "
                    + taskStarted);
        }
        Bench.figure("drift_to_run_start_ms", samples.get(0));
    }

    private static void awaitTrue(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** Reads a topic from its beginning, read_committed, counting or finding records. */
    private static final class EventReader implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        private long matched;

        EventReader(String bootstrap, String topic) {
            consumer = new KafkaConsumer<>(KafkaClientConfig.connect(Map.of(
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class), bootstrap));
            List<TopicPartition> tps = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
        }

        void awaitCount(Predicate<ConsumerRecord<String, byte[]>> match, long count) {
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (matched < count) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    if (match.test(r)) {
                        matched++;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("saw " + matched + " of " + count + " records within 10 minutes");
                }
            }
        }

        ConsumerRecord<String, byte[]> awaitFirst(Predicate<ConsumerRecord<String, byte[]>> match) {
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(20))) {
                    if (match.test(r)) {
                        return r;
                    }
                }
            }
            throw new IllegalStateException("no matching record within 2 minutes");
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}

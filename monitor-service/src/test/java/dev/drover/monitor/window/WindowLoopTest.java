package dev.drover.monitor.window;

import dev.drover.embedded.TestInfrastructure;
import dev.drover.monitor.core.DegradationPolicy;
import dev.drover.monitor.core.FeatureResult;
import dev.drover.monitor.core.FeatureSetRef;
import dev.drover.monitor.core.MetricDirection;
import dev.drover.monitor.core.MonitorCommand;
import dev.drover.monitor.core.MonitorEvent;
import dev.drover.monitor.core.MonitorEvent.DriftReportRecorded;
import dev.drover.monitor.core.MonitorEvent.MonitorCommandRejected;
import dev.drover.monitor.core.MonitorEvent.PerformanceRecorded;
import dev.drover.monitor.core.MonitoringPolicy;
import dev.drover.monitor.core.TumblingWindow;
import dev.drover.monitor.drift.CategoricalReference;
import dev.drover.monitor.drift.FeatureKind;
import dev.drover.monitor.drift.FeatureReference;
import dev.drover.monitor.drift.NumericReference;
import dev.drover.monitor.loop.MonitorGateway;
import dev.drover.monitor.loop.MonitorLoop;
import dev.drover.monitor.wire.CommandEnvelope;
import dev.drover.monitor.wire.EventEnvelope;
import dev.drover.monitor.wire.Label;
import dev.drover.monitor.wire.MonitorCodec;
import dev.drover.monitor.wire.MonitorKeys;
import dev.drover.monitor.wire.Prediction;
import dev.drover.platform.eventlog.DeadLetters;
import dev.drover.platform.eventlog.DecisionLoop;
import dev.drover.platform.kafka.Topics;
import dev.drover.schemas.common.DeadLetter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
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
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The window loop on a real broker with the real decision loop: Avro and CloudEvents predictions close windows that
 * report drift only when features shift, bad records are counted per reason and set aside, labels score the
 * champion, and a restart in the middle of a window neither loses nor double-counts one. The registry is replaced by
 * an in-memory {@link ReferenceSource} (its HTTP side is {@link HttpReferenceSourceTest}).
 */
class WindowLoopTest {
    private static final MonitorCodec CODEC = new MonitorCodec();
    private static final int PARTITIONS = 3;
    private static final Map<String, ModelReference> REFERENCES = new ConcurrentHashMap<>();
    private static final ReferenceSource SOURCE = model -> {
        ModelReference r = REFERENCES.get(model);
        return r == null ? new ReferenceSource.Missing("no champion") : new ReferenceSource.Found(r);
    };
    private static String bootstrap;
    private static MonitorGateway gateway;
    private static DecisionLoop decisions;
    private static WindowLoop windows;
    private static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void start() {
        bootstrap = TestInfrastructure.kafkaBootstrap();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Topics.ensureTopics(admin, PARTITIONS, (short) 1);
        }
        gateway = new MonitorGateway(bootstrap, CODEC);
        decisions = MonitorLoop.create(bootstrap, "window-loop-test", Duration.ofSeconds(10), CODEC,
                Clock.systemUTC());
        decisions.start();
        windows = newWindows();
        windows.start();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    /** Where the window loop keeps production data. */
    @org.junit.jupiter.api.io.TempDir
    static java.nio.file.Path dataDir;

    /** The rows of a kept CSV file, header first, each as its cells. */
    private static List<List<String>> csv(String location) throws java.io.IOException {
        List<List<String>> rows = new ArrayList<>();
        try (var parser = org.apache.commons.csv.CSVFormat.RFC4180.parse(java.nio.file.Files.newBufferedReader(
                java.nio.file.Path.of(location)))) {
            parser.forEach(r -> rows.add(r.toList()));
        }
        return rows;
    }

    private static List<String> column(List<List<String>> rows, String name) {
        int i = rows.get(0).indexOf(name);
        return rows.subList(1, rows.size()).stream().map(r -> r.get(i)).toList();
    }

    @AfterAll
    static void stop() {
        producer.close();
        windows.close();
        decisions.close();
        gateway.close();
    }

    private static WindowLoop newWindows() {
        return new WindowLoop(bootstrap, "window-loop-test", Duration.ofSeconds(10), CODEC, SOURCE,
                WindowSettings.defaults().keepingDataAt(dataDir), Clock.systemUTC());
    }

    // --- the model, its reference and its data ---

    private static final List<String> PLANS = List.of("basic", "pro", "team");

    private static void register(String model, double aucBaseline) {
        Random random = new Random(model.hashCode());
        Map<String, FeatureReference> refs = new HashMap<>();
        for (String f : List.of("a", "b", "c")) {
            double[] values = new double[1000];
            for (int i = 0; i < values.length; i++) {
                values[i] = random.nextGaussian();
            }
            refs.put(f, NumericReference.ofValues(values));
        }
        Map<String, Long> plans = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            plans.merge(plan(random), 1L, Long::sum);
        }
        refs.put("plan", new CategoricalReference(FeatureKind.CATEGORICAL, plans));
        REFERENCES.put(model, new ModelReference(model, 1, new FeatureSetRef(model + "-features", 1),
                Map.of("a", FeatureKind.NUMERIC, "b", FeatureKind.NUMERIC, "c", FeatureKind.NUMERIC,
                        "plan", FeatureKind.CATEGORICAL), refs, Map.of("auc", aucBaseline)));
    }

    private static String plan(Random random) {
        double u = random.nextDouble();
        return u < 0.5 ? PLANS.get(0) : u < 0.8 ? PLANS.get(1) : PLANS.get(2);
    }

    private static Map<String, Object> features(Random random, double shift) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("a", random.nextGaussian() + shift);
        f.put("b", random.nextGaussian() + shift);
        f.put("c", random.nextGaussian());
        f.put("plan", plan(random));
        return f;
    }

    private static void configure(String model, long rows) throws Exception {
        MonitoringPolicy policy = new MonitoringPolicy(TumblingWindow.ofRows(rows), 0.5, Map.of(),
                Duration.ofHours(1), new DegradationPolicy("auc", MetricDirection.GREATER, 0.05, null, false),
                List.of());
        gateway.send(new CommandEnvelope(new MonitorCommand.ConfigureMonitoring(UUID.randomUUID().toString(), model,
                policy, "test"), Instant.now(), "test")).get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> windows.monitored(model));
    }

    private static void avro(String model, Map<String, Object> features, String requestId, Object prediction) {
        producer.send(new ProducerRecord<>(Topics.MONITOR_PREDICTIONS, model, CODEC.encodePrediction(
                new Prediction(model, 1, Instant.now(), requestId, features, prediction))));
    }

    private static void cloudEvent(String model, String topic, String type, String requestId, String json) {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, model, json.getBytes(StandardCharsets.UTF_8));
        r.headers().add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8))
                .add("ce_type", type.getBytes(StandardCharsets.UTF_8))
                .add("ce_id", requestId.getBytes(StandardCharsets.UTF_8))
                .add("ce_source", "/serving/test".getBytes(StandardCharsets.UTF_8))
                .add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
        producer.send(r);
    }

    private static String predictionJson(String model, String requestId, Map<String, Object> features) {
        StringBuilder f = new StringBuilder();
        features.forEach((k, v) -> f.append(f.length() == 0 ? "" : ",").append('"').append(k).append("\":")
                .append(v instanceof String ? "\"" + v + "\"" : String.valueOf(v)));
        return "{\"modelName\":\"" + model + "\",\"modelVersion\":1,\"timestamp\":\"" + Instant.now()
                + "\",\"requestId\":\"" + requestId + "\",\"features\":{" + f + "},\"prediction\":0.5}";
    }

    // --- reading the monitor's events ---

    private static List<MonitorEvent> events(String model) {
        List<MonitorEvent> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = reader()) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                tps.add(new TopicPartition(Topics.MONITOR_EVENTS, p));
            }
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            while (end.entrySet().stream().anyMatch(e -> c.position(e.getKey()) < e.getValue())) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
                    if (MonitorKeys.model(model).equals(r.key())) {
                        found.add(CODEC.decodeEvent(r.value()).event());
                    }
                }
            }
        }
        return found;
    }

    private static <T> List<T> events(String model, Class<T> type) {
        return events(model).stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static KafkaConsumer<String, byte[]> reader() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
    }

    private static List<DeadLetter> deadLetters(String model) {
        List<DeadLetter> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = reader()) {
            TopicPartition tp = new TopicPartition(Topics.DEAD_LETTER, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            while (c.position(tp) < end) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
                    if (model.equals(r.key())) {
                        found.add(DeadLetters.decode(r.value()));
                    }
                }
            }
        }
        return found;
    }

    private static String name(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    // --- the tests ---

    @Test
    void aWindowByTimeClosesWhenAPredictionOfTheNextWindowArrivesAndALatePredictionIsCounted() throws Exception {
        String model = name("hourly");
        register(model, 0.8);
        MonitoringPolicy policy = new MonitoringPolicy(TumblingWindow.ofDuration(Duration.ofMinutes(1)), 0.5,
                Map.of(), Duration.ofHours(1), null, List.of());
        gateway.send(new CommandEnvelope(new MonitorCommand.ConfigureMonitoring(UUID.randomUUID().toString(), model,
                policy, "test"), Instant.now(), "test")).get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> windows.monitored(model));
        // windows are aligned to the epoch: [k·1m, (k+1)·1m)
        Instant minute = Instant.ofEpochMilli(Math.floorDiv(Instant.now().toEpochMilli(), 60_000) * 60_000)
                .plus(Duration.ofMinutes(5));
        Random random = new Random(7);
        for (int i = 0; i < 120; i++) {
            timed(model, minute.plusMillis(i * 100L), features(random, 0), "t-" + i);
        }
        for (int i = 0; i < 30; i++) { // the next minute: its first prediction closes the first window
            timed(model, minute.plusSeconds(70).plusMillis(i * 100L), features(random, 0), "next-" + i);
        }
        timed(model, minute.plusSeconds(30), features(random, 0), "late"); // before the open window: late
        producer.flush();

        await().atMost(Duration.ofSeconds(60)).until(() -> !events(model, DriftReportRecorded.class).isEmpty());
        DriftReportRecorded report = events(model, DriftReportRecorded.class).get(0);
        assertThat(report.window().rowCount()).isEqualTo(120);
        assertThat(report.window().start()).isEqualTo(minute);
        assertThat(report.window().end()).isBeforeOrEqualTo(minute.plusSeconds(60));
        timed(model, minute.plusSeconds(200), features(random, 0), "after"); // closes the second minute
        producer.flush();
        await().atMost(Duration.ofSeconds(60)).until(() -> events(model, DriftReportRecorded.class).size() == 2);
        DriftReportRecorded second = events(model, DriftReportRecorded.class).get(1);
        assertThat(second.window().rowCount()).isEqualTo(30);
        assertThat(second.badRecords()).containsEntry("late", 1L);
    }

    @Test
    void aPredictionSentAfterItsPolicyWasCommittedIsCountedEvenWhenThePolicyConsumerLags() throws Exception {
        String model = name("lagging");
        register(model, 0.8);
        windows.followPoliciesEachStep(false); // the policy reaches the loop only if the loop goes to fetch it
        try {
            MonitoringPolicy policy = new MonitoringPolicy(TumblingWindow.ofRows(1000), 0.5, Map.of(),
                    Duration.ofHours(1), null, List.of());
            gateway.send(new CommandEnvelope(new MonitorCommand.ConfigureMonitoring(UUID.randomUUID().toString(),
                    model, policy, "test"), Instant.now(), "test")).get(30, TimeUnit.SECONDS);
            Random random = new Random(3);
            for (int i = 0; i < 25; i++) {
                timed(model, Instant.now(), features(random, 0), "lag-" + i);
            }
            producer.flush();
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    windows.predictionsRead().getOrDefault(model, 0L) == 25);
            assertThat(windows.unmonitoredRecords()).doesNotContainKey(model);
        } finally {
            windows.followPoliciesEachStep(true);
        }
    }

    private static void timed(String model, Instant at, Map<String, Object> features, String requestId) {
        producer.send(new ProducerRecord<>(Topics.MONITOR_PREDICTIONS, model, CODEC.encodePrediction(
                new Prediction(model, 1, at, requestId, features, 0.5))));
    }

    @Test
    void avroAndCloudEventPredictionsCloseWindowsThatDriftOnlyWhenTwoFeaturesShiftAndBadRecordsAreCounted()
            throws Exception {
        String model = name("churn");
        register(model, 0.8);
        configure(model, 300);
        Random random = new Random(42);

        for (int i = 0; i < 300; i++) {
            avro(model, features(random, 0), "r1-" + i, 0.5);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> events(model, DriftReportRecorded.class).size() == 1);
        DriftReportRecorded steady = events(model, DriftReportRecorded.class).get(0);
        assertThat(steady.window().rowCount()).isEqualTo(300);
        assertThat(steady.results()).extracting(FeatureResult::feature).containsExactly("a", "b", "c", "plan");
        assertThat(steady.datasetDrifted()).as("data drawn like the reference").isFalse();

        for (int i = 0; i < 300; i++) {
            String id = "r2-" + i;
            cloudEvent(model, Topics.MONITOR_PREDICTIONS, "dev.drover.prediction.v1", id,
                    predictionJson(model, id, features(random, 1.0)));
            if (i == 100) {
                Map<String, Object> missing = features(random, 1.0);
                missing.remove("c");
                avro(model, missing, "bad-1", 0.5);
                Map<String, Object> extra = features(random, 1.0);
                extra.put("zip", "12345");
                avro(model, extra, "bad-2", 0.5);
                Map<String, Object> nan = features(random, 1.0);
                nan.put("a", Double.NaN);
                avro(model, nan, "bad-3", 0.5);
                Map<String, Object> wrong = features(random, 1.0);
                wrong.put("b", "high");
                avro(model, wrong, "bad-4", 0.5);
                producer.send(new ProducerRecord<>(Topics.MONITOR_PREDICTIONS, model,
                        "not avro".getBytes(StandardCharsets.UTF_8)));
                cloudEvent(model, Topics.MONITOR_PREDICTIONS, "dev.drover.prediction.v1", "other-id",
                        predictionJson(model, "bad-5", features(random, 1.0)));
            }
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> events(model, DriftReportRecorded.class).size() == 2);
        DriftReportRecorded shifted = events(model, DriftReportRecorded.class).get(1);
        assertThat(shifted.window().rowCount()).isEqualTo(300);
        assertThat(shifted.datasetDrifted()).isTrue();
        assertThat(shifted.results()).filteredOn(FeatureResult::drifted).extracting(FeatureResult::feature)
                .containsExactly("a", "b");
        assertThat(shifted.badRecords()).containsEntry("missing_feature", 1L).containsEntry("extra_feature", 1L)
                .containsEntry("non_finite", 1L).containsEntry("wrong_type", 1L).containsEntry("undecodable", 2L);
        List<DeadLetter> dead = deadLetters(model);
        assertThat(dead).hasSize(2);
        assertThat(dead).allSatisfy(d -> assertThat(d.getSourceTopic()).isEqualTo(Topics.MONITOR_PREDICTIONS));
        assertThat(dead).anySatisfy(d -> assertThat(d.getReason()).contains("ce_id 'other-id' differs"));
        assertThat(events(model, MonitorCommandRejected.class)).isEmpty();
    }

    @Test
    void labelsJoinTheirPredictionsAndRecordTheChampionsAuc() throws Exception {
        String model = name("fraud");
        register(model, 0.9);
        configure(model, 50);
        Random random = new Random(7);
        double[] scores = new double[50];
        boolean[] truths = new boolean[50];
        for (int i = 0; i < 50; i++) {
            scores[i] = Math.round(random.nextDouble() * 20) / 20.0; // ties on purpose
            truths[i] = random.nextDouble() < scores[i];
            avro(model, features(random, 0), "q-" + i, scores[i]);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> events(model, DriftReportRecorded.class).size() == 1);
        producer.send(new ProducerRecord<>(Topics.MONITOR_LABELS, model, CODEC.encodeLabel(
                new Label(model, "never-predicted", Instant.now(), true))));
        for (int i = 0; i < 50; i++) {
            if (i % 2 == 0) {
                producer.send(new ProducerRecord<>(Topics.MONITOR_LABELS, model, CODEC.encodeLabel(
                        new Label(model, "q-" + i, Instant.now(), truths[i]))));
            } else {
                cloudEvent(model, Topics.MONITOR_LABELS, "dev.drover.label.v1", "q-" + i, "{\"modelName\":\""
                        + model + "\",\"requestId\":\"q-" + i + "\",\"timestamp\":" + Instant.now().toEpochMilli()
                        + ",\"label\":" + truths[i] + "}");
            }
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> !events(model, PerformanceRecorded.class).isEmpty());
        PerformanceRecorded performance = events(model, PerformanceRecorded.class).get(0);
        // the AUC by its definition: P(score of a positive > score of a negative), ties a half
        double pairs = 0;
        double wins = 0;
        for (int i = 0; i < 50; i++) {
            for (int j = 0; j < 50; j++) {
                if (truths[i] && !truths[j]) {
                    pairs++;
                    wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
            }
        }
        assertThat(performance.observed()).isCloseTo(wins / pairs, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(performance.labelCount()).isEqualTo(50);
        assertThat(performance.baseline()).isEqualTo(0.9);
        assertThat(performance.version()).isEqualTo(1);

        // the window's rows and the labelled rows are kept, and each labelled row names the file of its features
        dev.drover.monitor.core.ClosedWindow window = events(model, DriftReportRecorded.class).get(0).window();
        List<List<String>> rows = csv(window.dataLocation());
        assertThat(rows.get(0)).containsExactly("request_id", "timestamp", "model_version", "prediction", "a", "b",
                "c", "plan");
        List<String> expectedIds = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            expectedIds.add("q-" + i);
        }
        assertThat(column(rows, "request_id")).containsExactlyElementsOf(expectedIds);
        assertThat(column(rows, "prediction").get(3)).isEqualTo(String.valueOf(scores[3]).replaceAll("\\.0$", ""));
        List<List<String>> labeled = csv(performance.labeledDataLocation());
        assertThat(column(labeled, "request_id")).containsExactlyInAnyOrderElementsOf(expectedIds);
        assertThat(column(labeled, "label").get(labeled.size() - 2)).isEqualTo(String.valueOf(truths[49]));
        assertThat(column(labeled, "window_data")).containsOnly(window.dataLocation());
        assertThat(performance.labelsByWindow()).containsExactly(Map.entry(window.windowId(), 50L));

        for (int i = 0; i < 50; i++) {
            avro(model, features(random, 0), "s-" + i, 0.5);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> events(model, DriftReportRecorded.class).size() == 2);
        assertThat(events(model, DriftReportRecorded.class).get(1).badRecords())
                .as("the label of an unknown request is counted in the next window")
                .containsEntry("unknown_request", 1L);
    }

    @Test
    void aRestartInTheMiddleOfAWindowNeitherLosesNorDoubleCountsAWindow() throws Exception {
        // two models on one partition: the committed offset stays at the open window of the slow one while the
        // fast one closes a window; after the restart the fast one's records must not be counted again
        String slow = name("slow");
        String fast;
        do {
            fast = name("fast");
        } while (partition(fast) != partition(slow));
        register(slow, 0.8);
        register(fast, 0.8);
        configure(slow, 200);
        configure(fast, 50);
        Random random = new Random(3);
        for (int i = 0; i < 120; i++) {
            avro(slow, features(random, 0), "s-" + i, 0.5);
        }
        for (int i = 0; i < 50; i++) {
            avro(fast, features(random, 0), "f-" + i, 0.5);
        }
        String fastModel = fast;
        await().atMost(Duration.ofSeconds(60)).until(() -> events(fastModel, DriftReportRecorded.class).size() == 1);

        windows.close();
        windows = newWindows();
        windows.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> windows.ready() && windows.monitored(slow));

        for (int i = 120; i < 200; i++) {
            avro(slow, features(random, 0), "s-" + i, 0.5);
        }
        for (int i = 50; i < 100; i++) {
            avro(fast, features(random, 0), "f-" + i, 0.5);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> events(slow, DriftReportRecorded.class).size() == 1
                && events(fastModel, DriftReportRecorded.class).size() == 2);
        assertThat(events(slow, DriftReportRecorded.class).get(0).window().rowCount())
                .as("the open window was rebuilt from its records").isEqualTo(200);
        assertThat(events(fastModel, DriftReportRecorded.class)).extracting(r -> r.window().rowCount())
                .as("the closed window was not counted again").containsExactly(50L, 50L);
        assertThat(events(slow, MonitorCommandRejected.class)).isEmpty();
        assertThat(events(fastModel, MonitorCommandRejected.class)).isEmpty();

        // the kept rows are the log's: every prediction once, in the window it was counted in
        List<String> fastIds = new ArrayList<>();
        for (DriftReportRecorded r : events(fastModel, DriftReportRecorded.class)) {
            List<String> ids = column(csv(r.window().dataLocation()), "request_id");
            assertThat((long) ids.size()).isEqualTo(r.window().rowCount());
            fastIds.addAll(ids);
        }
        List<String> expectedFast = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            expectedFast.add("f-" + i);
        }
        assertThat(fastIds).containsExactlyElementsOf(expectedFast);
        List<String> slowIds = column(csv(events(slow, DriftReportRecorded.class).get(0).window().dataLocation()),
                "request_id");
        assertThat(slowIds).hasSize(200).doesNotHaveDuplicates().startsWith("s-0").endsWith("s-199");
    }

    private static int partition(String model) {
        return Utils.toPositive(Utils.murmur2(model.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }
}

package dev.drover.monitor.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.embedded.TestInfrastructure;
import dev.drover.monitor.core.ClosedWindow;
import dev.drover.monitor.core.FeatureResult;
import dev.drover.monitor.core.FeatureSetRef;
import dev.drover.monitor.core.MonitorCommand;
import dev.drover.monitor.readmodel.ReadModelDatabase;
import dev.drover.monitor.wire.CommandEnvelope;
import dev.drover.monitor.wire.Label;
import dev.drover.monitor.wire.MonitorCodec;
import dev.drover.monitor.wire.Prediction;
import dev.drover.platform.kafka.Topics;
import io.micronaut.inject.qualifiers.Qualifiers;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The monitor's REST API end to end on the real broker and PostgreSQL: configure a model, send windows through the
 * gateway as the window loop would and read them back as reports and triggers, ingest prediction and label batches
 * onto their topics, refuse bad input with its problems, and rebuild the read model to the same rows.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MonitorApiTest {
    private static final String MODEL = "churn-api-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String BASE = "/api/v1/monitors/" + MODEL;
    private static final FeatureSetRef FEATURES = new FeatureSetRef("churn-features", 2);
    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static MonitorApi api;

    @BeforeAll
    static void start() {
        api = new MonitorApi(Map.of());
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static Map<String, Object> policy() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("window", Map.of("rows", 500));
        p.put("featureOverrides", Map.of("income", Map.of("method", "PSI", "threshold", 0.2)));
        p.put("degradation", Map.of("metric", "auc", "direction", "GREATER", "maxAbsoluteDrop", 0.05));
        p.put("webhooks", List.of(Map.of("url", "https://hooks.example.com/x", "format", "SLACK")));
        return p;
    }

    @Test
    @Order(1)
    void configuringAnswersWithThePolicyDefaultsFilledIn() {
        MonitorApi.Answer a = api.put(BASE, policy(), "alice");
        assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
        assertThat(a.body().path("model").asText()).isEqualTo(MODEL);
        assertThat(a.body().path("configuredBy").asText()).isEqualTo("alice");
        JsonNode p = a.body().path("policy");
        assertThat(p.path("window").path("rows").asLong()).isEqualTo(500);
        assertThat(p.path("datasetDriftShare").asDouble()).isEqualTo(0.5);
        assertThat(p.path("retrainCooldown").asText()).isEqualTo("PT1H");
        assertThat(p.path("featureOverrides").path("income").path("method").asText()).isEqualTo("PSI");
        assertThat(p.path("degradation").path("rollback").asBoolean()).isFalse();
        assertThat(p.path("webhooks").get(0).path("format").asText()).isEqualTo("SLACK");

        MonitorApi.Answer again = api.put(BASE, policy(), "bob");
        assertThat(again.status()).as("the same policy again changes nothing").isEqualTo(200);
        assertThat(again.body().path("configuredBy").asText()).isEqualTo("alice");

        assertThat(api.get(BASE).body()).isEqualTo(a.body());
        List<String> listed = new ArrayList<>();
        api.get("/api/v1/monitors?limit=1000").body().path("items").forEach(m -> listed.add(m.path("model").asText()));
        assertThat(listed).contains(MODEL);
    }

    @Test
    @Order(2)
    void aBadPolicyIsRefusedWithEveryProblem() {
        MonitorApi.Answer shape = api.put(BASE, Map.of("retrainCooldown", "1h", "degradation",
                Map.of("metric", "auc", "direction", "UP", "maxAbsoluteDrop", 0.1), "colour", "red"), null);
        assertThat(shape.status()).isEqualTo(400);
        assertThat(shape.error()).isEqualTo("invalid_argument");
        List<String> paths = new ArrayList<>();
        shape.body().path("problems").forEach(p -> paths.add(p.path("path").asText()));
        assertThat(paths).containsExactlyInAnyOrder("/colour", "/window", "/retrainCooldown",
                "/degradation/direction");
        assertThat(shape.body().path("fix").asText()).isNotBlank();

        MonitorApi.Answer rules = api.put(BASE, Map.of("window", Map.of("rows", 5), "datasetDriftShare", 2), null);
        assertThat(rules.status()).as("the core's rejection").isEqualTo(400);
        assertThat(rules.error()).isEqualTo("invalid_argument");
        assertThat(rules.body().path("message").asText()).contains("5").contains("2");

        assertThat(api.put(BASE, "{not json", null).error()).isEqualTo("invalid_json");
        assertThat(api.get(BASE).body().path("policy").path("window").path("rows").asLong())
                .as("the policy in force is unchanged").isEqualTo(500);
        assertThat(api.get("/api/v1/monitors/nobody-" + MODEL).error()).isEqualTo("monitor_not_found");
    }

    private static void send(MonitorCommand command) throws Exception {
        api.runtime().gateway().send(new CommandEnvelope(command, Instant.now(), "test")).get(30, TimeUnit.SECONDS);
    }

    private static MonitorCommand.RecordWindow window(int n) {
        ClosedWindow w = new ClosedWindow("w-" + n, T0.plusSeconds(600L * (n - 1)), T0.plusSeconds(600L * n), 500,
                3, FEATURES);
        return new MonitorCommand.RecordWindow(UUID.randomUUID().toString(), MODEL, w, List.of(
                new FeatureResult("age", "KS", 0.4, 1e-7, 0.05, true),
                // the second window's income distance is infinite (a reference deviation of 0)
                new FeatureResult("income", "PSI", n == 2 ? Double.POSITIVE_INFINITY : 0.35, null, 0.2, true),
                new FeatureResult("plan", "CHI_SQUARE", 0.9, 0.63, 0.05, false)), Map.of("missing_feature", 2L));
    }

    @Test
    @Order(3)
    void windowsSentThroughTheGatewayShowUpAsReportsAndTriggers() throws Exception {
        send(window(1));
        send(window(2));
        send(new MonitorCommand.RecordRetrainRun(UUID.randomUUID().toString(), MODEL, MODEL + "/w-1",
                "retrain-churn", "run-1"));
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get(BASE + "/triggers").body().path("items")
                .path(1).path("runs").size() == 1);

        JsonNode reports = api.get(BASE + "/reports?limit=1").body();
        assertThat(reports.path("items").get(0).path("windowId").asText()).isEqualTo("w-2");
        JsonNode older = api.get(BASE + "/reports?limit=1&pageToken=" + reports.path("nextPageToken").asText())
                .body();
        assertThat(older.path("items").get(0).path("windowId").asText()).isEqualTo("w-1");

        JsonNode report = api.get(BASE + "/reports/w-1").body();
        assertThat(report.path("datasetDrifted").asBoolean()).isTrue();
        assertThat(report.path("driftedShare").asDouble()).isEqualTo(2.0 / 3);
        assertThat(report.path("featureSet").path("version").asInt()).isEqualTo(2);
        assertThat(report.path("badRecords").path("missing_feature").asLong()).isEqualTo(2);
        JsonNode income = report.path("features").get(1);
        assertThat(income.path("feature").asText()).isEqualTo("income");
        assertThat(income.path("method").asText()).isEqualTo("PSI");
        assertThat(income.path("statistic").asDouble()).isEqualTo(0.35);
        assertThat(income.path("threshold").asDouble()).isEqualTo(0.2);
        assertThat(income.path("drifted").asBoolean()).isTrue();
        assertThat(report.path("features").get(0).path("pValue").asDouble()).isEqualTo(1e-7);
        assertThat(api.get(BASE + "/reports/w-2").body().path("features").get(1).path("statistic").asText())
                .isEqualTo("Infinity");
        assertThat(api.get(BASE + "/reports/w-9").error()).isEqualTo("report_not_found");

        JsonNode triggers = api.get(BASE + "/triggers").body().path("items");
        assertThat(triggers.get(0).path("outcome").asText()).isEqualTo("SUPPRESSED");
        assertThat(triggers.get(0).path("lastReportId").asText()).isEqualTo(MODEL + "/w-1");
        assertThat(triggers.get(1).path("outcome").asText()).isEqualTo("REQUESTED");
        assertThat(triggers.get(1).path("reason").asText()).isNotBlank();
        assertThat(triggers.get(1).path("runs").get(0).path("runId").asText()).isEqualTo("run-1");

        JsonNode alerts = api.get(BASE + "/alerts").body().path("items");
        assertThat(alerts.size()).as("one DRIFT alert: the second window was within the cooldown").isEqualTo(1);
        assertThat(alerts.get(0).path("kind").asText()).isEqualTo("DRIFT");
        assertThat(api.get(BASE).body().path("reportCount").asLong()).isEqualTo(2);
        assertThat(api.get(BASE + "/reports?limit=0").error()).isEqualTo("invalid_argument");
    }

    @Test
    @Order(4)
    void performanceBelowTheBaselineIsListedWithItsDegradation() throws Exception {
        send(new MonitorCommand.RecordPerformance(UUID.randomUUID().toString(), MODEL, "p-1", 3, "auc", 0.70, 400,
                0.80));
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get(BASE + "/performance").body().path("items")
                .size() == 1);
        JsonNode p = api.get(BASE + "/performance").body().path("items").get(0);
        assertThat(p.path("observed").asDouble()).isEqualTo(0.70);
        assertThat(p.path("degradation").path("drop").asDouble()).isCloseTo(0.10, org.assertj.core.data.Offset
                .offset(1e-12));
        assertThat(api.get(BASE + "/alerts").body().path("items").get(0).path("kind").asText())
                .isEqualTo("DEGRADATION");
    }

    @Test
    @Order(5)
    void predictionAndLabelBatchesLandOnTheirTopicsAsAvro() {
        List<Map<String, Object>> predictions = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Map<String, Object> features = new LinkedHashMap<>();
            features.put("age", 40 + i);
            features.put("plan", "pro");
            features.put("churned_before", i == 0);
            features.put("income", null);
            predictions.add(Map.of("modelVersion", 3, "timestamp", "2030-05-06T07:08:0" + i + "Z",
                    "requestId", "req-" + i, "features", features, "prediction", 0.5 + i / 10.0));
        }
        MonitorApi.Answer a = api.post(BASE + "/predictions", Map.of("predictions", predictions));
        assertThat(a.status()).as(a.body().toString()).isEqualTo(202);
        assertThat(a.body().path("accepted").asInt()).isEqualTo(3);
        MonitorApi.Answer l = api.post(BASE + "/labels", Map.of("labels", List.of(
                Map.of("requestId", "req-1", "timestamp", 1_900_000_000_000L, "label", true))));
        assertThat(l.status()).as(l.body().toString()).isEqualTo(202);

        MonitorCodec codec = new MonitorCodec();
        List<Prediction> landed = readAll(Topics.MONITOR_PREDICTIONS, 3, codec::decodePrediction);
        assertThat(landed).extracting(Prediction::requestId).containsExactly("req-0", "req-1", "req-2");
        Prediction first = landed.get(0);
        assertThat(first.modelName()).isEqualTo(MODEL);
        assertThat(first.modelVersion()).isEqualTo(3);
        assertThat(first.timestamp()).isEqualTo(Instant.parse("2030-05-06T07:08:00Z"));
        assertThat(first.features()).containsEntry("age", 40.0).containsEntry("plan", "pro")
                .containsEntry("churned_before", true).containsEntry("income", null);
        assertThat(first.prediction()).isEqualTo(0.5);
        List<Label> labels = readAll(Topics.MONITOR_LABELS, 1, codec::decodeLabel);
        assertThat(labels).containsExactly(new Label(MODEL, "req-1", Instant.ofEpochMilli(1_900_000_000_000L), true));
    }

    @Test
    @Order(5)
    void predictionsSentRightAfterTheMonitorIsConfiguredAreAllCounted() {
        String model = "race-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        assertThat(api.put("/api/v1/monitors/" + model, Map.of("window", Map.of("rows", 1000)), null).status())
                .isEqualTo(200);
        List<Map<String, Object>> predictions = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            predictions.add(Map.of("modelVersion", 1, "timestamp", "2030-05-06T07:08:00Z", "requestId", "r-" + i,
                    "features", Map.of("age", i), "prediction", 0.5));
        }
        // at once: the policy was committed before the PUT answered, so the window loop must find it
        assertThat(api.post("/api/v1/monitors/" + model + "/predictions", Map.of("predictions", predictions))
                .status()).isEqualTo(202);
        await("all 250 read into the model's window").atMost(Duration.ofSeconds(30)).until(() ->
                api.get("/api/v1/admin/monitor").body().path("predictionsRead").path(model).asLong() == 250);
        assertThat(api.get("/api/v1/admin/monitor").body().path("unmonitoredRecords").has(model)).isFalse();
        // a list with nothing in it is still a list
        JsonNode alerts = api.get("/api/v1/monitors/" + model + "/alerts").body();
        assertThat(alerts.path("items").isArray()).as(alerts.toString()).isTrue();
        assertThat(alerts.path("items")).isEmpty();
        assertThat(alerts.has("nextPageToken")).isTrue();
    }

    /** Every record of {@code topic} keyed by this test's model, once {@code count} of them are there. */
    private static <T> List<T> readAll(String topic, int count, Function<byte[], T> decode) {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrap(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            List<TopicPartition> partitions = c.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            List<T> out = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (MODEL.equals(r.key())) {
                        out.add(decode.apply(r.value()));
                    }
                }
                return out.size() >= count;
            });
            return out;
        }
    }

    @Test
    @Order(6)
    void aBadBatchIsRefusedWithEachItemsProblems() {
        MonitorApi.Answer a = api.post(BASE + "/predictions", Map.of("predictions", List.of(
                Map.of("modelVersion", 0, "timestamp", "yesterday", "requestId", "r", "features", Map.of(),
                        "prediction", 1),
                Map.of("modelVersion", 1, "timestamp", 0, "requestId", "r2",
                        "features", Map.of("age", List.of(1, 2)), "extra", 1))));
        assertThat(a.status()).isEqualTo(400);
        List<String> paths = new ArrayList<>();
        a.body().path("problems").forEach(p -> paths.add(p.path("path").asText()));
        assertThat(paths).containsExactlyInAnyOrder("/predictions/0/modelVersion", "/predictions/0/timestamp",
                "/predictions/1/extra", "/predictions/1/features/age", "/predictions/1/prediction");

        MonitorApi.Answer labels = api.post(BASE + "/labels", Map.of("labels", List.of(Map.of("requestId", "",
                "label", Map.of()))));
        assertThat(labels.status()).isEqualTo(400);
        assertThat(labels.body().path("problems").size()).isEqualTo(3);

        assertThat(api.post(BASE + "/labels", Map.of("labels", List.of())).error()).isEqualTo("invalid_argument");
        assertThat(api.post("/api/v1/monitors/nobody-" + MODEL + "/labels", Map.of("labels", List.of(
                Map.of("requestId", "r", "timestamp", 0, "label", 1)))).error()).isEqualTo("monitor_not_found");
    }

    @Test
    @Order(7)
    void batchesOverTenThousandItemsOrFiveMebibytesAreTooLarge() {
        List<Map<String, Object>> many = new ArrayList<>();
        for (int i = 0; i <= BatchBody.MAX_ITEMS; i++) {
            many.add(Map.of("requestId", "r" + i, "timestamp", i, "label", 1));
        }
        MonitorApi.Answer count = api.post(BASE + "/labels", Map.of("labels", many));
        assertThat(count.status()).isEqualTo(413);
        assertThat(count.error()).isEqualTo("payload_too_large");
        String big = "x".repeat(BatchBody.MAX_BYTES);
        MonitorApi.Answer bytes = api.post(BASE + "/labels", Map.of("labels", List.of(
                Map.of("requestId", "r", "timestamp", 0, "label", big))));
        assertThat(bytes.status()).isEqualTo(413);
        assertThat(bytes.body().path("message").asText()).contains("bytes");
    }

    @Test
    @Order(8)
    void rebuildingTheReadModelGivesTheSameRows() throws Exception {
        DataSource db = api.context().getBean(DataSource.class, Qualifiers.byName("monitor"));
        Map<String, List<String>> before = ReadModelDatabase.dump(db, MODEL);
        assertThat(before.get("drift_reports")).hasSize(2);
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("insert into alerts "
                + "(event_id, model_name, kind, message, webhooks, at, log_offset) values (?, ?, 'DRIFT', 'stray', "
                + "'[]', now(), 0)")) {
            // a row no event explains: a rebuild must drop it
            ps.setString(1, "stray-" + MODEL);
            ps.setString(2, MODEL);
            ps.executeUpdate();
        }
        assertThat(ReadModelDatabase.dump(db, MODEL)).isNotEqualTo(before);
        assertThat(api.post("/api/v1/admin/monitor/read-model/rebuild", Map.of()).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> ReadModelDatabase.dump(db, MODEL).equals(before));
        JsonNode status = api.get("/api/v1/admin/monitor").body();
        assertThat(status.path("commandsDecided").asLong()).isPositive();
        assertThat(status.path("ownedPartitions").size()).isPositive();
    }
}

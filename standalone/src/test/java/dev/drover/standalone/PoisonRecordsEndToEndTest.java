package dev.drover.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.monitor.core.AlertKind;
import dev.drover.monitor.core.MonitorCommand;
import dev.drover.monitor.core.MonitorEvent;
import dev.drover.monitor.core.MonitoringPolicy;
import dev.drover.monitor.core.TumblingWindow;
import dev.drover.monitor.wire.Label;
import dev.drover.monitor.wire.MonitorCodec;
import dev.drover.monitor.wire.MonitorKeys;
import dev.drover.monitor.wire.Prediction;
import dev.drover.platform.avro.AvroCodec;
import dev.drover.platform.eventlog.DeadLetters;
import dev.drover.platform.kafka.Topics;
import dev.drover.registry.core.ModelCommand;
import dev.drover.registry.core.ModelEvent;
import dev.drover.registry.wire.RegistryCodec;
import dev.drover.registry.wire.RegistryKeys;
import dev.drover.scheduler.core.RunStatus;
import dev.drover.scheduler.core.SchedulerCommand;
import dev.drover.scheduler.core.SchedulerEvent;
import dev.drover.scheduler.loop.CommandEnvelope;
import dev.drover.scheduler.loop.EventEnvelope;
import dev.drover.scheduler.loop.LogCodec;
import dev.drover.schemas.common.DeadLetter;
import dev.drover.schemas.task.LogLine;
import dev.drover.schemas.task.LogStream;
import dev.drover.schemas.task.TaskLogBatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Poison on every topic Drover reads — bytes that are no record, a valid record cut short, and a well-formed record
 * whose content is impossible (a NUL byte PostgreSQL cannot store, a command keyed to the wrong aggregate, an event
 * about nothing that exists) — on the embedded default, with every service running. Each consumer must set the poison
 * aside with a reason (a dead letter or a read model's quarantine) and keep going: a pipeline run, a registry write
 * and a monitored drift window still succeed, before and after a restart that reads the whole log again.
 */
class PoisonRecordsEndToEndTest {
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final String NUL = "a\u0000b";
    private static final AvroCodec<TaskLogBatch> LOG_BATCHES = new AvroCodec<>(TaskLogBatch.class);
    @TempDir
    static Path dataDir;

    @Test
    void poisonOnEveryTopicIsSetAsideAndEveryServiceKeepsWorkingAcrossARestart() throws Exception {
        Path repoRoot = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath()
                .getParent();
        Map<String, Long> quarantinedBefore;
        try (DroverStandalone drover = start(repoRoot)) {
            DroverClient client = drover.client();
            servicesWork(client, "warm-up");
            poisonEveryTopic(drover.kafkaBootstrap());

            servicesWork(client, "after-poison");
            await("a dead letter, with its reason, for each poison record of each consumer").atMost(PATIENCE)
                    .untilAsserted(() -> {
                        Map<String, Long> letters = deadLettersBySourceTopic(drover.kafkaBootstrap());
                        for (String topic : List.of(Topics.RUN_COMMANDS, Topics.REGISTRY_COMMANDS,
                                Topics.MONITOR_COMMANDS, Topics.MONITOR_PREDICTIONS, Topics.MONITOR_LABELS,
                                Topics.EXTERNAL_EVENTS, Topics.dispatch("default"))) {
                            // garbage and truncated everywhere; where a well-formed record cannot be decided
                            // either (wrongly keyed, a CloudEvent with a NUL) a third
                            int expected = topic.equals(Topics.RUN_COMMANDS) || topic.equals(Topics.EXTERNAL_EVENTS)
                                    ? 3 : 2;
                            assertThat(letters.getOrDefault(topic, 0L)).as("dead letters from " + topic + ": "
                                    + letters).isGreaterThanOrEqualTo(expected);
                        }
                    });
            // garbage, truncated and impossible: each read model set aside what it could not project
            await("each read model's quarantine").atMost(PATIENCE).untilAsserted(() -> {
                Map<String, Long> q = quarantines(client);
                assertThat(q.getOrDefault(Topics.RUN_EVENTS, 0L)).as(q.toString()).isGreaterThanOrEqualTo(3);
                assertThat(q.getOrDefault(Topics.TASK_LOGS, 0L)).as(q.toString()).isGreaterThanOrEqualTo(3);
                assertThat(q.getOrDefault(Topics.REGISTRY_EVENTS, 0L)).as(q.toString()).isGreaterThanOrEqualTo(3);
                assertThat(q.getOrDefault(Topics.MONITOR_EVENTS, 0L)).as(q.toString()).isGreaterThanOrEqualTo(3);
            });
            quarantinedBefore = quarantines(client);
            JsonNode health = client.get("/health").body();
            assertThat(health.path("status").asText()).as(health.toString()).isEqualTo("UP");
        }

        // the log still holds every poison record: a restart reads it all again, and everything still works
        try (DroverStandalone drover = start(repoRoot)) {
            DroverClient client = drover.client();
            servicesWork(client, "after-restart");
            Map<String, Long> quarantined = quarantines(client);
            assertThat(quarantined).isEqualTo(quarantinedBefore);
        }
    }

    private static DroverStandalone start(Path repoRoot) {
        return DroverStandalone.start(new DroverStandalone.Settings(dataDir, 0, 0, -1, repoRoot,
                Map.of("drover.scheduler.instance-id", "poison-e2e", "drover.registry.instance-id", "poison-e2e",
                        "drover.monitor.instance-id", "poison-e2e")));
    }

    // --- the poison

    private static void poisonEveryTopic(String bootstrap) throws Exception {
        LogCodec scheduler = new LogCodec();
        RegistryCodec registry = new RegistryCodec();
        MonitorCodec monitor = new MonitorCodec();
        Instant now = Instant.now();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            // scheduler commands: a run request keyed to another pipeline than the one it names
            poison(producer, Topics.RUN_COMMANDS, "poison-check", scheduler.encodeCommand(new CommandEnvelope(
                    new SchedulerCommand.RequestRun(UUID.randomUUID().toString(), "no-such-pipeline", null,
                            Map.of(), "api", "poisoner"), now, "c", "poisoner")));
            // scheduler events: the end of a run that never was, whose reason no table can hold
            poison(producer, Topics.RUN_EVENTS, "ghost", scheduler.encodeEvent(new EventEnvelope(
                    UUID.randomUUID().toString(), now, "ghost", "c", "ghost.1",
                    new SchedulerEvent.RunFinished("ghost", "ghost.1", RunStatus.FAILED, NUL, now))));
            poison(producer, Topics.TASK_LOGS, "ghost.1", LOG_BATCHES.encode(TaskLogBatch.newBuilder()
                    .setPipelineId("ghost").setRunId("ghost.1").setTaskId("t").setAttempt(1).setExecutorId("x")
                    .setLines(List.of(LogLine.newBuilder().setSeq(1).setTimestamp(now).setStream(LogStream.STDOUT)
                            .setLine(NUL).build())).build()));
            poison(producer, Topics.dispatch("default"), "ghost.1", null);
            // the newest snapshot of every partition, read first at the next start, is garbage
            for (int p = 0; p < 6; p++) {
                poison(producer, Topics.SCHEDULER_SNAPSHOTS, "partition-" + p, null);
            }
            poison(producer, Topics.SCHEDULER_SNAPSHOTS, "partition-x", null);
            // registry: the very command that once stopped every registry write
            poison(producer, Topics.REGISTRY_COMMANDS, RegistryKeys.model(NUL), registry.encodeCommand(
                    new dev.drover.registry.wire.CommandEnvelope(new ModelCommand.CreateModel(
                            UUID.randomUUID().toString(), NUL, null, Map.of(), "poisoner"), now, "c")));
            poison(producer, Topics.REGISTRY_EVENTS, RegistryKeys.model("ghost"), registry.encodeEvent(
                    new dev.drover.registry.wire.EventEnvelope(UUID.randomUUID().toString(), now,
                            RegistryKeys.model("ghost"), "c", "c", 0, 1,
                            new ModelEvent.ModelTagSet("ghost", NUL, "v", "poisoner", now))));
            // monitor
            poison(producer, Topics.MONITOR_COMMANDS, MonitorKeys.model(NUL), monitor.encodeCommand(
                    new dev.drover.monitor.wire.CommandEnvelope(new MonitorCommand.ConfigureMonitoring(
                            UUID.randomUUID().toString(), NUL, new MonitoringPolicy(TumblingWindow.ofRows(10), 0.5,
                            Map.of(), Duration.ofHours(1), null, List.of()), "poisoner"), now, "c")));
            poison(producer, Topics.MONITOR_EVENTS, MonitorKeys.model("ghost"), monitor.encodeEvent(
                    new dev.drover.monitor.wire.EventEnvelope(UUID.randomUUID().toString(), now,
                            MonitorKeys.model("ghost"), "c", "c", 0, 1,
                            new MonitorEvent.AlertRaised("ghost", AlertKind.DRIFT, NUL, List.of(), now))));
            poison(producer, Topics.MONITOR_PREDICTIONS, NUL, monitor.encodePrediction(new Prediction(NUL, 1, now,
                    NUL, Map.of("x", 1.0), 0.5)));
            poison(producer, Topics.MONITOR_LABELS, NUL, monitor.encodeLabel(new Label(NUL, NUL, now, true)));
            // a CloudEvent in the Kafka binding whose data holds a NUL
            poison(producer, Topics.EXTERNAL_EVENTS, "warehouse", null);
            ProducerRecord<String, byte[]> cloudEvent = new ProducerRecord<>(Topics.EXTERNAL_EVENTS, "warehouse",
                    "{\"table\": \"a\\u0000b\"}".getBytes(StandardCharsets.UTF_8));
            for (String[] h : new String[][] {{"ce_specversion", "1.0"}, {"ce_id", "poison-1"},
                    {"ce_source", "warehouse"}, {"ce_type", "com.example.table.updated"},
                    {"content-type", "application/json"}}) {
                cloudEvent.headers().add(new RecordHeader(h[0], h[1].getBytes(StandardCharsets.UTF_8)));
            }
            producer.send(cloudEvent).get();
            producer.flush();
        }
    }

    /** Garbage bytes, then {@code valid} cut in half, then {@code valid} itself (if given). */
    private static void poison(KafkaProducer<String, byte[]> producer, String topic, String key, byte[] valid)
            throws Exception {
        byte[] garbage = new byte[64];
        new Random(topic.hashCode()).nextBytes(garbage);
        producer.send(new ProducerRecord<>(topic, key, garbage)).get();
        byte[] truncated = valid == null ? new byte[] {(byte) 0xC3, 0x01, 1, 2, 3} : Arrays.copyOf(valid,
                valid.length / 2);
        producer.send(new ProducerRecord<>(topic, key, truncated)).get();
        if (valid != null) {
            producer.send(new ProducerRecord<>(topic, key, valid)).get();
        }
    }

    // --- what must still work

    private static void servicesWork(DroverClient client, String tag) {
        DroverClient.Response registered = client.registerPipeline("""
                id: poison-check
                tasks:
                  - {id: say, type: shell, command: "echo still here"}
                  - {id: done, type: noop, dependsOn: [say]}
                """);
        assertThat(registered.ok()).as(registered.body().toString()).isTrue();
        DroverClient.Response started = client.startRun("poison-check", Map.of());
        assertThat(started.ok()).as(started.body().toString()).isTrue();
        JsonNode run = client.awaitRun(started.body().path("runId").asText(), PATIENCE);
        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");

        String model = "poison-" + tag;
        DroverClient.Response created = client.post("/api/v1/models", Map.of("name", model + "-plain"));
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);

        // a drift window: a champion with a reference, a monitor, a window of predictions, its report
        String features = model + "-features";
        Map<String, Object> quantiles = new LinkedHashMap<>();
        List<Map<String, Object>> q = new ArrayList<>();
        for (int i = 0; i <= 10; i++) {
            q.add(Map.of("p", i / 10.0, "value", i / 10.0));
        }
        quantiles.put("missing", 0);
        quantiles.put("quantiles", q);
        quantiles.put("histogram", Map.of("edges", List.of(0.0, 0.25, 0.5, 0.75, 1.0),
                "counts", List.of(250, 250, 250, 250)));
        DroverClient.Response fs = client.post("/api/v1/feature-sets/" + features + "/versions", Map.of(
                "schema", Map.of("features", List.of(Map.of("name", "x", "type", "NUMERIC"))),
                "dataLocation", "/data/" + features,
                "statistics", Map.of("rowCount", 1000, "features", Map.of("x", quantiles))));
        assertThat(fs.status()).as(fs.body().toString()).isEqualTo(201);
        DroverClient.Response version = client.post("/api/v1/models/" + model + "/versions", Map.of(
                "artifactLocation", "/models/" + model, "metrics", Map.of("auc", 0.8), "createModelIfMissing", true,
                "lineage", Map.of("featureSet", Map.of("name", features, "version", 1))));
        assertThat(version.status()).as(version.body().toString()).isEqualTo(201);
        assertThat(client.put("/api/v1/models/" + model + "/aliases/champion", Map.of("version", 1)).status())
                .isEqualTo(200);
        assertThat(client.put("/api/v1/monitors/" + model, Map.of("window", Map.of("rows", 50))).status())
                .isEqualTo(200);
        List<Map<String, Object>> predictions = new ArrayList<>();
        Random random = new Random(1);
        for (int i = 0; i < 50; i++) {
            predictions.add(Map.of("modelVersion", 1, "timestamp", Instant.now().toString(), "requestId", "r" + i,
                    "features", Map.of("x", random.nextDouble()), "prediction", 0.5));
        }
        assertThat(client.post("/api/v1/monitors/" + model + "/predictions", Map.of("predictions", predictions))
                .status()).isEqualTo(202);
        await("a drift report for " + model).atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).until(() ->
                client.get("/api/v1/monitors/" + model + "/reports").body().path("items").size() == 1);
    }

    // --- where the poison went

    private static Map<String, Long> quarantines(DroverClient client) {
        Map<String, Long> byTopic = new HashMap<>();
        for (String path : List.of("/api/v1/admin/read-models/quarantine",
                "/api/v1/admin/registry/read-model/quarantine", "/api/v1/admin/monitor/read-model/quarantine")) {
            JsonNode q = client.get(path).body();
            for (JsonNode item : q.path("items")) {
                assertThat(item.path("error").asText()).as(item.toString()).isNotBlank();
                byTopic.merge(item.path("topic").asText(), 1L, Long::sum);
            }
        }
        return byTopic;
    }

    private static Map<String, Long> deadLettersBySourceTopic(String bootstrap) {
        Map<String, Long> out = new HashMap<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            TopicPartition tp = new TopicPartition(Topics.DEAD_LETTER, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            while (c.position(tp) < end) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    DeadLetter d = DeadLetters.decode(r.value());
                    assertThat(d.getReason().toString()).isNotBlank();
                    out.merge(d.getSourceTopic().toString(), 1L, Long::sum);
                }
            }
        }
        return out;
    }
}

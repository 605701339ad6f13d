package dev.drover.bench;

import dev.drover.platform.kafka.KafkaClientConfig;
import dev.drover.platform.kafka.Topics;
import dev.drover.scheduler.trigger.EventTriggerMatcher;
import dev.drover.scheduler.trigger.ExternalEvent;
import dev.drover.schemas.run.event.RunStarted;
import dev.drover.schemas.run.event.TaskStarted;
import dev.drover.standalone.DroverClient;
import dev.drover.standalone.DroverStandalone;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.message.Encoding;
import io.cloudevents.kafka.CloudEventSerializer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The triggers suite (see bench/README.md): {@code event_to_run_start_p50_ms} and {@code event_to_run_start_p99_ms},
 * from a CloudEvent published to {@code drover.external.events} to the first task's {@code TaskStarted}.
 *
 * <p>Sequential (closed loop, one event in flight): each event is published only after the previous one's first
 * task started, so the figure is the latency of an idle system, not of a queue. The pipeline has one {@code noop}
 * task. The start time is the {@code TaskStarted} event's timestamp (the scheduler's clock, which is this JVM's
 * clock); the publish time is taken just before {@code send}.
 */
final class TriggersBench {
    private static final int EVENTS = Integer.getInteger("bench.trigger-events", 1000);
    private static final int WARMUP = Integer.getInteger("bench.trigger-warmup", 500);
    private static final String PIPELINE = "bench-events";
    private static final String TYPE = "dev.drover.bench.tick";
    private static final String SOURCE = "/bench/triggers";

    private TriggersBench() {
    }

    static void run() throws Exception {
        long t0 = System.nanoTime();
        Path dir = Files.createTempDirectory("drover-bench-triggers-");
        Path work = Files.createDirectories(dir.resolve("work"));
        DroverStandalone drover = DroverStandalone.start(new DroverStandalone.Settings(dir, 0, 0, -1, work,
                Map.of("drover.executor.name", "bench")));
        Log.err(String.format("Drover up in %.1f s: %s", (System.nanoTime() - t0) / 1e9, drover.baseUrl()));
        Map<String, CompletableFuture<Instant>> firstStart = new ConcurrentHashMap<>();
        Map<String, Instant> runStarted = new ConcurrentHashMap<>();
        EventTail tail = new EventTail(drover.kafkaBootstrap());
        tail.listen(e -> {
            if (e.payload() instanceof RunStarted s) {
                runStarted.put(s.getRunId(), e.envelope().getTimestamp());
            } else if (e.payload() instanceof TaskStarted s) {
                CompletableFuture<Instant> f = firstStart.get(s.getRunId());
                if (f != null) {
                    f.complete(e.envelope().getTimestamp());
                }
            }
        });
        tail.start();
        try (KafkaProducer<String, CloudEvent> producer = new KafkaProducer<>(KafkaClientConfig.connect(Map.of(
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, CloudEventSerializer.class,
                CloudEventSerializer.ENCODING_CONFIG, Encoding.BINARY.name()), drover.kafkaBootstrap()))) {
            DroverClient client = drover.client();
            DroverClient.Response registered = client.registerPipeline("""
                    id: %s
                    parameters: {seq: {type: integer}}
                    tasks: [{id: first, type: noop}]
                    triggers:
                      - event: {type: %s, filter: 'data.seq >= 0', parameters: {seq: data.seq}}
                    """.formatted(PIPELINE, TYPE));
            if (!registered.ok()) {
                throw new IllegalStateException("cannot register the benchmark pipeline: " + registered.body());
            }
            // the listener finds triggered pipelines in the read model: wait until it has this one
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!client.get("/api/v1/pipelines/" + PIPELINE).ok()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the pipeline never reached the read model");
                }
                Thread.sleep(50); // polling the REST read model: nothing to wait on
            }
            long[] warm = measure(producer, firstStart, runStarted, 0, WARMUP, new ConcurrentHashMap<>());
            Log.err("warm-up (not measured): event → first task start " + Stats.summary(warm));
            Map<String, Instant> measuredStarts = new ConcurrentHashMap<>();
            long[] latencies = measure(producer, firstStart, runStarted, WARMUP, EVENTS, measuredStarts);
            Log.err("event → first task start " + Stats.summary(latencies));
            Log.err(HopBreakdown.ofRunStarts(drover.kafkaBootstrap(), PIPELINE, runStarted, measuredStarts));
            Bench.figure("event_to_run_start_p50_ms", Stats.percentile(latencies, 50));
            Bench.figure("event_to_run_start_p99_ms", Stats.percentile(latencies, 99));
        } finally {
            tail.close();
            drover.close();
            deleteQuietly(dir);
            Log.err(String.format("triggers suite took %.0f s", (System.nanoTime() - t0) / 1e9));
        }
    }

    private static long[] measure(KafkaProducer<String, CloudEvent> producer,
                                  Map<String, CompletableFuture<Instant>> firstStart, Map<String, Instant> runStarted,
                                  int from, int count, Map<String, Instant> taskStarts) throws Exception {
        long[] out = new long[count];
        long[] toRun = new long[count];
        long[] runToTask = new long[count];
        for (int i = 0; i < count; i++) {
            String id = "tick-" + (from + i);
            String runId = EventTriggerMatcher.runId(PIPELINE,
                    new ExternalEvent(id, SOURCE, TYPE, null, null, null, null, Map.of(), null));
            CompletableFuture<Instant> started = new CompletableFuture<>();
            firstStart.put(runId, started);
            CloudEvent event = CloudEventBuilder.v1().withId(id).withSource(URI.create(SOURCE)).withType(TYPE)
                    .withData("application/json", ("{\"seq\": " + (from + i) + "}").getBytes(StandardCharsets.UTF_8))
                    .build();
            Instant published = Instant.now();
            producer.send(new ProducerRecord<>(Topics.EXTERNAL_EVENTS, SOURCE, event));
            Instant at = started.get(60, TimeUnit.SECONDS);
            out[i] = Duration.between(published, at).toMillis();
            taskStarts.put(runId, at);
            // the tail hands over RunStarted before TaskStarted (same partition), so it is there
            Instant run = runStarted.get(runId);
            toRun[i] = Duration.between(published, run).toMillis();
            runToTask[i] = Duration.between(run, at).toMillis();
            firstStart.remove(runId);
        }
        Log.err("  publish → RunStarted (listener, read model, CEL, run request decided) " + Stats.summary(toRun));
        Log.err("  RunStarted → first TaskStarted (dispatch, executor, start report decided) " + Stats.summary(runToTask));
        return out;
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            Log.err("could not delete " + dir + ": " + e);
        }
    }
}

package dev.drover.executor.dispatch;

import dev.drover.embedded.TestInfrastructure;
import dev.drover.executor.ExecutorRuntime;
import dev.drover.platform.avro.AvroCodec;
import dev.drover.platform.json.JsonValues;
import dev.drover.platform.kafka.Topics;
import dev.drover.schemas.common.DeadLetter;
import dev.drover.schemas.run.command.RunCommandEnvelope;
import dev.drover.schemas.run.event.RunEventEnvelope;
import dev.drover.schemas.task.LogLine;
import dev.drover.schemas.task.LogStream;
import dev.drover.schemas.task.TaskDispatch;
import dev.drover.schemas.task.TaskLogBatch;
import io.micronaut.context.ApplicationContext;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/**
 * One executor, started as the service starts it ({@link ExecutorRuntime} in a Micronaut context with
 * {@code drover.executor.enabled=true}), on the shared test broker, serving a queue of its own so that no other test's
 * dispatches reach it. The test plays the scheduler: it publishes dispatches (and events) and reads the commands, log
 * batches and dead letters the executor writes.
 */
final class ExecutorHarness implements AutoCloseable {
    static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final AvroCodec<TaskDispatch> DISPATCHES = new AvroCodec<>(TaskDispatch.class);
    private static final AvroCodec<RunEventEnvelope> EVENTS = new AvroCodec<>(RunEventEnvelope.class);
    private static final AvroCodec<RunCommandEnvelope> COMMANDS = new AvroCodec<>(RunCommandEnvelope.class);
    private static final AvroCodec<TaskLogBatch> LOGS = new AvroCodec<>(TaskLogBatch.class);
    private static final AvroCodec<DeadLetter> DEAD_LETTERS = new AvroCodec<>(DeadLetter.class);

    final String queue;
    final ExecutorRuntime runtime;
    private final ApplicationContext context;
    private final KafkaProducer<String, byte[]> producer;
    final Reader<RunCommandEnvelope> commands;
    final Reader<TaskLogBatch> logs;
    final Reader<DeadLetter> deadLetters;

    ExecutorHarness(int slots, Duration heartbeatInterval, Path dir) {
        String bootstrap = TestInfrastructure.kafkaBootstrap();
        this.queue = unique("q");
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("drover.executor.enabled", true);
        config.put("drover.kafka.bootstrap-servers", bootstrap);
        config.put("drover.executor.name", "it");
        config.put("drover.executor.queues", List.of(queue));
        config.put("drover.executor.slots", slots);
        config.put("drover.executor.heartbeat-interval", heartbeatInterval.toMillis() + "ms");
        config.put("drover.executor.work-dir", dir.toString());
        config.put("drover.executor.run-root", dir.resolve("runs").toString());
        // this harness tests the service, not access (standalone's AccessApiTest does): no identities needed
        config.put("drover.security.enabled", false);
        this.context = ApplicationContext.run(config);
        this.runtime = context.getBean(ExecutorRuntime.class);
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        this.commands = new Reader<>(Topics.RUN_COMMANDS, COMMANDS::decode);
        this.logs = new Reader<>(Topics.TASK_LOGS, LOGS::decode);
        this.deadLetters = new Reader<>(Topics.DEAD_LETTER, DEAD_LETTERS::decode);
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A dispatch of attempt 1 of a shell task in a run of its own, as the scheduler would write it. */
    TaskDispatch shell(String taskId, String command) {
        String pipelineId = unique("exec");
        return dispatch(pipelineId + ".1", taskId, "shell", Map.of("command", command));
    }

    TaskDispatch dispatch(String runId, String taskId, String type, Map<String, Object> config) {
        return TaskDispatch.newBuilder().setDispatchId(UUID.randomUUID().toString())
                .setPipelineId(runId.substring(0, runId.indexOf('.'))).setRunId(runId).setTaskId(taskId)
                .setAttempt(1).setType(type).setQueue(queue).setConfigJson(JsonValues.toJson(config))
                .setTimeoutMs(60_000).setDispatchedAt(Instant.now()).build();
    }

    /** Publishes a dispatch on this executor's queue. */
    void publish(TaskDispatch d) {
        send(new ProducerRecord<>(Topics.dispatch(queue), d.getRunId(), DISPATCHES.encode(d)));
    }

    /** Publishes an event as if the scheduler had decided it. */
    void publish(String pipelineId, String runId, Object payload) {
        RunEventEnvelope event = RunEventEnvelope.newBuilder().setEventId(UUID.randomUUID().toString())
                .setTimestamp(Instant.now()).setPipelineId(pipelineId).setCausationId("test")
                .setCorrelationId(runId).setPayload(payload).build();
        send(new ProducerRecord<>(Topics.RUN_EVENTS, pipelineId, EVENTS.encode(event)));
    }

    RecordMetadata send(ProducerRecord<String, byte[]> record) {
        try {
            return producer.send(record).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The commands about a run read so far (executors correlate their reports with the run). */
    List<RunCommandEnvelope> commandsOf(String runId) {
        commands.poll();
        return commands.values(c -> runId.equals(c.getCorrelationId()));
    }

    /** Reads until a command about the run has the payload type; returns it. */
    <P> RunCommandEnvelope awaitCommand(String runId, Class<P> payload) {
        return commands.awaitFirst(payload.getSimpleName() + " of " + runId,
                c -> runId.equals(c.getCorrelationId()) && payload.isInstance(c.getPayload()));
    }

    /** Reads until a log line of the run matches; returns the batch holding it. */
    TaskLogBatch awaitLogLine(String runId, Predicate<String> line) {
        return logs.awaitFirst("log line of " + runId, b -> b.getRunId().equals(runId)
                && b.getLines().stream().anyMatch(l -> line.test(l.getLine())));
    }

    /** Every log line of a run read so far, as {@code STREAM line}, in the order shipped. */
    List<String> logLines(String runId) {
        logs.poll();
        return lines(runId).stream().map(l -> l.getStream() + " " + l.getLine()).toList();
    }

    /**
     * Reads until the whole log of a one-attempt run has arrived: the executor's last line ({@code attempt ended: …}
     * or {@code attempt stopped: …}) and every line numbered before it. Batches can arrive out of order (the heartbeat
     * thread and the attempt's end each ship what they drained), so seeing the last line is not enough.
     *
     * @return the lines in seq order, as {@code STREAM line}
     */
    List<String> awaitCompleteLog(String runId) {
        await("the complete log of " + runId).atMost(PATIENCE).pollInSameThread().pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(10)).until(() -> {
                    logs.poll();
                    List<LogLine> lines = lines(runId);
                    long last = lines.stream().filter(l -> l.getStream() == LogStream.SYSTEM
                                    && (l.getLine().startsWith("attempt ended: ")
                                    || l.getLine().startsWith("attempt stopped: ")))
                            .mapToLong(LogLine::getSeq).max().orElse(-1);
                    return last > 0 && lines.stream().map(LogLine::getSeq).distinct().count() == last;
                });
        return lines(runId).stream().sorted(Comparator.comparingLong(LogLine::getSeq))
                .map(l -> l.getStream() + " " + l.getLine()).toList();
    }

    /** The log lines of a run read so far, in the order shipped. */
    List<LogLine> lines(String runId) {
        return logs.values(b -> b.getRunId().equals(runId)).stream().flatMap(b -> b.getLines().stream()).toList();
    }

    @Override
    public void close() {
        context.close();
        producer.close(Duration.ofSeconds(5));
        commands.close();
        logs.close();
        deadLetters.close();
    }

    /**
     * Reads a whole topic from its beginning, read_committed, on the test thread. Records that do not decode are
     * skipped: other tests put garbage on some topics on purpose.
     */
    static final class Reader<T> implements AutoCloseable {
        private final String topic;
        private final Function<byte[], T> decoder;
        private final KafkaConsumer<String, byte[]> consumer;
        private final List<T> seen = new ArrayList<>();

        Reader(String topic, Function<byte[], T> decoder) {
            this.topic = topic;
            this.decoder = decoder;
            this.consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrap(),
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20,
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
            List<TopicPartition> partitions = new ArrayList<>();
            await(topic + " in the metadata").atMost(PATIENCE).pollInSameThread().until(() -> {
                consumer.partitionsFor(topic, Duration.ofSeconds(5))
                        .forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
                return !partitions.isEmpty();
            });
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        void poll() {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                try {
                    seen.add(decoder.apply(r.value()));
                } catch (RuntimeException e) {
                    // not ours to judge here
                }
            }
        }

        List<T> values(Predicate<T> match) {
            return seen.stream().filter(match).toList();
        }

        T awaitFirst(String what, Predicate<T> match) {
            await(what + " on " + topic).atMost(PATIENCE).pollInSameThread().pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(10)).until(() -> {
                        poll();
                        return seen.stream().anyMatch(match);
                    });
            return seen.stream().filter(match).findFirst().orElseThrow();
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(2));
        }
    }
}

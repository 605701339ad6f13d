package dev.drover.scheduler.loop;

import dev.drover.platform.kafka.Topics;
import dev.drover.scheduler.core.SchedulerCommand;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Sends commands to the scheduler and lets the sender wait for their outcome: the first event caused by the command
 * (which may be a {@code CommandRejected}). This is how REST writes answer only once their effect is in the log.
 *
 * <p>It tails {@code drover.run.events} from the end (read_committed) on its own thread; it never reads state.
 */
public final class CommandGateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CommandGateway.class);
    private final LogCodec codec;
    private final Clock clock;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> tail;
    private final Map<String, CompletableFuture<Outcome>> waiting = new ConcurrentHashMap<>();
    private final CountDownLatch positioned = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;

    /** The first event a command caused, and where it is in the log. */
    public record Outcome(EventEnvelope event, int partition, long offset) {
        /** {@code p<partition>:<offset>}, a position clients can wait for on read endpoints. */
        public String position() {
            return partition + ":" + offset;
        }
    }

    public CommandGateway(String bootstrapServers, LogCodec codec, Clock clock) {
        this.codec = codec;
        this.clock = clock;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        this.tail = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        this.thread = new Thread(this::loop, "command-gateway-tail");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Appends a command and returns a future of its outcome. Register-then-send: the future exists before the
     * command can be decided, so no outcome is missed.
     */
    public CompletableFuture<Outcome> send(SchedulerCommand command, String correlationId, String issuedBy) {
        awaitPositioned();
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        waiting.put(command.commandId(), outcome);
        outcome.whenComplete((o, e) -> waiting.remove(command.commandId()));
        byte[] bytes = codec.encodeCommand(new CommandEnvelope(command, clock.instant(), correlationId, issuedBy));
        producer.send(new ProducerRecord<>(Topics.RUN_COMMANDS, command.pipelineId(), bytes), (md, e) -> {
            if (e != null) {
                outcome.completeExceptionally(e);
            }
        });
        return outcome;
    }

    private void awaitPositioned() {
        try {
            if (!positioned.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the event log is not reachable");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void loop() {
        try {
            List<TopicPartition> partitions;
            while (true) {
                List<PartitionInfo> infos = tail.partitionsFor(Topics.RUN_EVENTS, Duration.ofSeconds(10));
                if (infos != null && !infos.isEmpty()) {
                    partitions = infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
                    break;
                }
            }
            tail.assign(partitions);
            tail.seekToEnd(partitions);
            partitions.forEach(tail::position); // resolve now, so nothing sent after this is missed
            positioned.countDown();
            while (running) {
                for (ConsumerRecord<String, byte[]> r : tail.poll(Duration.ofMillis(200))) {
                    if (waiting.isEmpty()) {
                        continue;
                    }
                    try {
                        EventEnvelope e = codec.decodeEvent(r.value());
                        CompletableFuture<Outcome> f = waiting.get(e.causationId());
                        if (f != null) {
                            f.complete(new Outcome(e, r.partition(), r.offset()));
                        }
                    } catch (RuntimeException ex) {
                        LOG.warn("undecodable event at {}-{}@{}", r.topic(), r.partition(), r.offset(), ex);
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("command gateway tail stopped", e);
        } finally {
            tail.close(Duration.ofSeconds(2));
        }
    }

    @Override
    public void close() {
        running = false;
        tail.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }
}

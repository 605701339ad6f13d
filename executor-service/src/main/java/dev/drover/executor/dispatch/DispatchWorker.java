package dev.drover.executor.dispatch;

import dev.drover.executor.report.AttemptReporter;
import dev.drover.executor.wire.Dispatch;
import dev.drover.executor.wire.ExecutorWire;
import dev.drover.platform.kafka.Topics;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

/**
 * Takes attempts from one queue's share group, only as many as this executor has free slots for.
 *
 * <p>Share groups deliver each record to one member at a time, beyond the partition count, so a long task never
 * holds back a ready one another executor could start. A record is accepted only after its start report is in the
 * log: if this process dies before that, the broker hands the record to another executor. Records taken beyond the
 * free slots are released at once for others. Duplicate starts that slip through are fenced by the scheduler
 * (attempt number and executor id).
 */
public final class DispatchWorker implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DispatchWorker.class);
    private final String queue;
    private final Attempts attempts;
    private final AttemptReporter reporter;
    private final ExecutorWire wire;
    private final KafkaShareConsumer<String, byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    public DispatchWorker(String bootstrapServers, String queue, int maxPerPoll, Attempts attempts,
                          AttemptReporter reporter, ExecutorWire wire) {
        this.queue = queue;
        this.attempts = attempts;
        this.reporter = reporter;
        this.wire = wire;
        this.consumer = new KafkaShareConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, Topics.executorGroup(queue),
                ConsumerConfig.CLIENT_ID_CONFIG, reporter.executorId() + "-" + queue,
                ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit",
                // acquire no more records than asked for, so an executor with few slots does not sit on work
                ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.max(1, maxPerPoll),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        this.thread = new Thread(this, "dispatch-" + queue);
    }

    public void start() {
        thread.start();
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(Topics.dispatch(queue)));
            while (running) {
                if (attempts.free() == 0) {
                    attempts.awaitFree(Duration.ofMillis(200));
                    continue;
                }
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    take(records);
                    consumer.commitAsync();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("dispatch worker for queue {} failed", queue, e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void take(ConsumerRecords<String, byte[]> records) {
        record Taken(ConsumerRecord<String, byte[]> record, Dispatch dispatch, Future<RecordMetadata> report) {
        }
        List<Taken> taken = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            Dispatch d;
            try {
                d = wire.dispatch(r.value());
            } catch (RuntimeException e) {
                reporter.deadLetter(r.topic(), r.partition(), r.offset(), r.key(), r.value(),
                        "undecodable dispatch: " + e.getMessage());
                consumer.acknowledge(r, AcknowledgeType.REJECT);
                continue;
            }
            if (!attempts.tryReserve()) {
                consumer.acknowledge(r, AcknowledgeType.RELEASE);
                continue;
            }
            taken.add(new Taken(r, d, reporter.started(d)));
        }
        for (Taken t : taken) {
            try {
                t.report().get();
            } catch (Exception e) {
                LOG.warn("could not report start of {}/{}/{}; releasing it", t.dispatch().runId(),
                        t.dispatch().taskId(), t.dispatch().attempt(), e);
                consumer.acknowledge(t.record(), AcknowledgeType.RELEASE);
                attempts.unreserve();
                continue;
            }
            consumer.acknowledge(t.record(), AcknowledgeType.ACCEPT);
            attempts.start(t.dispatch());
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.drover.executor.dispatch;

import dev.drover.executor.report.AttemptReporter;
import dev.drover.executor.wire.Dispatch;
import dev.drover.executor.wire.ExecutorWire;
import dev.drover.platform.kafka.KafkaClientConfig;
import dev.drover.platform.kafka.Topics;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Takes attempts from one queue's share group for one slot at a time: an executor runs one worker per slot and queue.
 *
 * <p>A worker reserves a free slot first and only then polls, for at most one record ({@code record_limit} acquire
 * mode, {@code max.poll.records=1}), so an executor never acquires work it has no slot for and never has to release
 * records back (released records count towards the share group's delivery limit, past which the broker archives
 * them). Share groups deliver each record to one member at a time, beyond the partition count, so a long task never
 * holds back a ready one another executor could start. A record is accepted only after its start report is in the
 * log: if this process dies before that, the broker hands the record to another executor. Duplicate starts that slip
 * through are fenced by the scheduler (attempt number and executor id).
 */
public final class DispatchWorker implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DispatchWorker.class);
    private final String queue;
    private final Attempts attempts;
    private final AttemptReporter reporter;
    private final ExecutorWire wire;
    private final KafkaShareConsumer<String, byte[]> consumer;
    private final PollPacing pacing;
    private final Thread thread;
    private volatile boolean running = true;

    /** @param pacing shared by the workers of this queue in this executor */
    public DispatchWorker(String bootstrapServers, String queue, int slot, Attempts attempts,
                          AttemptReporter reporter, ExecutorWire wire, PollPacing pacing) {
        this.queue = queue;
        this.pacing = pacing;
        this.attempts = attempts;
        this.reporter = reporter;
        this.wire = wire;
        this.consumer = new KafkaShareConsumer<>(KafkaClientConfig.connect(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, Topics.executorGroup(queue),
                ConsumerConfig.CLIENT_ID_CONFIG, reporter.executorId() + "-" + queue + "-" + slot,
                ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit",
                ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class), bootstrapServers));
        this.thread = new Thread(this, "dispatch-" + queue + "-" + slot);
    }

    public void start() {
        thread.start();
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(Topics.dispatch(queue)));
            while (running) {
                if (!attempts.tryReserve()) {
                    attempts.awaitFree(Duration.ofMillis(200));
                    continue;
                }
                boolean used = false;
                try {
                    ConsumerRecords<String, byte[]> records;
                    Duration wait = pacing.begin();
                    try {
                        records = consumer.poll(wait);
                    } finally {
                        pacing.end();
                    }
                    for (ConsumerRecord<String, byte[]> r : records) {
                        if (used) {
                            // never expected with max.poll.records=1; give it back rather than run without a slot
                            consumer.acknowledge(r, AcknowledgeType.RELEASE);
                        } else {
                            used = take(r);
                        }
                    }
                    if (!records.isEmpty()) {
                        consumer.commitAsync();
                    }
                } finally {
                    if (!used) {
                        attempts.unreserve();
                    }
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

    /** Starts the attempt in the slot reserved for it; returns whether the slot is now in use. */
    private boolean take(ConsumerRecord<String, byte[]> r) {
        Dispatch d;
        try {
            d = wire.dispatch(r.value());
        } catch (RuntimeException e) {
            reporter.deadLetter(r.topic(), r.partition(), r.offset(), r.key(), r.value(),
                    "undecodable dispatch: " + e.getMessage());
            consumer.acknowledge(r, AcknowledgeType.REJECT);
            return false;
        }
        try {
            reporter.started(d).get();
        } catch (Exception e) {
            LOG.warn("could not report start of {}/{}/{}; releasing it", d.runId(), d.taskId(), d.attempt(), e);
            consumer.acknowledge(r, AcknowledgeType.RELEASE);
            return false;
        }
        consumer.acknowledge(r, AcknowledgeType.ACCEPT);
        attempts.start(d);
        return true;
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

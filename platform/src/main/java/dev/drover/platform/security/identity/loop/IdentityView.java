package dev.drover.platform.security.identity.loop;

import dev.drover.platform.audit.AuditEntry;
import dev.drover.platform.kafka.KafkaClientConfig;
import dev.drover.platform.kafka.Topics;
import dev.drover.platform.security.identity.Identities;
import dev.drover.platform.security.identity.IdentityAudit;
import dev.drover.platform.security.identity.IdentityEvent;
import dev.drover.platform.security.identity.wire.IdentityCodec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Who may do what, as this service instance knows it: every event of {@code drover.identity.events} read from the
 * start and folded into an {@link Identities}, then followed as it grows. Each instance of each service keeps its
 * own (the identities are small), so a token revoked anywhere stops working everywhere as soon as the event is read —
 * a poll, typically milliseconds. Reads of {@link #current()} never block.
 *
 * <p>Read committed: only events of committed identity-loop transactions are seen. A record that cannot be decoded
 * is skipped, counted and logged: it cannot have been written by the loop, and it must not stop every service from
 * knowing the accounts written after it.
 */
public final class IdentityView implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IdentityView.class);
    private static final TopicPartition PARTITION = new TopicPartition(Topics.IDENTITY_EVENTS, 0);

    private final KafkaConsumer<String, byte[]> consumer;
    private final IdentityCodec codec;
    private final Thread thread;
    private final AtomicLong position = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private volatile Identities current = Identities.EMPTY;
    private volatile boolean running = true;
    /** Who did what, newest last: identity events are few (accounts, tokens, secrets), the last 10,000 are kept. */
    private final Deque<AuditEntry> history = new ArrayDeque<>();

    public IdentityView(String bootstrapServers, String clientId, IdentityCodec codec) {
        this.codec = codec;
        this.consumer = new KafkaConsumer<>(KafkaClientConfig.connect(Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG, clientId,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000"), bootstrapServers),
                new StringDeserializer(), new ByteArrayDeserializer());
        consumer.assign(List.of(PARTITION));
        consumer.seekToBeginning(List.of(PARTITION));
        this.thread = new Thread(this::run, clientId);
        thread.setDaemon(true);
    }

    public IdentityView start() {
        thread.start();
        return this;
    }

    /** The identities as of the last event read. */
    public Identities current() {
        return current;
    }

    /** The offset after the last event read: how far this view has come. */
    public long position() {
        return position.get();
    }

    /** How many records could not be read and were skipped. */
    public long skipped() {
        return skipped.get();
    }

    /**
     * Waits until this view has read every event committed when it was called (at most {@code timeout}); true when
     * it has.
     */
    public boolean awaitCaughtUp(String bootstrapServers, Duration timeout) throws InterruptedException {
        long end;
        try (KafkaConsumer<String, byte[]> probe = new KafkaConsumer<>(KafkaClientConfig.connect(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), bootstrapServers),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            end = probe.endOffsets(List.of(PARTITION), timeout).get(PARTITION);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (position.get() < end) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    private void run() {
        try {
            while (running) {
                try {
                    step();
                } catch (WakeupException e) {
                    if (running) {
                        throw e;
                    }
                } catch (RuntimeException e) {
                    // the broker away, a timeout: keep the identities known so far and try again
                    LOG.warn("identity view could not read drover.identity.events, retrying: {}", e.toString());
                    sleepQuietly();
                }
            }
        } finally {
            consumer.close(Duration.ofSeconds(1));
        }
    }

    /** The newest entries first, at most {@code limit}, by {@code by} (null: anyone), at or after {@code since}. */
    public List<AuditEntry> history(String by, Instant since, int limit) {
        List<AuditEntry> out = new ArrayList<>();
        synchronized (history) {
            Iterator<AuditEntry> newestFirst = history.descendingIterator();
            while (newestFirst.hasNext() && out.size() < limit) {
                AuditEntry e = newestFirst.next();
                if ((by == null || by.equals(e.by())) && !e.at().isBefore(since)) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    private void remember(IdentityEvent event) {
        AuditEntry entry = IdentityAudit.entry(event);
        if (entry == null) {
            return;
        }
        synchronized (history) {
            history.addLast(entry);
            if (history.size() > 10_000) {
                history.removeFirst();
            }
        }
    }

    private void step() {
        var records = consumer.poll(Duration.ofMillis(200));
        if (!records.isEmpty()) {
            Identities next = current;
            for (ConsumerRecord<String, byte[]> r : records) {
                try {
                    IdentityEvent event = codec.decodeEvent(r.value()).event();
                    next = next.evolve(event);
                    remember(event);
                } catch (RuntimeException e) {
                    skipped.incrementAndGet();
                    LOG.warn("identity event at offset {} skipped: {}", r.offset(), e.getMessage());
                }
            }
            current = next;
        }
        // after a transaction's records, the position moves past its commit marker too
        position.set(consumer.position(PARTITION));
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

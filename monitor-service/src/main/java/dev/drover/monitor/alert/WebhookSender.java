package dev.drover.monitor.alert;

import dev.drover.monitor.core.MonitorEvent;
import dev.drover.monitor.core.MonitorEvent.AlertRaised;
import dev.drover.monitor.core.Webhook;
import dev.drover.monitor.wire.EventEnvelope;
import dev.drover.monitor.wire.MonitorCodec;
import dev.drover.platform.eventlog.DeadLetters;
import dev.drover.platform.kafka.KafkaClientConfig;
import dev.drover.platform.kafka.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Posts every {@code AlertRaised} on {@code drover.monitor.events} to each of its webhooks.
 *
 * <p>Delivery is <b>at least once</b>: offsets are committed after every delivery of a poll has ended (delivered or
 * given up), so a crash in between posts those alerts again. Receivers deduplicate by the {@code Idempotency-Key}
 * header, the alert's event id. A failed post (connection error, timeout, 429 or 5xx) is retried
 * {@link Settings#attempts()} times in all with doubling backoff, then logged and counted; a 4xx answer is final.
 * The webhooks of an alert are posted in parallel, each attempt bounded by {@link Settings#requestTimeout()}, so a
 * slow receiver delays the others by at most its own attempts. A record that cannot be decoded is dead-lettered.
 */
public final class WebhookSender implements AutoCloseable {
    /** The sender's consumer group. */
    public static final String GROUP = "drover-monitor-webhooks";
    /** The header that carries the alert's event id. */
    public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);

    /**
     * How hard to try.
     *
     * @param requestTimeout bound on one attempt (connect and answer)
     * @param attempts       attempts per webhook and alert, at least 1
     * @param initialBackoff pause before the second attempt; doubled before each further one
     */
    public record Settings(Duration requestTimeout, int attempts, Duration initialBackoff) {
        /** 5 s per attempt, 3 attempts, 0.5 s then 1 s between them. */
        public static final Settings DEFAULT = new Settings(Duration.ofSeconds(5), 3, Duration.ofMillis(500));

        public Settings {
            if (attempts < 1) {
                throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
            }
        }
    }

    /** Ids of the decision an alert came from, taken from the events decided with it (same causation id). */
    private record Context(String causationId, String reportId, Integer version) {
    }

    private final MonitorCodec codec;
    private final Settings settings;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> deadLetters;
    private final HttpClient http;
    private final ExecutorService posts = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "webhook-post");
        t.setDaemon(true);
        return t;
    });
    private final Thread thread;
    private final Map<Integer, Context> contexts = new HashMap<>();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private volatile boolean running = true;

    public WebhookSender(String bootstrapServers, MonitorCodec codec, Settings settings) {
        this.codec = codec;
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(settings.requestTimeout()).build();
        this.consumer = new KafkaConsumer<>(KafkaClientConfig.connect(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, GROUP,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class), bootstrapServers));
        this.deadLetters = new KafkaProducer<>(KafkaClientConfig.connect(Map.of(
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class), bootstrapServers));
        this.thread = new Thread(this::run, "webhook-sender");
        thread.setDaemon(true);
    }

    public void start() {
        consumer.subscribe(List.of(Topics.MONITOR_EVENTS));
        thread.start();
    }

    /** Posts a receiver accepted (2xx). */
    public long delivered() {
        return delivered.get();
    }

    /** Attempts repeated after a failure. */
    public long retries() {
        return retries.get();
    }

    /** Posts given up on (attempts exhausted, or a final 4xx). */
    public long failed() {
        return failed.get();
    }

    /** Records set aside on the dead-letter topic. */
    public long deadLettered() {
        return deadLettered.get();
    }

    private void run() {
        try {
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                List<CompletableFuture<Void>> pending = new ArrayList<>();
                for (ConsumerRecord<String, byte[]> record : records) {
                    handle(record, pending);
                }
                CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
                if (!records.isEmpty()) {
                    consumer.commitSync();
                }
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("webhook sender woken up unexpectedly", e);
            }
        } catch (RuntimeException e) {
            LOG.error("webhook sender stopped", e);
        } finally {
            // Offsets are committed after each batch and the leave-group request goes out first, so close has nothing
            // to wait for but the group's answers. Right after a restart that followed a kill -9, the broker parks this
            // member's join until the dead process's member times out (session.timeout.ms, 45 s): an unbounded close
            // then held shutdown for 10 s per listener.
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record, List<CompletableFuture<Void>> pending) {
        EventEnvelope envelope;
        try {
            envelope = codec.decodeEvent(record.value());
        } catch (RuntimeException e) {
            deadLettered.incrementAndGet();
            LOG.warn("set aside {}@{}:{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
            deadLetters.send(new ProducerRecord<>(Topics.DEAD_LETTER, record.key(),
                    DeadLetters.encode(record, e.getMessage(), Instant.now(), "monitor-webhooks")));
            return;
        }
        Context context = remember(record.partition(), envelope);
        if (envelope.event() instanceof AlertRaised alert) {
            if (alert.webhooks().isEmpty()) {
                LOG.info("alert {} for {} (no webhooks): {}", alert.kind(), alert.modelName(), alert.message());
            }
            for (Webhook webhook : alert.webhooks()) {
                String body = AlertPayloads.body(webhook.format(), envelope.eventId(), alert, context.reportId(),
                        context.version());
                pending.add(CompletableFuture.runAsync(() -> post(webhook, envelope.eventId(), body), posts));
            }
        }
    }

    /** The events of one decision are consecutive in a partition: collect the ids an alert may want. */
    private Context remember(int partition, EventEnvelope envelope) {
        Context c = contexts.get(partition);
        if (c == null || !c.causationId().equals(envelope.causationId())) {
            c = new Context(envelope.causationId(), null, null);
        }
        MonitorEvent e = envelope.event();
        if (e instanceof MonitorEvent.DriftReportRecorded r) {
            c = new Context(c.causationId(), r.reportId(), c.version());
        } else if (e instanceof MonitorEvent.RetrainRequested r) {
            c = new Context(c.causationId(), r.reportId(), r.championVersion());
        } else if (e instanceof MonitorEvent.DegradationDetected d) {
            c = new Context(c.causationId(), c.reportId(), d.version());
        } else if (e instanceof MonitorEvent.RollbackRequested r) {
            c = new Context(c.causationId(), c.reportId(), r.fromVersion());
        }
        contexts.put(partition, c);
        return c;
    }

    private void post(Webhook webhook, String eventId, String body) {
        Duration backoff = settings.initialBackoff();
        for (int attempt = 1; attempt <= settings.attempts(); attempt++) {
            String problem;
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(webhook.url()))
                        .timeout(settings.requestTimeout())
                        .header("Content-Type", "application/json")
                        .header(IDEMPOTENCY_HEADER, eventId)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
                int status = response.statusCode();
                if (status / 100 == 2) {
                    delivered.incrementAndGet();
                    return;
                }
                problem = "answered " + status;
                if (status / 100 == 4 && status != 429) {
                    failed.incrementAndGet();
                    LOG.warn("webhook {} refused alert {} ({}); not retried", webhook.url(), eventId, problem);
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                problem = e.toString();
            }
            if (attempt == settings.attempts() || !running) {
                failed.incrementAndGet();
                LOG.warn("webhook {} failed alert {} after {} attempts: {}", webhook.url(), eventId, attempt, problem);
                return;
            }
            retries.incrementAndGet();
            try {
                Thread.sleep(backoff.toMillis()); // a pause between attempts of this one webhook only
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            backoff = backoff.multipliedBy(2);
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        posts.shutdownNow();
        deadLetters.close();
    }
}

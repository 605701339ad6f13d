package dev.drover.bench;

import dev.drover.platform.kafka.KafkaClientConfig;
import dev.drover.platform.kafka.KafkaSettings;
import dev.drover.platform.kafka.Topics;
import dev.drover.scheduler.SchedulerRuntime;
import dev.drover.scheduler.core.SchedulerCommand;
import dev.drover.scheduler.core.SchedulerEvent;
import dev.drover.scheduler.loop.CommandGateway;
import dev.drover.scheduler.loop.EventEnvelope;
import dev.drover.scheduler.loop.LogCodec;
import dev.drover.scheduler.pipeline.ParseResult;
import dev.drover.scheduler.pipeline.PipelineSpecParser;
import dev.drover.standalone.DroverStandalone;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code schedule_tick_lag_max_ms}: 10,000 pipelines on {@code * * * * *}; for each tick, the lag of a pipeline is the
 * moment its {@code RunStarted} is visible to a read-committed consumer (received here; the scheduler runs in this JVM,
 * so both read the same clock) minus the fire time it was scheduled for (the end of its data interval): the decision,
 * its transaction's commit and the delivery all count. Reports the maximum over {@code bench.schedule-ticks} whole ticks
 * (default 2); p50/p99, and the decision lag ({@code RunStarted.at} minus the fire time), on stderr.
 * Target: every tick fires within 1,000 ms of its time.
 */
final class ScheduleTickBench {
    private static final int PIPELINES = Integer.getInteger("bench.schedule-pipelines", 10_000);
    private static final int TICKS = Integer.getInteger("bench.schedule-ticks", 2);

    private ScheduleTickBench() {
    }

    static void run() throws Exception {
        long t0 = System.nanoTime();
        Path dir = Files.createTempDirectory("drover-bench-triggers-");
        Path work = Files.createDirectories(dir.resolve("work"));
        DroverStandalone drover = DroverStandalone.start(new DroverStandalone.Settings(dir, 0, 0, -1, work,
                Map.of("drover.executor.slots", 64, "drover.executor.name", "bench")));
        Log.err(String.format("Drover up in %.1f s", (System.nanoTime() - t0) / 1e9));
        try {
            measure(drover);
        } finally {
            drover.close();
        }
    }

    private static void measure(DroverStandalone drover) throws Exception {
        SchedulerRuntime runtime = drover.context().getBean(SchedulerRuntime.class);
        KafkaSettings kafka = drover.context().getBean(KafkaSettings.class);
        CommandGateway gateway = runtime.gateway();
        String prefix = "tick-" + UUID.randomUUID().toString().substring(0, 6) + "-";
        long r0 = System.nanoTime();
        List<CompletableFuture<CommandGateway.Outcome>> pending = new ArrayList<>();
        for (int i = 0; i < PIPELINES; i++) {
            ParseResult parsed = PipelineSpecParser.parse("id: " + prefix + i + "\nschedule: \"* * * * *\"\n"
                    + "tasks: [{id: a, type: noop}]\n");
            pending.add(gateway.send(new SchedulerCommand.RegisterPipeline(UUID.randomUUID().toString(),
                    parsed.spec().id(), parsed.spec(), parsed.hash(), "bench"), null, "bench"));
            if (pending.size() >= 1000) {
                for (CompletableFuture<CommandGateway.Outcome> f : pending) {
                    f.get(2, TimeUnit.MINUTES);
                }
                pending.clear();
            }
        }
        for (CompletableFuture<CommandGateway.Outcome> f : pending) {
            f.get(2, TimeUnit.MINUTES);
        }
        Log.err(String.format("registered %,d pipelines on * * * * * in %.1f s", PIPELINES,
                (System.nanoTime() - r0) / 1e9));

        // measure whole ticks only: the first one after every pipeline was registered
        Instant firstTick = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
        Map<Instant, List<Long>> lags = new HashMap<>();
        Map<Instant, List<Long>> decided = new HashMap<>();
        LogCodec codec = new LogCodec();
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        // One thread only polls and stamps each record with the moment its poll returned; this thread decodes. Decoding
        // 20,000 records on the polling thread would delay the next poll and count the bench's own work as lag.
        java.util.concurrent.BlockingQueue<Received> received = new java.util.concurrent.LinkedBlockingQueue<>();
        java.util.concurrent.atomic.AtomicBoolean polling = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.CountDownLatch positioned = new java.util.concurrent.CountDownLatch(1);
        Thread poller = new Thread(() -> {
            try (KafkaConsumer<String, byte[]> consumer =
                    new KafkaConsumer<>(KafkaClientConfig.connect(c, kafka.getBootstrapServers()))) {
                List<TopicPartition> partitions = consumer.partitionsFor(Topics.RUN_EVENTS).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position);
                positioned.countDown();
                while (polling.get()) {
                    ConsumerRecords<String, byte[]> polled = consumer.poll(Duration.ofMillis(200));
                    Instant at = Instant.now();
                    for (ConsumerRecord<String, byte[]> r : polled) {
                        if (r.key().startsWith(prefix)) {
                            received.add(new Received(at, r.value()));
                        }
                    }
                }
            }
        }, "bench-tick-poller");
        poller.start();
        positioned.await();
        Instant lastTick = firstTick.plus(TICKS - 1L, ChronoUnit.MINUTES);
        Instant deadline = lastTick.plus(2, ChronoUnit.MINUTES);
        Log.err("measuring the ticks from " + firstTick + " to " + lastTick);
        try {
            while (Instant.now().isBefore(deadline) && !complete(lags, firstTick, lastTick)) {
                Received r = received.poll(200, TimeUnit.MILLISECONDS);
                if (r == null) {
                    continue;
                }
                EventEnvelope e = codec.decodeEvent(r.value());
                if (e.event() instanceof SchedulerEvent.RunStarted s && s.interval() != null
                        && !s.interval().end().isBefore(firstTick) && !s.interval().end().isAfter(lastTick)) {
                    lags.computeIfAbsent(s.interval().end(), k -> new ArrayList<>())
                            .add(Duration.between(s.interval().end(), r.at()).toMillis());
                    decided.computeIfAbsent(s.interval().end(), k -> new ArrayList<>())
                            .add(Duration.between(s.interval().end(), s.at()).toMillis());
                }
            }
        } finally {
            polling.set(false);
            poller.join(5_000);
        }
        long max = 0;
        for (Map.Entry<Instant, List<Long>> tick : new java.util.TreeMap<>(lags).entrySet()) {
            List<Long> l = new ArrayList<>(tick.getValue());
            l.sort(null);
            long tickMax = l.get(l.size() - 1);
            max = Math.max(max, tickMax);
            List<Long> d = new ArrayList<>(decided.get(tick.getKey()));
            d.sort(null);
            Log.err(String.format("  tick %s: %,d runs started, visible lag p50 %d ms, p99 %d ms, max %d ms; decision "
                            + "lag p50 %d ms, max %d ms", tick.getKey(), l.size(), l.get(l.size() / 2),
                    l.get((int) (l.size() * 0.99)), tickMax, d.get(d.size() / 2), d.get(d.size() - 1)));
        }
        if (!complete(lags, firstTick, firstTick.plus(TICKS - 1L, ChronoUnit.MINUTES))) {
            Log.err("  WARNING: not every pipeline fired in the measured ticks within two minutes");
            max = Math.max(max, 120_000);
        }
        Bench.figure("schedule_tick_lag_max_ms", max);
    }

    private record Received(Instant at, byte[] value) {
    }

    private static boolean complete(Map<Instant, List<Long>> lags, Instant first, Instant last) {
        for (Instant t = first; !t.isAfter(last); t = t.plus(1, ChronoUnit.MINUTES)) {
            if (lags.getOrDefault(t, List.of()).size() < PIPELINES) {
                return false;
            }
        }
        return true;
    }
}

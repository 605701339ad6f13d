package dev.drover.bench;

import dev.drover.platform.kafka.KafkaClientConfig;
import dev.drover.platform.kafka.KafkaSettings;
import dev.drover.platform.kafka.Topics;
import dev.drover.scheduler.SchedulerConfig;
import dev.drover.scheduler.SchedulerRuntime;
import dev.drover.scheduler.core.SchedulerCommand;
import dev.drover.scheduler.core.SchedulerDecider;
import dev.drover.scheduler.core.SchedulerEvent;
import dev.drover.scheduler.core.SchedulerSettings;
import dev.drover.scheduler.loop.CommandGateway;
import dev.drover.scheduler.loop.LogCodec;
import dev.drover.scheduler.loop.SchedulerLoop;
import dev.drover.scheduler.projection.ReadModelProjector;
import dev.drover.standalone.DroverClient;
import dev.drover.standalone.DroverStandalone;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The scheduler suite (see bench/README.md): task-to-task latency on a chain, noop and shell throughput, and
 * recovery time after a history of a million events. Everything runs in this JVM: {@link DroverStandalone} with a
 * temporary data directory and free ports.
 *
 * <p>Sizes can be changed with system properties for quick trials (e.g. {@code -Dbench.history-events=100000});
 * the figures in the README are taken with the defaults.
 */
final class SchedulerBench {
    private static final int CHAIN_LENGTH = Integer.getInteger("bench.chain-length", 200);
    private static final int NOOP_RUNS = Integer.getInteger("bench.noop-runs", 100);
    private static final int NOOP_WIDTH = Integer.getInteger("bench.noop-width", 100);
    private static final int SHELL_RUNS = Integer.getInteger("bench.shell-runs", 10);
    private static final int SHELL_WIDTH = Integer.getInteger("bench.shell-width", 100);
    private static final long HISTORY_EVENTS = Long.getLong("bench.history-events", 1_000_000L);
    private static final int HISTORY_WIDTH = Integer.getInteger("bench.history-width", 100);
    private static final int HISTORY_IN_FLIGHT = Integer.getInteger("bench.history-in-flight", 4);
    private static final int WARMUP_CHAINS = Integer.getInteger("bench.warmup-chains", 3);
    private static final int WARMUP_NOOP_RUNS = Integer.getInteger("bench.warmup-noop-runs", 30);
    private static final int WARMUP_SHELL_RUNS = Integer.getInteger("bench.warmup-shell-runs", 3);
    private static final int SLOTS = Integer.getInteger("bench.executor-slots", 64);
    /** Wait between phases until the lease timers of the previous one have fired (see README, "Method"). */
    private static final boolean QUIESCE = Boolean.parseBoolean(System.getProperty("bench.quiesce", "true"));
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);

    private final DroverStandalone drover;
    private final DroverClient client;
    private final EventTail tail;
    private final RunTracker tracker = new RunTracker();
    private final CpuMeter cpu;
    private final KafkaConsumer<byte[], byte[]> offsets;
    private final Duration lease;

    private SchedulerBench(DroverStandalone drover, Path dataDir) {
        this.drover = drover;
        this.cpu = new CpuMeter(dataDir.resolve("postgres"));
        this.client = drover.client();
        this.tail = new EventTail(drover.kafkaBootstrap());
        this.offsets = new KafkaConsumer<>(KafkaClientConfig.connect(Map.of(
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class),
                drover.kafkaBootstrap()));
        this.lease = drover.context().getBean(SchedulerConfig.class).getLeaseDuration();
    }

    static void run() throws Exception {
        long t0 = System.nanoTime();
        Path dir = Files.createTempDirectory("drover-bench-");
        Path work = Files.createDirectories(dir.resolve("work"));
        Map<String, Object> props = Bench.security(Map.of("drover.executor.slots", SLOTS, "drover.executor.name",
                "bench"));
        Log.err("starting Drover standalone in " + dir + " (executor slots " + SLOTS + ")");
        // ports: 0 = any free port for Kafka and PostgreSQL; -1 = a random port for Micronaut's HTTP server
        DroverStandalone drover = DroverStandalone.start(new DroverStandalone.Settings(dir, 0, 0, -1, work, props));
        Log.err(String.format("Drover up in %.1f s: %s, Kafka %s", (System.nanoTime() - t0) / 1e9, drover.baseUrl(),
                drover.kafkaBootstrap()));
        SchedulerBench bench = new SchedulerBench(drover, dir);
        java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
        // Interrupted (Ctrl-C, timeout): stop Drover (the standalone registers no hook of its own here), PostgreSQL
        // above all: a separate process that would outlive the JVM.
        Thread hook = new Thread(() -> {
            if (stopped.compareAndSet(false, true)) {
                drover.close();
                deleteQuietly(dir);
            }
        }, "bench-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            bench.tail.listen(bench.tracker);
            bench.tail.start();
            bench.all();
        } finally {
            long c = System.nanoTime();
            bench.offsets.close();
            bench.tail.close();
            if (stopped.compareAndSet(false, true)) {
                try {
                    drover.close();
                } catch (RuntimeException e) {
                    Log.err("closing Drover: " + e);
                }
                deleteQuietly(dir);
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // already shutting down
                }
            }
            Log.err(String.format("stopped and cleaned up in %.1f s; scheduler suite took %.0f s",
                    (System.nanoTime() - c) / 1e9, (System.nanoTime() - t0) / 1e9));
        }
    }

    private void all() throws Exception {
        register(chainSpec("bench-chain", CHAIN_LENGTH));
        register(wideSpec("bench-noop", NOOP_WIDTH, "type: noop"));
        register(wideSpec("bench-shell", SHELL_WIDTH, "type: shell, command: \"true\""));
        register(wideSpec("bench-history", HISTORY_WIDTH, "type: noop"));
        register(wideSpec("bench-warmup", 100, "type: noop"));
        tracker.detail("bench-chain");
        tracker.detail("bench-noop");
        tracker.detail("bench-shell");
        warmUp();
        chain();
        noopThroughput();
        shellThroughput();
        recovery();
    }

    // ---------------------------------------------------------------------------------------------------- phases

    /**
     * JIT and connection warm-up, not measured: the first runs in a fresh JVM (which hosts the broker, the services
     * and PostgreSQL's client) are several times slower than the steady state.
     */
    private void warmUp() throws Exception {
        Log.err(String.format("warm-up (not measured): %d chain runs, %d runs of 100 noop tasks, %d runs of %d shell "
                + "tasks", WARMUP_CHAINS, WARMUP_NOOP_RUNS, WARMUP_SHELL_RUNS, SHELL_WIDTH));
        List<String> ids = new ArrayList<>(startRuns("bench-warmup", WARMUP_NOOP_RUNS));
        for (int i = 0; i < WARMUP_SHELL_RUNS; i++) {
            ids.add(startRun("bench-shell"));
        }
        tracker.awaitFinished(ids, RUN_TIMEOUT);
        for (int i = 0; i < WARMUP_CHAINS; i++) {
            String id = startRun("bench-chain");
            tracker.awaitFinished(List.of(id), RUN_TIMEOUT);
            Log.err("  warm-up chain " + (i + 1) + ", TaskSucceeded -> next TaskStarted, ms: "
                    + Stats.summary(gaps(tracker.run(id))));
        }
        awaitReadModels();
        quiesce();
    }

    private void chain() throws Exception {
        Log.err("task_to_task: one run of a chain of " + CHAIN_LENGTH + " noop tasks");
        CpuMeter.Sample a = cpu.sample();
        Map<String, Double> ka = KafkaMetrics.sample();
        String runId = startRun("bench-chain");
        tracker.awaitFinished(List.of(runId), RUN_TIMEOUT);
        CpuMeter.Sample b = cpu.sample();
        Map<String, Double> kb = KafkaMetrics.sample();
        RunTracker.RunInfo run = tracker.run(runId);
        check(run, runId, CHAIN_LENGTH);
        long[] gaps = gaps(run);
        long[] execGaps = new long[CHAIN_LENGTH];
        for (int i = 0; i < CHAIN_LENGTH; i++) {
            execGaps[i] = Duration.between(run.taskStartedAt.get(taskId(i)), run.taskSucceededAt.get(taskId(i)))
                    .toMillis();
        }
        Log.err("  TaskSucceeded(upstream) -> TaskStarted(downstream), ms: " + Stats.summary(gaps));
        Log.err("  TaskStarted -> TaskSucceeded of the same noop task, ms: " + Stats.summary(execGaps));
        Log.err(String.format("  run took %d ms for %d tasks", Duration.between(run.startedAt, run.finishedAt)
                .toMillis(), CHAIN_LENGTH));
        try {
            Log.err(HopBreakdown.of(drover.kafkaBootstrap(), "bench-chain", runId, run, CHAIN_LENGTH));
        } catch (RuntimeException e) {
            Log.err("  (no hop breakdown: " + e + ")");
        }
        Log.err(cpu.report("the chain run", a, b));
        Log.err(KafkaMetrics.report(ka, kb));
        for (String request : List.of("Produce", "TxnOffsetCommit", "EndTxn", "AddPartitionsToTxn", "ShareFetch",
                "ShareAcknowledge", "FetchConsumer")) {
            Log.err("    broker, recent: " + KafkaMetrics.latency(request));
        }
        Bench.figure("task_to_task_p50_ms", Stats.percentile(gaps, 50));
        Bench.figure("task_to_task_p99_ms", Stats.percentile(gaps, 99));
        quiesce();
    }

    private void noopThroughput() throws Exception {
        double perS = throughput("bench-noop", NOOP_RUNS, NOOP_WIDTH);
        Bench.figure("noop_tasks_per_s", Math.round(perS));
        quiesce();
    }

    private void shellThroughput() throws Exception {
        double perS = throughput("bench-shell", SHELL_RUNS, SHELL_WIDTH);
        Bench.figure("shell_tasks_per_s", Math.round(perS));
        quiesce();
    }

    /** Starts {@code runs} runs at once and measures tasks per second from the first RunStarted to the last RunFinished. */
    private double throughput(String pipelineId, int runs, int width) throws Exception {
        Log.err(String.format("%s: %d runs x %d tasks = %d tasks", pipelineId, runs, width, runs * width));
        long commands0 = endOffsets(Topics.RUN_COMMANDS);
        long events0 = tail.count();
        CpuMeter.Sample a = cpu.sample();
        Map<String, Double> ka = KafkaMetrics.sample();
        long t0 = System.nanoTime();
        List<String> ids = startRuns(pipelineId, runs);
        long tStarted = System.nanoTime();
        tracker.awaitFinished(ids, RUN_TIMEOUT);
        long t1 = System.nanoTime();
        CpuMeter.Sample b = cpu.sample();
        Map<String, Double> kb = KafkaMetrics.sample();
        Instant first = Instant.MAX;
        Instant last = Instant.MIN;
        int tasks = 0;
        for (String id : ids) {
            RunTracker.RunInfo r = tracker.run(id);
            check(r, id, width);
            tasks += r.tasksSucceeded;
            first = r.startedAt.isBefore(first) ? r.startedAt : first;
            last = r.finishedAt.isAfter(last) ? r.finishedAt : last;
        }
        double seconds = Duration.between(first, last).toMillis() / 1000.0;
        long[] queued = new long[tasks];
        long[] running = new long[tasks];
        int k = 0;
        for (String id : ids) {
            RunTracker.RunInfo r = tracker.run(id);
            for (var e : r.taskStartedAt.entrySet()) {
                queued[k] = Duration.between(r.taskDispatchedAt.get(e.getKey()), e.getValue()).toMillis();
                running[k++] = Duration.between(e.getValue(), r.taskSucceededAt.get(e.getKey())).toMillis();
            }
        }
        Log.err("  TaskDispatched -> TaskStarted, ms: " + Stats.summary(queued));
        Log.err("  TaskStarted -> TaskSucceeded, ms: " + Stats.summary(running));
        Log.err(String.format("  attempts running at once, on average: %.1f (executor slots: %d)",
                java.util.Arrays.stream(running).sum() / 1000.0 / seconds, SLOTS));
        Log.err(String.format("  %d tasks in %.2f s (first RunStarted to last RunFinished); driver saw %.2f s, of "
                        + "which %.2f s starting the runs over REST; %d events, %d command records", tasks, seconds,
                (t1 - t0) / 1e9, (tStarted - t0) / 1e9, tail.count() - events0,
                endOffsets(Topics.RUN_COMMANDS) - commands0));
        Log.err(cpu.report(pipelineId, a, b));
        awaitReadModels();
        Log.err(KafkaMetrics.report(ka, kb));
        for (String request : List.of("Produce", "TxnOffsetCommit", "EndTxn", "AddPartitionsToTxn", "ShareFetch",
                "ShareAcknowledge", "FetchConsumer")) {
            Log.err("    broker, recent: " + KafkaMetrics.latency(request));
        }
        return tasks / seconds;
    }

    /**
     * Builds a history of at least {@link #HISTORY_EVENTS} events with real runs, then stops the scheduler loop and
     * measures how long a new scheduler takes until it decides a command that waits in the log: first a new loop in
     * this JVM (warm: the recovery work alone, logged), then a new scheduler process (cold: JVM start, class loading,
     * group join, snapshot + replay, first decision), which is the figure.
     */
    private void recovery() throws Exception {
        long target = HISTORY_EVENTS;
        long perRun = 2 + 3L * HISTORY_WIDTH;
        Log.err(String.format("recovery: building a history of >= %,d events (runs of %d noop tasks, %d in flight)",
                target, HISTORY_WIDTH, HISTORY_IN_FLIGHT));
        CpuMeter.Sample a = cpu.sample();
        long t0 = System.nanoTime();
        long events0 = tail.count();
        Set<String> inFlight = new LinkedHashSet<>();
        int started = 0;
        long nextReport = t0 + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            inFlight.removeIf(tracker::finished);
            long count = tail.count();
            if (count + inFlight.size() * perRun < target) {
                while (inFlight.size() < HISTORY_IN_FLIGHT) {
                    inFlight.add(startRun("bench-history"));
                    started++;
                }
            } else if (inFlight.isEmpty() && count >= target) {
                break;
            }
            if (System.nanoTime() > nextReport) {
                double s = (System.nanoTime() - t0) / 1e9;
                Log.err(String.format("  %,d events in the log after %.0f s (%,.0f events/s, %d runs started)",
                        count, s, (count - events0) / s, started));
                nextReport += TimeUnit.SECONDS.toNanos(15);
            }
            Thread.sleep(10);
        }
        double buildS = (System.nanoTime() - t0) / 1e9;
        CpuMeter.Sample b = cpu.sample();
        long total = tail.count();
        Log.err(String.format("  history: %,d events in the log (%,d added by %d runs = %,d tasks in %.0f s: "
                        + "%,.0f events/s, %,.0f tasks/s sustained)", total, total - events0, started,
                (long) started * HISTORY_WIDTH, buildS, (total - events0) / buildS, started * HISTORY_WIDTH / buildS));
        Log.err(cpu.report("the history build", a, b));
        awaitReadModels();
        if (QUIESCE) {
            quiesce();
        }

        SchedulerRuntime runtime = drover.context().getBean(SchedulerRuntime.class);
        SchedulerConfig config = drover.context().getBean(SchedulerConfig.class);
        KafkaSettings kafka = drover.context().getBean(KafkaSettings.class);
        long c0 = System.nanoTime();
        runtime.loop().close();
        Log.err(String.format("  scheduler loop stopped in %d ms (it had decided %,d commands)",
                (System.nanoTime() - c0) / 1_000_000, runtime.loop().commandsDecided()));

        CommandGateway gateway = runtime.gateway();

        // 1. Warm: a new loop in this JVM (classes loaded, code compiled): the cost of the recovery itself.
        long r0 = System.nanoTime();
        SchedulerLoop warm = new SchedulerLoop(new SchedulerLoop.LoopSettings(kafka.getBootstrapServers(),
                config.getInstanceId(), config.getSnapshotEveryEvents(), config.getTransactionTimeout()),
                new SchedulerDecider(new SchedulerSettings(config.getLeaseDuration())), new LogCodec(),
                Clock.systemUTC());
        warm.start();
        // The command is in the log from the first moment; the new loop decides it as soon as it is processing.
        Future<CommandGateway.Outcome> outcome = requestRun(gateway);
        long processingAt = 0;
        while (!outcome.isDone()) {
            if (processingAt == 0 && warm.processing()) {
                processingAt = System.nanoTime();
            }
            if (System.nanoTime() - r0 > TimeUnit.MINUTES.toNanos(5)) {
                throw new IllegalStateException("the new scheduler loop decided nothing within 5 minutes");
            }
            Thread.sleep(1);
        }
        String runId = runStarted(outcome);
        Log.err(String.format("  new loop in this JVM: owned its partitions, state rebuilt, after %s ms; decided a "
                        + "new RequestRun (RunStarted %s) %d ms after it was created",
                processingAt == 0 ? "?" : Long.toString((processingAt - r0) / 1_000_000), runId,
                (System.nanoTime() - r0) / 1_000_000));
        tracker.awaitFinished(List.of(runId), Duration.ofMinutes(2));
        c0 = System.nanoTime();
        warm.close();
        Log.err(String.format("  its run finished (%s); loop stopped in %d ms", tracker.run(runId).status,
                (System.nanoTime() - c0) / 1_000_000));

        // 2. Cold, the figure: a new scheduler process, from its launch until it has decided a waiting command.
        outcome = requestRun(gateway);
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = List.of(java, "-Xmx1g", "-Xlog:disable", "-Xlog:all=warning:stderr",
                "-Dlogback.configurationFile=logback-bench.xml", "-cp", System.getProperty("java.class.path"),
                RecoveryProbe.class.getName(), kafka.getBootstrapServers(), config.getInstanceId(),
                Long.toString(config.getSnapshotEveryEvents()),
                Long.toString(config.getTransactionTimeout().toMillis()),
                Long.toString(config.getLeaseDuration().toMillis()));
        long p0 = System.nanoTime();
        Process probe = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Thread relay = new Thread(() -> {
            try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(probe.getInputStream()))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    Log.err("  new scheduler process: " + line);
                }
            } catch (IOException e) {
                // the probe ended
            }
        }, "bench-probe-relay");
        relay.setDaemon(true);
        relay.start();
        try {
            CommandGateway.Outcome decided = outcome.get(5, TimeUnit.MINUTES);
            long p1 = System.nanoTime();
            runId = runStarted(outcome);
            double recoveryS = (p1 - p0) / 1e9;
            Log.err(String.format("  new scheduler process decided the waiting RequestRun (RunStarted %s at %s) "
                    + "%.0f ms after it was launched", runId, decided.position(), recoveryS * 1000));
            tracker.awaitFinished(List.of(runId), Duration.ofMinutes(2));
            Log.err("  the run it started finished: " + tracker.run(runId).status);
            Bench.figure("recovery_s_1m_events", Math.round(recoveryS * 100) / 100.0);
        } finally {
            probe.getOutputStream().close(); // tells the probe to stop its loop and exit
            if (!probe.waitFor(30, TimeUnit.SECONDS)) {
                probe.destroyForcibly();
            }
            relay.join(2000);
        }
    }

    private static Future<CommandGateway.Outcome> requestRun(CommandGateway gateway) {
        return gateway.send(new SchedulerCommand.RequestRun(UUID.randomUUID().toString(), "bench-history", null,
                Map.of(), "bench", "bench"), null, "bench");
    }

    private static String runStarted(Future<CommandGateway.Outcome> outcome) throws Exception {
        SchedulerEvent decided = outcome.get().event().event();
        if (!(decided instanceof SchedulerEvent.RunStarted rs)) {
            throw new IllegalStateException("expected RunStarted, got " + decided);
        }
        return rs.runId();
    }

    // --------------------------------------------------------------------------------------------------- helpers

    /**
     * Waits until the read-model projector has caught up with the events read so far and says how long that took:
     * the read models trail the log, and a projector still catching up competes for the CPU with what is measured next.
     */
    private void awaitReadModels() throws InterruptedException {
        ReadModelProjector projector = drover.context().getBean(SchedulerRuntime.class).projector();
        Map<Integer, Long> last = tail.lastOffsets();
        long t0 = System.nanoTime();
        long deadline = t0 + TimeUnit.MINUTES.toNanos(5);
        while (!last.entrySet().stream().allMatch(e -> projector.hasProjected(e.getKey(), e.getValue()))) {
            if (System.nanoTime() > deadline) {
                Log.err("  read models still behind after 5 minutes; going on");
                return;
            }
            Thread.sleep(10);
        }
        Log.err(String.format("  read models caught up with the log %.1f s after this phase ended",
                (System.nanoTime() - t0) / 1e9));
    }

    /** For each consecutive pair of a chain run: upstream TaskSucceeded to downstream TaskStarted, in ms. */
    private static long[] gaps(RunTracker.RunInfo run) {
        long[] gaps = new long[CHAIN_LENGTH - 1];
        for (int i = 1; i < CHAIN_LENGTH; i++) {
            Instant up = run.taskSucceededAt.get(taskId(i - 1));
            Instant down = run.taskStartedAt.get(taskId(i));
            gaps[i - 1] = Duration.between(up, down).toMillis();
        }
        return gaps;
    }

    /**
     * Waits until the lease timers of the attempts started so far have fired and been decided (each started attempt
     * leaves one in the scheduler's timer queue, which appends an {@code ExpireTaskLease} command when it is due),
     * so that one phase's timers do not land in the next phase's measurement.
     */
    private void quiesce() throws InterruptedException {
        if (!QUIESCE) {
            return;
        }
        Instant until = tracker.lastTaskStartedAt().plus(lease).plusSeconds(1);
        long ms = Duration.between(Instant.now(), until).toMillis();
        if (ms > 0) {
            Log.err(String.format("  quiescing %.1f s (until the lease timers of this phase have fired)", ms / 1e3));
            Thread.sleep(ms);
        }
    }

    private void register(String yaml) {
        DroverClient.Response r = client.registerPipeline(yaml);
        if (!r.ok()) {
            throw new IllegalStateException("could not register a benchmark pipeline: " + r.body());
        }
    }

    private String startRun(String pipelineId) {
        DroverClient.Response r = client.startRun(pipelineId, Map.of());
        if (!r.ok()) {
            throw new IllegalStateException("could not start a run of " + pipelineId + ": " + r.body());
        }
        return r.body().path("runId").asText();
    }

    /** Starts runs concurrently (8 REST clients), as many users would. */
    private List<String> startRuns(String pipelineId, int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "bench-driver");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> startRun(pipelineId)));
            }
            List<String> ids = new ArrayList<>();
            for (Future<String> f : futures) {
                ids.add(f.get());
            }
            return ids;
        } finally {
            pool.shutdown();
        }
    }

    private static void check(RunTracker.RunInfo run, String runId, int tasks) {
        if (run == null || !"SUCCEEDED".equals(run.status) || run.tasksSucceeded != tasks) {
            throw new IllegalStateException("run " + runId + " did not succeed with " + tasks + " tasks: "
                    + (run == null ? "unknown" : run.status + ", " + run.tasksSucceeded + " succeeded"));
        }
    }

    /** Sum of the end offsets of a topic (records plus transaction markers). */
    private long endOffsets(String topic) {
        List<PartitionInfo> infos = offsets.partitionsFor(topic);
        List<TopicPartition> tps = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
        return offsets.endOffsets(tps).values().stream().mapToLong(Long::longValue).sum();
    }

    static String taskId(int i) {
        return String.format("t%04d", i);
    }

    static String chainSpec(String id, int n) {
        StringBuilder sb = new StringBuilder("id: " + id + "\ndescription: benchmark, a chain of " + n
                + " noop tasks\ntasks:\n");
        for (int i = 0; i < n; i++) {
            sb.append("  - {id: ").append(taskId(i)).append(", type: noop");
            if (i > 0) {
                sb.append(", dependsOn: [").append(taskId(i - 1)).append("]");
            }
            sb.append("}\n");
        }
        return sb.toString();
    }

    static String wideSpec(String id, int n, String task) {
        StringBuilder sb = new StringBuilder("id: " + id + "\ndescription: benchmark, " + n
                + " independent tasks\ntasks:\n");
        for (int i = 0; i < n; i++) {
            sb.append("  - {id: ").append(taskId(i)).append(", ").append(task).append("}\n");
        }
        return sb.toString();
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort: a temp directory
                }
            });
        } catch (IOException e) {
            Log.err("could not delete " + dir + ": " + e.getMessage());
        }
    }
}

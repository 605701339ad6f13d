package dev.drover.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where the CPU went during a phase: CPU time of this JVM's threads grouped by what they do (scheduler loop,
 * projector, executor, broker, ...), the rest of the JVM (GC, JIT), the embedded PostgreSQL processes and the
 * processes that shell tasks ran. Printed on stderr after each phase, as evidence of which stage dominates.
 */
final class CpuMeter {
    private static final long TICK_NANOS = 10_000_000L; // USER_HZ = 100 on Linux
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final String postgresDataDir;

    /** @param postgresDataDir data directory of the embedded PostgreSQL whose processes count as ours */
    CpuMeter(Path postgresDataDir) {
        this.postgresDataDir = postgresDataDir.toAbsolutePath().normalize().toString();
    }

    /** CPU times at one instant. */
    final class Sample {
        final long wallNanos = System.nanoTime();
        final long processNanos = os.getProcessCpuTime();
        final Map<Long, Long> threadNanos = new HashMap<>();
        final Map<Long, String> threadNames = new HashMap<>();
        final long postgresNanos = postgresCpu();
        final long childNanos = childCpu();
        final long machineBusyNanos = machineBusy();
        final long gcMillis = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime).sum();
        final long jitMillis = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();

        Sample() {
            for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (info == null) {
                    continue;
                }
                long t = threads.getThreadCpuTime(info.getThreadId());
                if (t >= 0) {
                    threadNanos.put(info.getThreadId(), t);
                    threadNames.put(info.getThreadId(), info.getThreadName());
                }
            }
        }
    }

    Sample sample() {
        return new Sample();
    }

    /** A breakdown of the CPU used between two samples, as lines for stderr. */
    String report(String phase, Sample a, Sample b) {
        double wall = (b.wallNanos - a.wallNanos) / 1e9;
        Map<String, Long> byGroup = new LinkedHashMap<>();
        Map<String, Long> byThread = new HashMap<>();
        long threadSum = 0;
        for (var e : b.threadNanos.entrySet()) {
            long d = e.getValue() - a.threadNanos.getOrDefault(e.getKey(), 0L);
            if (d <= 0) {
                continue;
            }
            String name = b.threadNames.get(e.getKey());
            byGroup.merge(group(name), d, Long::sum);
            byThread.merge(name.replaceAll("\\d+", "#"), d, Long::sum);
            threadSum += d;
        }
        long process = b.processNanos - a.processNanos;
        byGroup.merge("jvm-internal (GC, JIT, threads that ended)", Math.max(0, process - threadSum), Long::sum);
        byGroup.put("postgres processes", b.postgresNanos - a.postgresNanos);
        byGroup.put("task processes (shell)", b.childNanos - a.childNanos);
        long total = byGroup.values().stream().mapToLong(Long::longValue).sum();
        long machine = b.machineBusyNanos - a.machineBusyNanos;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("CPU during %s: %.1f s wall, %.1f CPU-s used by Drover and this benchmark of %.1f "
                        + "available (%d cores); the whole machine was busy %.1f CPU-s, so other processes took %.1f%n",
                phase, wall, total / 1e9, wall * Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().availableProcessors(), machine / 1e9, Math.max(0, machine - total) / 1e9));
        byGroup.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sb.append(String.format("    %-44s %7.2f CPU-s %5.1f%%%n", e.getKey(), e.getValue() / 1e9,
                        total == 0 ? 0 : 100.0 * e.getValue() / total)));
        long codeCache = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(m -> m.getName().startsWith("CodeHeap") || m.getName().equals("CodeCache"))
                .mapToLong(m -> m.getUsage().getUsed()).sum();
        sb.append(String.format("  GC: %d ms of collection time; JIT: %d ms spent compiling (elapsed, all compiler threads); code cache %d MB%n",
                b.gcMillis - a.gcMillis, b.jitMillis - a.jitMillis, codeCache >> 20));
        sb.append("  busiest threads:\n");
        byThread.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(12)
                .forEach(e -> sb.append(String.format("    %-60s %7.2f CPU-s%n", e.getKey(), e.getValue() / 1e9)));
        return sb.toString();
    }

    static String group(String name) {
        if (name.equals("scheduler-loop")) {
            return "scheduler loop (decide + transaction)";
        } else if (name.equals("read-model-projector")) {
            return "read-model projector (JDBC client side)";
        } else if (name.startsWith("bench-")) {
            return "benchmark itself (event tail, driver)";
        } else if (name.startsWith("dispatch-") || name.startsWith("executor-") || name.startsWith("process reaper")
                || name.startsWith("drover-shell") || name.startsWith("line-pump") || name.contains("attempt")) {
            return "executor (dispatch, runners)";
        } else if (name.startsWith("kafka-producer-network-thread")) {
            return "Kafka producer I/O threads (all clients)";
        } else if (name.equals("consumer_background_thread")) {
            return "executor (dispatch, runners)"; // the share consumer's network thread
        } else if (name.startsWith("command-gateway") || name.startsWith("default-nioEventLoopGroup")
                || name.startsWith("default-eventLoopGroup")
                || name.startsWith("io-executor-thread") || name.startsWith("blocking-executor")
                || name.startsWith("HttpClient")) {
            return "REST API and command gateway";
        } else if (name.startsWith("data-plane") || name.startsWith("kafka-") || name.startsWith("group-coordinator")
                || name.startsWith("share-") || name.contains("Controller") || name.startsWith("quorum")
                || name.startsWith("raft") || name.startsWith("broker-") || name.startsWith("controller-")
                || name.startsWith("ExpirationReaper") || name.startsWith("transaction")
                || name.startsWith("LogDirFailureHandler") || name.startsWith("persister")
                || name.startsWith("executor-Fetch") || name.startsWith("executor-Produce")
                || name.contains("coordinator") || name.startsWith("TxnMarkerSender")
                || name.startsWith("AddPartitionsToTxn") || name.startsWith("PersisterStateManager")
                || name.startsWith("ReplicaFetcher") || name.startsWith("metrics-")) {
            return "Kafka broker (in-process)";
        }
        return "other threads";
    }

    /** CPU of our PostgreSQL: the postmaster started on our data directory and its children (the backends). */
    private long postgresCpu() {
        long sum = 0;
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            List<Path> dirs = new ArrayList<>();
            procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(dirs::add);
            String postmaster = null;
            for (Path d : dirs) {
                try {
                    String cmd = Files.readString(d.resolve("cmdline")).replace('\0', ' ');
                    if (cmd.contains("postgres") && cmd.contains(postgresDataDir)) {
                        postmaster = d.getFileName().toString();
                    }
                } catch (IOException e) {
                    // gone meanwhile
                }
            }
            if (postmaster == null) {
                return 0;
            }
            for (Path d : dirs) {
                long[] t = stat(d.resolve("stat"), "(postgres)");
                if (t != null && (d.getFileName().toString().equals(postmaster) || postmaster.equals(ppid(d)))) {
                    sum += t[0] + t[1];
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return sum * TICK_NANOS;
    }

    private static String ppid(Path procDir) {
        try {
            String s = Files.readString(procDir.resolve("stat"));
            return s.substring(s.lastIndexOf(')') + 2).split(" ")[1];
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Busy time of all CPUs of the machine (/proc/stat: everything but idle and iowait). */
    private static long machineBusy() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long sum = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                if (i != 4 && i != 5) {
                    sum += Long.parseLong(f[i]);
                }
            }
            return sum * TICK_NANOS;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long childCpu() {
        long[] t = stat(Path.of("/proc/self/stat"), null);
        return t == null ? 0 : (t[2] + t[3]) * TICK_NANOS;
    }

    /** utime, stime, cutime, cstime of a /proc stat file, if its command matches. */
    private static long[] stat(Path file, String comm) {
        try {
            String s = Files.readString(file);
            int close = s.lastIndexOf(')');
            if (comm != null && !s.substring(s.indexOf('('), close + 1).equals(comm)) {
                return null;
            }
            String[] f = s.substring(close + 2).split(" ");
            // fields after the command: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
            return new long[]{Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]),
                    Long.parseLong(f[14])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}

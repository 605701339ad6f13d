package dev.drover.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs benchmark suites and prints one figure per line, {@code name value}, on stdout; everything else (progress,
 * logs, CPU breakdowns) goes to stderr. Usage: {@code Bench [suite ...]}; no suite runs all of them.
 */
public final class Bench {
    /** Every suite this runner knows, in the order {@code bench/run} with no argument runs them. */
    static final List<String> SUITES = List.of("scheduler", "registry", "monitor", "triggers", "robustness", "ui");
    private static PrintStream figures;

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        // Keep stdout for figures only: anything else that prints to System.out (banners, stray logs) goes to stderr.
        figures = System.out;
        System.setOut(System.err);
        List<String> suites = args.length == 0 ? SUITES : List.of(args);
        List<String> unknown = new ArrayList<>(suites);
        unknown.removeAll(SUITES);
        if (!unknown.isEmpty()) {
            System.err.println("unknown suite(s) " + unknown + "; known: " + SUITES);
            System.exit(2);
        }
        long t0 = System.nanoTime();
        for (String suite : suites) {
            if (suite.equals("scheduler")) {
                SchedulerBench.run();
            } else if (suite.equals("registry")) {
                RegistryBench.run();
            } else if (suite.equals("monitor")) {
                MonitorBench.run();
            } else if (suite.equals("triggers")) {
                // each starts its own Drover: CloudEvent latency first, then the 10,000-pipeline schedule tick;
                // -Dbench.triggers=events or =ticks runs only one half
                String half = System.getProperty("bench.triggers", "all");
                if (!half.equals("ticks")) {
                    TriggersBench.run();
                }
                if (!half.equals("events")) {
                    ScheduleTickBench.run();
                }
            } else if (suite.equals("ui")) {
                UiBench.run();
            } else if (suite.equals("robustness")) {
                // the API fuzz run (fuzz_requests, fuzz_5xx, fuzz_p99_ms); poison_recovery_ms is to join it here
                RobustnessBench.run();
            }
        }
        Log.err(String.format(Locale.ROOT, "all suites done in %.0f s", (System.nanoTime() - t0) / 1e9));
        // Non-daemon threads of libraries (HTTP client pools, JDBC housekeeping) must not keep the JVM alive.
        System.exit(0);
    }

    /** Prints one figure on stdout. */
    static synchronized void figure(String name, double value) {
        String v = value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.2f", value);
        figures.println(name + " " + v);
        figures.flush();
        Log.err("FIGURE " + name + " " + v);
    }

    /**
     * {@code props} with security as {@code -Dbench.security} says (default on, as Drover ships): the registry and
     * scheduler suites are run both ways to measure what checking tokens costs (bench/README.md).
     */
    static java.util.Map<String, Object> security(java.util.Map<String, Object> props) {
        java.util.Map<String, Object> out = new java.util.LinkedHashMap<>(props);
        boolean on = Boolean.parseBoolean(System.getProperty("bench.security", "true"));
        out.put("drover.security.enabled", on);
        Log.err("security " + (on ? "on: requests carry the admin's API token" : "off"));
        return out;
    }
}

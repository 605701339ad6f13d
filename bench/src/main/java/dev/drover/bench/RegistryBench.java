package dev.drover.bench;

import dev.drover.registry.RegistryRuntime;
import dev.drover.registry.core.Lineage;
import dev.drover.registry.core.ModelCommand.RegisterVersion;
import dev.drover.registry.core.ModelCommand.SetAlias;
import dev.drover.registry.loop.RegistryGateway;
import dev.drover.registry.loop.RegistryGateway.Outcome;
import dev.drover.registry.wire.CommandEnvelope;
import dev.drover.standalone.DroverStandalone;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The registry suite (see bench/README.md): version registrations per second through the log, then alias lookups
 * over HTTP from a separate load-generating process ({@link AliasLoad}) against 1,000 models × 20 versions.
 * The registry runs in this JVM as part of {@link DroverStandalone}, with a temporary data directory and free ports.
 */
final class RegistryBench {
    private static final int MODELS = Integer.getInteger("bench.registry-models", 1000);
    private static final int VERSIONS = Integer.getInteger("bench.registry-versions", 20);
    private static final int IN_FLIGHT = Integer.getInteger("bench.registry-in-flight", 64);
    private static final int GET_RATE = Integer.getInteger("bench.registry-get-rate", 2000);
    private static final int GET_SECONDS = Integer.getInteger("bench.registry-get-seconds", 20);
    private static final int GET_CONNECTIONS = Integer.getInteger("bench.registry-get-connections", 16);

    private RegistryBench() {
    }

    static String modelName(int i) {
        return String.format("bench-model-%04d", i);
    }

    static void run() throws Exception {
        long t0 = System.nanoTime();
        Path dir = Files.createTempDirectory("drover-bench-registry-");
        Log.err("starting Drover standalone in " + dir);
        DroverStandalone drover = DroverStandalone.start(new DroverStandalone.Settings(dir, 0, 0, -1,
                Files.createDirectories(dir.resolve("work")), Bench.security(Map.of())));
        // interrupted (Ctrl-C): stop Drover, PostgreSQL (a separate process) above all; close() is idempotent
        Thread hook = new Thread(drover::close, "bench-registry-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Log.err(String.format("Drover up in %.1f s: %s", (System.nanoTime() - t0) / 1e9, drover.baseUrl()));
            RegistryGateway gateway = drover.context().getBean(RegistryRuntime.class).gateway();
            load(gateway);
            awaitProjected(drover);
            lookups(drover.baseUrl(), drover.adminToken());
        } finally {
            drover.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
            deleteQuietly(dir);
            Log.err(String.format("registry suite took %.0f s", (System.nanoTime() - t0) / 1e9));
        }
    }

    /** Registers MODELS × VERSIONS versions, IN_FLIGHT at a time, version by version across models. */
    private static void load(RegistryGateway gateway) throws Exception {
        // warm-up: one model's worth, not counted
        pipeline(gateway, 200, i -> register("bench-warmup-" + (i % 10)));
        int total = MODELS * VERSIONS;
        long start = System.nanoTime();
        pipeline(gateway, total, i -> register(modelName(i % MODELS)));
        double seconds = (System.nanoTime() - start) / 1e9;
        Log.err(String.format("registered %d versions of %d models in %.1f s (%d in flight)", total, MODELS,
                seconds, IN_FLIGHT));
        Bench.figure("registry_register_per_s", Math.round(total / seconds));
        pipeline(gateway, MODELS, i -> new SetAlias(UUID.randomUUID().toString(), modelName(i), "champion",
                VERSIONS, "bench", "bench"));
    }

    private static RegisterVersion register(String model) {
        return new RegisterVersion(UUID.randomUUID().toString(), model, "s3://bench/" + model, null,
                Map.of("learning_rate", "0.1", "epochs", "200"), Map.of("auc", 0.8 + Math.random() / 10),
                new Lineage("bench-run", "train", "0000000", null), Map.of("team", "bench"), true, "bench");
    }

    private interface CommandFactory {
        Object command(int i);
    }

    private static void pipeline(RegistryGateway gateway, int count, CommandFactory factory) throws Exception {
        Semaphore permits = new Semaphore(IN_FLIGHT);
        List<CompletableFuture<Outcome>> all = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            permits.acquire();
            CompletableFuture<Outcome> f = gateway.send(new CommandEnvelope(factory.command(i), Instant.now(),
                    "bench"));
            f.whenComplete((o, e) -> permits.release());
            all.add(f);
        }
        for (CompletableFuture<Outcome> f : all) {
            Outcome o = f.get(2, TimeUnit.MINUTES);
            if (o.rejection().isPresent()) {
                throw new IllegalStateException("bench command rejected: " + o.rejection().get());
            }
        }
    }

    private static void awaitProjected(DroverStandalone drover) throws Exception {
        long t0 = System.nanoTime();
        String url = drover.postgres().jdbcUrl("drover") + "?currentSchema=registry";
        try (Connection c = DriverManager.getConnection(url, drover.postgres().user(), drover.postgres().password());
             Statement s = c.createStatement()) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (true) {
                try (ResultSet rs = s.executeQuery("select count(*) from model_aliases where model_name like 'bench-model-%'")) {
                    rs.next();
                    if (rs.getLong(1) >= MODELS) {
                        break;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the read model did not catch up within 5 minutes");
                }
                Thread.sleep(100);
            }
        }
        Log.err(String.format("read model caught up %.1f s after the last write", (System.nanoTime() - t0) / 1e9));
    }

    private static void lookups(String baseUrl, String token) throws Exception {
        Map<String, String> closed = loadProcess(baseUrl, token, "closed", 15, GET_CONNECTIONS);
        Bench.figure("registry_get_per_s", Double.parseDouble(closed.get("per_s")));
        Map<String, String> open = loadProcess(baseUrl, token, "open", GET_SECONDS, GET_RATE);
        Log.err("open-loop lookups at " + GET_RATE + "/s: " + open);
        Bench.figure("registry_get_p50_ms", Double.parseDouble(open.get("p50_ms")));
        Bench.figure("registry_get_p99_ms", Double.parseDouble(open.get("p99_ms")));
        Bench.figure("registry_get_errors", Double.parseDouble(open.get("errors")));
    }

    private static Map<String, String> loadProcess(String baseUrl, String token, String mode, int seconds, int n)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = List.of(java, "-Xmx512m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), AliasLoad.class.getName(), baseUrl,
                Integer.toString(MODELS), mode, Integer.toString(seconds), Integer.toString(n));
        Log.err("load generator: " + mode + " " + n + " for " + seconds + " s");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        if (token != null) {
            pb.environment().put("DROVER_TOKEN", token); // not on the command line, where ps shows it
        }
        Process p = pb.start();
        Map<String, String> out = new HashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            for (String line; (line = r.readLine()) != null; ) {
                String[] kv = line.trim().split(" ", 2);
                if (kv.length == 2) {
                    out.put(kv[0], kv[1]);
                }
            }
        }
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("the load generator failed (exit " + p.exitValue() + "): " + out);
        }
        return out;
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            Log.err("could not delete " + dir + ": " + e);
        }
    }
}

package dev.drover.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load generator of the registry suite, run as its own process so that its CPU is not the registry's JVM's:
 * alias lookups ({@code GET /api/2.0/mlflow/registered-models/alias?name=<model>&alias=champion}) of random models.
 *
 * <p>Usage: {@code AliasLoad <baseUrl> <models> <mode> <seconds> <n>}, where mode {@code closed} keeps {@code n}
 * requests in flight and prints {@code per_s <requests per second>}, and mode {@code open} sends {@code n}
 * requests per second on a fixed schedule and prints {@code p99_ms}/{@code p50_ms} measured from each request's
 * scheduled time (so a stall delays the latencies of every request behind it: no coordinated omission). In closed
 * mode every answer must be 200; in open mode a failed, timed-out or non-200 request is counted in {@code errors}.
 */
public final class AliasLoad {
    private AliasLoad() {
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        int models = Integer.parseInt(args[1]);
        String mode = args[2];
        int seconds = Integer.parseInt(args[3]);
        int n = Integer.parseInt(args[4]);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(4)).connectTimeout(Duration.ofSeconds(5)).build();
        if (mode.equals("closed")) {
            closed(client, base, models, seconds, n);
        } else {
            open(client, base, models, seconds, n);
        }
        System.exit(0);
    }

    private static HttpRequest request(String base, int models) {
        int m = ThreadLocalRandom.current().nextInt(models);
        return HttpRequest.newBuilder(URI.create(base + "/api/2.0/mlflow/registered-models/alias?name="
                + RegistryBench.modelName(m) + "&alias=champion")).timeout(Duration.ofSeconds(5)).GET().build();
    }

    private static void check(HttpResponse<String> r) {
        if (r.statusCode() != 200) {
            System.err.println("alias lookup answered " + r.statusCode() + ": " + r.body());
            System.exit(3);
        }
    }

    private static void closed(HttpClient client, String base, int models, int seconds, int inFlight)
            throws Exception {
        AtomicLong done = new AtomicLong();
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService workers = Executors.newFixedThreadPool(inFlight);
        for (int i = 0; i < inFlight; i++) {
            workers.submit(() -> {
                while (!stop.get()) {
                    check(client.send(request(base, models), HttpResponse.BodyHandlers.ofString()));
                    if (measuring.get()) {
                        done.incrementAndGet();
                    }
                }
                return null;
            });
        }
        Thread.sleep(3000); // warm-up: JIT, connection pools
        measuring.set(true);
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long count = done.get();
        double elapsed = (System.nanoTime() - t0) / 1e9;
        stop.set(true);
        workers.shutdown();
        workers.awaitTermination(30, TimeUnit.SECONDS);
        System.out.printf(Locale.ROOT, "per_s %.0f%n", count / elapsed);
    }

    private static void open(HttpClient client, String base, int models, int seconds, int rate) throws Exception {
        int warmup = rate * 3;
        int total = warmup + rate * seconds;
        long interval = 1_000_000_000L / rate;
        long[] latencies = new long[total - warmup];
        AtomicLong finished = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<java.util.concurrent.CompletableFuture<?>> pending = new ArrayList<>();
        long start = System.nanoTime() + 50_000_000L;
        for (int i = 0; i < total; i++) {
            long scheduled = start + i * interval;
            long wait = scheduled - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            final int index = i;
            pending.add(client.sendAsync(request(base, models), HttpResponse.BodyHandlers.ofString())
                    .handle((r, e) -> {
                        // an overloaded server is a result, not a crash: a failed or timed-out request counts as
                        // an error with the latency it had when it gave up
                        long latency = System.nanoTime() - scheduled;
                        if (e != null || r.statusCode() != 200) {
                            errors.incrementAndGet();
                        }
                        if (index >= warmup) {
                            latencies[index - warmup] = latency;
                        }
                        finished.incrementAndGet();
                        return null;
                    }));
        }
        for (var f : pending) {
            f.get(30, TimeUnit.SECONDS);
        }
        double achieved = (double) (total - warmup) / ((System.nanoTime() - start) / 1e9 - 3);
        System.out.printf(Locale.ROOT, "p50_ms %.2f%n", Stats.percentile(latencies, 50) / 1e6);
        System.out.printf(Locale.ROOT, "p99_ms %.2f%n", Stats.percentile(latencies, 99) / 1e6);
        System.out.printf(Locale.ROOT, "max_ms %.2f%n", Stats.percentile(latencies, 100) / 1e6);
        System.out.printf(Locale.ROOT, "offered_per_s %d%n", rate);
        System.out.printf(Locale.ROOT, "completed_per_s %.0f%n", achieved);
        System.out.printf(Locale.ROOT, "errors %d%n", errors.get());
    }
}

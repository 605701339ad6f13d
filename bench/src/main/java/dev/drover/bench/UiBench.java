package dev.drover.bench;

import dev.drover.standalone.DroverClient;
import dev.drover.standalone.DroverStandalone;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The web UI suite (see bench/README.md): {@code ui_pipelines_page_ms} (the pipeline list with 1,000 pipelines, each
 * with a run), {@code ui_run_grid_ms} (a pipeline's page with its graph and the grid of 25 runs × 200 tasks), each the
 * p50 of 50 requests after 10 to warm up, timed by a client on the same machine (so: the server's time plus a
 * loopback round trip), and {@code ui_first_load_kb}, what a first visit of the grid page moves: the page and its
 * stylesheet and script.
 */
final class UiBench {
    private static final int PIPELINES = Integer.getInteger("bench.ui-pipelines", 1000);
    private static final int GRID_TASKS = 200;
    private static final int GRID_RUNS = 25;
    private static final int WARMUP = 10;
    private static final int TIMED = 50;

    private UiBench() {
    }

    static void run() throws Exception {
        long t0 = System.nanoTime();
        Path dir = Files.createTempDirectory("drover-bench-ui-");
        Path work = Files.createDirectories(dir.resolve("work"));
        DroverStandalone drover = DroverStandalone.start(new DroverStandalone.Settings(dir, 0, 0, -1, work,
                Map.of("drover.executor.name", "bench", "drover.executor.slots", "64")));
        try {
            Log.err(String.format(Locale.ROOT, "Drover up in %.1f s: %s", (System.nanoTime() - t0) / 1e9,
                    drover.baseUrl()));
            DroverClient client = drover.client();
            registerPipelines(client);
            List<String> gridRuns = gridPipeline(client);
            for (String runId : gridRuns) {
                client.awaitRun(runId, Duration.ofMinutes(5));
            }
            String session = client.post("/api/v1/sessions", Map.of()).body().path("token").asText();
            HttpClient http = HttpClient.newHttpClient();
            Bench.figure("ui_pipelines_page_ms", p50(http, drover.baseUrl() + "/ui/pipelines", session));
            Bench.figure("ui_run_grid_ms", p50(http, drover.baseUrl() + "/ui/pipelines/bench-grid", session));
            long bytes = 0;
            for (String path : List.of("/ui/pipelines/bench-grid", "/ui/static/drover.css", "/ui/static/drover.js")) {
                bytes += get(http, drover.baseUrl() + path, session).body().length;
            }
            Bench.figure("ui_first_load_kb", Math.round(bytes / 102.4) / 10.0);
        } finally {
            drover.close();
        }
    }

    /** 1,000 one-task pipelines, each run once (the list shows each one's last runs), 8 clients at a time. */
    private static void registerPipelines(DroverClient client) throws Exception {
        long t = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<String>> runs = new ArrayList<>();
        for (int i = 0; i < PIPELINES; i++) {
            String id = String.format(Locale.ROOT, "bench-ui-%04d", i);
            runs.add(pool.submit(() -> {
                DroverClient.Response r = client.registerPipeline("id: " + id + "\ndescription: pipeline " + id
                        + " of the UI benchmark\ntasks: [{id: only, type: noop}]\n");
                if (r.status() != 201) {
                    throw new IllegalStateException("register " + id + ": " + r.status() + " " + r.body());
                }
                return client.startRun(id, Map.of()).body().path("runId").asText();
            }));
        }
        for (Future<String> f : runs) {
            client.awaitRun(f.get(), Duration.ofMinutes(5));
        }
        pool.shutdown();
        Log.err(String.format(Locale.ROOT, "%d pipelines registered and run in %.1f s", PIPELINES,
                (System.nanoTime() - t) / 1e9));
    }

    /** A pipeline of 200 noop tasks (a binary tree: each depends on its parent), run 25 times. */
    private static List<String> gridPipeline(DroverClient client) {
        StringBuilder spec = new StringBuilder("id: bench-grid\ntasks:\n");
        for (int i = 0; i < GRID_TASKS; i++) {
            spec.append("  - {id: t").append(i).append(", type: noop")
                    .append(i == 0 ? "" : ", dependsOn: [t" + (i - 1) / 2 + "]").append("}\n");
        }
        DroverClient.Response r = client.registerPipeline(spec.toString());
        if (r.status() != 201) {
            throw new IllegalStateException("register bench-grid: " + r.status() + " " + r.body());
        }
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < GRID_RUNS; i++) {
            runs.add(client.startRun("bench-grid", Map.of()).body().path("runId").asText());
        }
        return runs;
    }

    private static double p50(HttpClient http, String url, String session) throws Exception {
        long[] ms = new long[TIMED];
        for (int i = 0; i < WARMUP + TIMED; i++) {
            long t = System.nanoTime();
            HttpResponse<byte[]> r = get(http, url, session);
            long took = (System.nanoTime() - t) / 1_000_000;
            if (r.statusCode() != 200) {
                throw new IllegalStateException(url + " answered " + r.statusCode());
            }
            if (i >= WARMUP) {
                ms[i - WARMUP] = took;
            }
        }
        Log.err(url + ": " + Stats.summary(ms) + " ms");
        return Stats.percentile(ms, 50);
    }

    private static HttpResponse<byte[]> get(HttpClient http, String url, String session) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Cookie", "drover_session=" + session)
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}

package dev.drover.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.embedded.EmbeddedKafka;
import dev.drover.embedded.EmbeddedPostgres;
import dev.drover.executor.ExecutorApplication;
import dev.drover.monitor.MonitorApplication;
import dev.drover.registry.RegistryApplication;
import dev.drover.scheduler.SchedulerApplication;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.server.netty.NettyEmbeddedServer;
import io.micronaut.runtime.server.EmbeddedServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * The embedded default: an in-process Kafka broker (KRaft), an embedded PostgreSQL and all four services in one JVM,
 * with data kept in a local directory across restarts.
 *
 * <p>{@code demo} also registers the pipelines in {@code examples/}, runs the example ML pipeline and prints what
 * happened; both modes then serve the REST API until stopped.
 *
 * <p>This class is the one owner of the lifecycle: it starts the parts in dependency order and {@link #close()} stops
 * them in the reverse order (HTTP server, services, Kafka broker, PostgreSQL). The Micronaut context is started
 * without Micronaut's JVM shutdown hook, so nothing else stops any part behind its back.
 */
public final class DroverStandalone implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DroverStandalone.class);
    private final EmbeddedKafka kafka;
    private final EmbeddedPostgres postgres;
    private final ApplicationContext context;
    private final EmbeddedServer server;
    private final int httpPort;
    private final Path dataDir;
    private boolean closed;

    /**
     * Where and how to run.
     *
     * @param kafkaPort    the Kafka client port; 0 for any free port
     * @param postgresPort the PostgreSQL port; 0 for any free port
     * @param httpPort     the REST API port; 0 (or less) for any free port
     */
    public record Settings(Path dataDir, int kafkaPort, int postgresPort, int httpPort, Path workDir,
                           Map<String, Object> extraProperties) {
        public static Settings defaults() {
            return new Settings(Path.of(".drover"), StandalonePort.KAFKA.defaultPort(),
                    StandalonePort.POSTGRES.defaultPort(), StandalonePort.HTTP.defaultPort(), Path.of("."), Map.of());
        }
    }

    private DroverStandalone(EmbeddedKafka kafka, EmbeddedPostgres postgres, ApplicationContext context,
                             EmbeddedServer server, Path dataDir) {
        this.dataDir = dataDir;
        this.kafka = kafka;
        this.postgres = postgres;
        this.context = context;
        this.server = server;
        this.httpPort = server.getPort();
    }

    /**
     * Starts the broker, the database and every service.
     *
     * @throws StandalonePort.InUse if a port it was given is taken (checked before anything starts)
     */
    public static DroverStandalone start(Settings s) {
        Path data = s.dataDir().toAbsolutePath().normalize();
        // A PostgreSQL left running by a killed predecessor holds the port: stop it before checking the ports.
        EmbeddedPostgres.stopOrphanedServer(data.resolve("postgres"));
        StandalonePort.HTTP.requireFree(s.httpPort());
        StandalonePort.KAFKA.requireFree(s.kafkaPort());
        StandalonePort.POSTGRES.requireFree(s.postgresPort());
        EmbeddedKafka kafka = null;
        EmbeddedPostgres postgres = null;
        ApplicationContext context = null;
        try {
            try {
                kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults()
                        .withDataDirectory(data.resolve("kafka")).withPort(s.kafkaPort()));
            } catch (RuntimeException e) {
                throw StandalonePort.KAFKA.explain(e, s.kafkaPort());
            }
            postgres = EmbeddedPostgres.start(EmbeddedPostgres.Options.defaults()
                    .withDataDirectory(data.resolve("postgres")).withPort(s.postgresPort()));
            String jdbc = postgres.createDatabaseIfMissing("drover");
            Map<String, Object> p = new LinkedHashMap<>();
            p.putAll(SchedulerApplication.defaults());
            p.putAll(ExecutorApplication.defaults());
            p.putAll(RegistryApplication.defaults());
            p.putAll(MonitorApplication.defaults());
            p.put("micronaut.application.name", "drover-standalone");
            // every service, and the executor's registry tasks calling the registry, share this one port; it must be
            // known before the context starts (the executor's URLs name it), hence a free port found here for "any"
            int httpPort = s.httpPort() > 0 ? s.httpPort() : freePort();
            p.put("micronaut.server.port", httpPort);
            // The acceptor threads only accept connections; Netty's default quiet period made stopping them take 2 s.
            p.put("micronaut.server.netty.parent.shutdown-quiet-period", "0s");
            p.put("micronaut.server.netty.parent.shutdown-timeout", "2s");
            p.put("drover.kafka.bootstrap-servers", kafka.bootstrapServers());
            p.put("drover.scheduler.db.url", jdbc + (jdbc.contains("?") ? "&" : "?") + "currentSchema=scheduler");
            p.put("drover.scheduler.db.username", postgres.user());
            p.put("drover.scheduler.db.password", postgres.password());
            p.put("drover.scheduler.instance-id", "standalone");
            p.put("drover.registry.db.url", jdbc + (jdbc.contains("?") ? "&" : "?") + "currentSchema=registry");
            p.put("drover.registry.db.username", postgres.user());
            p.put("drover.registry.db.password", postgres.password());
            p.put("drover.registry.instance-id", "standalone");
            p.put("drover.executor.registry-url", "http://localhost:" + httpPort);
            p.put("drover.executor.scheduler-url", "http://localhost:" + httpPort);
            p.put("drover.monitor.db.url", jdbc + (jdbc.contains("?") ? "&" : "?") + "currentSchema=monitor");
            p.put("drover.monitor.db.username", postgres.user());
            p.put("drover.monitor.db.password", postgres.password());
            p.put("drover.monitor.instance-id", "standalone");
            p.put("drover.monitor.registry-url", "http://localhost:" + httpPort);
            // the web UI reads and steers Drover through the REST APIs on this same port, like any client
            p.put("drover.ui.scheduler-url", "http://localhost:" + httpPort);
            // the production data retrains learn from (docs/monitor.md, "Production data")
            p.put("drover.monitor.data-location", data.resolve("monitor-data").toString());
            p.put("drover.executor.name", "standalone");
            // secured from the first start: the admin's and the services' secrets go to the data directory
            p.put("drover.security.instance-id", "standalone");
            p.put("drover.security.bootstrap-dir", data.toString());
            p.put("drover.security.service-token-file", data.resolve("service-token").toString());
            p.put("drover.executor.work-dir", s.workDir().toAbsolutePath().normalize().toString());
            p.put("drover.executor.run-root", data.resolve("runs").toString());
            p.putAll(s.extraProperties());
            // Not Micronaut.build(..).start(): that registers a JVM shutdown hook of its own, which stops the server
            // (and through it the context) in a different thread and lock order from ours: both hooks deadlocked on
            // every SIGTERM. Micronaut 4.10 has no property to switch that hook off (Micronaut.start() asks
            // EmbeddedApplication.isShutdownHookNeeded(), which NettyHttpServer leaves true). Building the context
            // and starting the server is what Micronaut.start() does, minus the hook; close() below is then the only
            // thing that stops the context.
            context = ApplicationContext.builder().mainClass(DroverStandalone.class).properties(p).start();
            EmbeddedServer server = context.getBean(EmbeddedServer.class);
            try {
                server.start();
            } catch (RuntimeException e) {
                throw StandalonePort.HTTP.explain(e, httpPort);
            }
            return new DroverStandalone(kafka, postgres, context, server, data);
        } catch (RuntimeException e) {
            if (context != null) {
                context.close();
            }
            if (kafka != null) {
                kafka.close();
            }
            if (postgres != null) {
                postgres.close();
            }
            throw e;
        }
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free TCP port for the HTTP server", e);
        }
    }

    public String baseUrl() {
        return "http://localhost:" + httpPort;
    }

    /** The data directory (where {@code admin-token} and {@code admin-password} are). */
    public Path dataDir() {
        return dataDir;
    }

    /** The admin's API token, written at the first start (null when security is switched off). */
    public String adminToken() {
        Path file = dataDir.resolve("admin-token");
        try {
            return java.nio.file.Files.exists(file) ? java.nio.file.Files.readString(file).trim() : null;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("could not read " + file, e);
        }
    }

    /** A client of the REST API signed in as the admin. */
    public DroverClient client() {
        return new DroverClient(baseUrl(), adminToken());
    }

    /**
     * A client signed in as the person {@code account} with these roles (created, or given the roles, by the admin
     * over the REST API like anyone would), with a new API token.
     */
    public DroverClient as(String account, String... roles) {
        DroverClient admin = client();
        List<Map<String, Object>> grants = new ArrayList<>();
        for (String role : roles) {
            grants.add(Map.of("role", role));
        }
        DroverClient.Response created = admin.post("/api/v1/admin/accounts", Map.of("name", account, "kind",
                "person", "roles", grants));
        if (created.status() == 409) {
            for (Map<String, Object> g : grants) {
                expectOk(admin.post("/api/v1/admin/accounts/" + account + "/roles", g));
            }
        } else {
            expectOk(created);
        }
        DroverClient.Response token = expectOk(admin.post("/api/v1/admin/accounts/" + account + "/tokens",
                Map.of("description", "DroverStandalone.as")));
        return new DroverClient(baseUrl(), token.body().path("token").asText());
    }

    private static DroverClient.Response expectOk(DroverClient.Response r) {
        if (!r.ok()) {
            throw new IllegalStateException("the admin API answered " + r.status() + ": " + r.body());
        }
        return r;
    }

    public String kafkaBootstrap() {
        return kafka.bootstrapServers();
    }

    /** The port the REST API listens on. */
    public int httpPort() {
        return httpPort;
    }

    public ApplicationContext context() {
        return context;
    }

    public EmbeddedPostgres postgres() {
        return postgres;
    }

    /**
     * Stops everything in the reverse order of start, logging each stage with its duration: the HTTP server (no new
     * requests), the services (the Micronaut context: loops, consumers, producers, pools), the Kafka broker (after its
     * clients, or their close would wait on retries), then PostgreSQL (after the read-model projectors). Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long t0 = System.nanoTime();
        LOG.info("Stopping Drover ...");
        stage("HTTP server", this::stopHttpServer);
        stage("services", context::close);
        stage("Kafka broker", kafka::close);
        stage("PostgreSQL", postgres::close);
        LOG.info("Drover stopped in {} ms", (System.nanoTime() - t0) / 1_000_000);
    }

    private void stopHttpServer() {
        // The server's own stop() would also stop the whole context from inside the server's lock; stopping only the
        // server lets the context's close follow as a stage of its own.
        if (server instanceof NettyEmbeddedServer netty) {
            netty.stopServerOnly();
        }
    }

    /** Runs one stage of the shutdown; a failing stage is logged and does not keep the later ones from running. */
    private static void stage(String name, Runnable stop) {
        long t = System.nanoTime();
        try {
            stop.run();
            LOG.info("Stopped {} in {} ms", name, (System.nanoTime() - t) / 1_000_000);
        } catch (RuntimeException e) {
            LOG.warn("Stopping {} failed after {} ms", name, (System.nanoTime() - t) / 1_000_000, e);
        }
    }

    /** Registers every pipeline file in {@code dir}; returns the ids registered. */
    public static List<String> registerExamples(DroverClient client, Path dir, PrintStream out) throws IOException {
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return ids;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(x -> x.toString().endsWith(".yaml") || x.toString().endsWith(".yml")).sorted()
                    .toList()) {
                DroverClient.Response r = client.registerPipeline(Files.readString(f));
                if (!r.ok()) {
                    out.printf("could not register %s: %s%n", f, r.body());
                    continue;
                }
                ids.add(r.body().path("pipelineId").asText());
                out.printf("pipeline %-20s %s%n", r.body().path("pipelineId").asText(),
                        r.body().path("created").asBoolean() ? "registered as revision "
                                + r.body().path("revision").asInt() : "unchanged");
            }
        }
        return ids;
    }

    public static void main(String[] args) throws Exception {
        LaunchOptions options;
        try {
            options = LaunchOptions.parse(List.of(args), System.getenv(), System.getProperties());
        } catch (IllegalArgumentException e) {
            System.err.println("drover: " + e.getMessage());
            System.err.println(LaunchOptions.USAGE);
            System.exit(2);
            return;
        }
        PrintStream out = System.out;
        long t0 = System.nanoTime();
        DroverStandalone drover;
        try {
            drover = start(options.settings(Path.of(".")));
        } catch (StandalonePort.InUse e) {
            System.err.println("drover: " + e.getMessage());
            System.exit(1);
            return;
        }
        // The one JVM shutdown hook of the process (SIGTERM, Ctrl-C): Micronaut registers none here, see start().
        // A signal before this line (during start) leaves at most PostgreSQL running; the next start stops it.
        Runtime.getRuntime().addShutdownHook(new Thread(drover::close, "drover-shutdown"));
        out.printf("%nDrover is up in %d ms: REST API %s, Kafka %s, PostgreSQL localhost:%d, data in %s%n",
                (System.nanoTime() - t0) / 1_000_000, drover.baseUrl(), drover.kafkaBootstrap(),
                drover.postgres().port(), options.dataDir().toAbsolutePath().normalize());
        Path tokenFile = drover.dataDir().resolve("admin-token");
        out.printf("Signed in as admin: the API token is in %s, the password in %s (readable by you only).%n"
                + "  curl -H \"Authorization: Bearer $(cat %s)\" %s/api/v1/pipelines%n", tokenFile,
                drover.dataDir().resolve("admin-password"), tokenFile, drover.baseUrl());
        out.printf("UI: %s/ (sign in as admin with the password in %s)%n", drover.baseUrl(),
                drover.dataDir().resolve("admin-password"));
        DroverClient client = drover.client();
        registerExamples(client, Path.of("examples"), out);
        if (options.mode().equals("demo")) {
            demo(client, drover.baseUrl(), tokenFile, out);
            demoMonitoring(client, drover.baseUrl(), tokenFile, out);
        }
        out.printf("%nServing %s until stopped (Ctrl-C).%n", drover.baseUrl());
        new CountDownLatch(1).await();
    }

    private static void demo(DroverClient client, String baseUrl, Path tokenFile, PrintStream out) {
        String curl = "curl -H \"Authorization: Bearer $(cat " + tokenFile + ")\" ";
        out.println("\nRunning the example ML pipeline churn-training ...");
        DroverClient.Response started = client.startRun("churn-training", Map.of());
        if (!started.ok()) {
            out.println("could not start the demo run: " + started.body());
            return;
        }
        String runId = started.body().path("runId").asText();
        JsonNode run = client.awaitRun(runId, Duration.ofMinutes(5));
        RunReport.print(run, out);
        for (JsonNode task : run.path("tasks")) {
            if (task.path("taskId").asText().equals("evaluate")) {
                JsonNode attempts = task.path("attempts");
                JsonNode outputs = attempts.get(attempts.size() - 1).path("outputs");
                out.printf("%nModel evaluation on the held-out split: AUC %s, accuracy %s%n",
                        outputs.path("auc").asText("?"), outputs.path("accuracy").asText("?"));
            }
        }
        DroverClient.Response champion = client.get("/api/v1/models/churn/aliases/champion");
        if (champion.ok()) {
            JsonNode v = champion.body().path("version");
            out.printf("Model registry: churn version %s is champion (AUC %s), moved there by %s: %s%n",
                    v.path("version").asText("?"), v.path("metrics").path("auc").asText("?"),
                    champion.body().path("movedBy").asText("?"), champion.body().path("reason").asText(""));
            out.printf("  alias history: %s%s/api/v1/models/churn/aliases/champion/history%n", curl, baseUrl);
        }
        out.printf("%nHistory: %s%s/api/v1/runs/%s/events%n", curl, baseUrl, runId);
    }

    /**
     * The retraining loop: watch the champion, serve drifting traffic and its labels with the simulator
     * (examples/ml/Serve.java, a separate process), show the drift report, the retraining run it triggered on the kept
     * production data, the fair comparison that promoted its model, and the next windows, compared with the new
     * champion's reference, no longer drifting.
     */
    private static void demoMonitoring(DroverClient client, String baseUrl, Path tokenFile, PrintStream out) {
        JsonNode champion = client.get("/api/v1/models/churn/aliases/champion").body();
        String artifact = champion.path("version").path("artifactLocation").asText("");
        if (artifact.isEmpty()) {
            return;
        }
        out.println("\nMonitoring churn: tumbling windows of 500 predictions compared with the reference statistics of "
                + "the champion's feature set; a window drifts when a quarter of its features do; a retrain waits for "
                + "1,000 labelled production rows ...");
        DroverClient.Response configured = client.put("/api/v1/monitors/churn", Map.of("window", Map.of("rows", 500),
                "datasetDriftShare", 0.25, // two drifted features of seven make a drifted dataset
                // Evidently's default Wasserstein threshold (0.1) is for large windows: 500 rows reach it by chance
                "featureOverrides", Map.of(
                        "tenure_months", Map.of("method", "WASSERSTEIN", "threshold", 0.2),
                        "monthly_charges", Map.of("method", "WASSERSTEIN", "threshold", 0.2),
                        "support_calls", Map.of("method", "WASSERSTEIN", "threshold", 0.2)),
                // labels are scored, and their rows kept, for a model whose performance is watched
                "degradation", Map.of("metric", "auc", "direction", "GREATER", "maxAbsoluteDrop", 0.2,
                        "rollback", false),
                "retrainMinLabeledRows", 1000));
        if (!configured.ok()) {
            out.println("could not configure monitoring: " + configured.body());
            return;
        }
        int runsBefore = client.get("/api/v1/pipelines/churn-training/runs").body().size();
        out.println("Serving 1,500 predictions whose tenure and monthly charges drifted, then their labels: after a "
                + "price rise, customers react to their charges more (examples/ml/Serve.java) ...");
        if (!serve(baseUrl, tokenFile, champion.path("version").path("version").asText("1"),
                Path.of(artifact).getParent(), 1500, "price-sensitive", out)) {
            return;
        }
        JsonNode report = awaitDriftedReport(client, Duration.ofMinutes(2));
        if (report == null) {
            out.println("no drifted window was reported within 2 minutes; see GET /api/v1/monitors/churn/reports");
            return;
        }
        JsonNode detail = client.get("/api/v1/monitors/churn/reports/" + report.path("windowId").asText()).body();
        out.printf("Drift report %s: %s of the features drifted (threshold %s)%n", detail.path("reportId").asText(),
                detail.path("driftedShare").asText(), detail.path("threshold").asText());
        for (JsonNode f : detail.path("features")) {
            out.printf("  %-26s %-15s statistic %-12s threshold %-8s %s%n", f.path("feature").asText(),
                    f.path("method").asText(), f.path("statistic").asText(), f.path("threshold").asText(),
                    f.path("drifted").asBoolean() ? "DRIFTED" : "ok");
        }
        JsonNode request = awaitTrigger(client, Duration.ofMinutes(2));
        if (request == null) {
            out.println("no retrain was requested; see GET /api/v1/monitors/churn/triggers");
            return;
        }
        out.printf("%nThe monitor kept the windows' rows and their labels, and requested a retrain with them: %d drifted "
                        + "window(s), %d labelled file(s) for training, %d held out for evaluation (the newest)%n",
                request.path("windowData").size(), request.path("trainingData").size(),
                request.path("evaluationData").size());
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        JsonNode runs = client.get("/api/v1/pipelines/churn-training/runs").body();
        while (runs.size() <= runsBefore && System.nanoTime() < deadline) {
            sleep(500);
            runs = client.get("/api/v1/pipelines/churn-training/runs").body();
        }
        if (runs.size() <= runsBefore) {
            out.println("no retraining run started; see GET /api/v1/monitors/churn/triggers");
            return;
        }
        String retrain = runs.get(0).path("runId").asText();
        out.printf("%nThe drift triggered retraining run %s ...%n", retrain);
        JsonNode run = client.awaitRun(retrain, Duration.ofMinutes(5));
        RunReport.print(run, out);
        JsonNode promotion = DroverClient.outputs(run, "promote_on_recent_data");
        if (promotion.isMissingNode() || promotion.isEmpty()) {
            return;
        }
        out.printf("%nOn the same %s recent production rows neither model was trained on: challenger AUC %.4f, "
                        + "champion AUC %.4f -> %s%n", DroverClient.outputs(run, "featurize").path("evaluation_rows")
                        .asText("?"), promotion.path("challenger_value").asDouble(),
                promotion.path("champion_value").asDouble(), promotion.path("outcome").asText());
        if (!promotion.path("promoted").asBoolean()) {
            out.println("  " + promotion.path("reason").asText());
            return;
        }
        awaitChampion(client, promotion.path("version").asInt(), Duration.ofMinutes(1));
        int reportsBefore = client.get("/api/v1/monitors/churn/reports?limit=100").body().path("items").size();
        out.printf("%nServing 1,000 more predictions like today's production with the new champion (version %d) ...%n",
                promotion.path("version").asInt());
        Path newRunDir = Path.of(DroverClient.outputs(run, "train").path("model_path").asText()).getParent();
        if (!serve(baseUrl, tokenFile, promotion.path("version").asText(), newRunDir, 1000, "none", out)) {
            return;
        }
        deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        JsonNode items = client.get("/api/v1/monitors/churn/reports?limit=100").body().path("items");
        while (items.size() < reportsBefore + 2 && System.nanoTime() < deadline) {
            sleep(500);
            items = client.get("/api/v1/monitors/churn/reports?limit=100").body().path("items");
        }
        for (int i = Math.min(1, items.size() - 1); i >= 0 && items.size() >= reportsBefore + 2; i--) {
            JsonNode r = items.get(i);
            out.printf("  window %-14s compared with champion v%s (feature set v%s): %s of the features drifted -> %s%n",
                    r.path("windowId").asText(), r.path("championVersion").asText(),
                    r.path("featureSet").path("version").asText(), r.path("driftedShare").asText(),
                    r.path("datasetDrifted").asBoolean() ? "DRIFTED" : "not drifted");
        }
        out.printf("Triggers: curl -H \"Authorization: Bearer $(cat %s)\" %s/api/v1/monitors/churn/triggers%n",
                tokenFile, baseUrl);
        out.printf("Champion history: curl -H \"Authorization: Bearer $(cat %s)\" "
                + "%s/api/v1/models/churn/aliases/champion/history%n", tokenFile, baseUrl);
    }

    /** Publishes drifted traffic with the serving simulator, a separate process; false (said) when it failed. */
    private static boolean serve(String baseUrl, Path tokenFile, String version, Path runDir, int rows, String labels,
                                 PrintStream out) {
        try {
            String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process serve = new ProcessBuilder(javaBin, "examples/ml/Serve.java", "--url", baseUrl,
                    "--token-file", tokenFile.toString(), "--model", "churn", "--model-version", version,
                    "--run-dir", runDir.toString(), "--rows", Integer.toString(rows), "--drift", "two-features",
                    "--labels", labels, "--seed", Integer.toString(rows + version.hashCode()))
                    .redirectErrorStream(true).start();
            String said = new String(serve.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (serve.waitFor() != 0) {
                out.println("the serving simulator failed: " + said);
                return false;
            }
            return true;
        } catch (IOException e) {
            out.println("could not start the serving simulator: " + e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static JsonNode awaitTrigger(DroverClient client, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode t : client.get("/api/v1/monitors/churn/triggers").body().path("items")) {
                if (t.path("outcome").asText().equals("REQUESTED")) {
                    return t;
                }
            }
            sleep(500);
        }
        return null;
    }

    private static void awaitChampion(DroverClient client, int version, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline && client.get("/api/v1/models/churn/aliases/champion").body()
                .path("version").path("version").asInt() != version) {
            sleep(200);
        }
    }

    private static JsonNode awaitDriftedReport(DroverClient client, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode r : client.get("/api/v1/monitors/churn/reports?limit=20").body().path("items")) {
                if (r.path("datasetDrifted").asBoolean()) {
                    return r;
                }
            }
            sleep(500);
        }
        return null;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms); // polling a REST API from the demo: there is no push channel to wait on
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

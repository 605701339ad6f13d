package dev.drover.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.embedded.EmbeddedPostgres;
import dev.drover.standalone.DroverClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The standalone ({@code ./drover start}) as the operating system sees it: a separate JVM, with its own data directory
 * and ports 0 (any free port), that SIGTERM stops cleanly and quickly, that a {@code kill -9} leaves PostgreSQL
 * running behind, and that runs beside a second instance.
 */
class StandaloneLifecycleTest {
    private static final Path LOGS = Path.of("target", "system-logs");
    private static final String PIPELINE = """
            id: lifecycle-check
            description: registered before a restart, listed after it
            tasks:
              - id: only
                type: noop
            """;
    private static final Pattern UP = Pattern.compile(
            "REST API (http://\\S+), Kafka (\\S+), PostgreSQL localhost:(\\d+), data in (.+)$");
    /** Starting four services, a broker and a database on two busy cores; a start after a kill -9 is the slowest. */
    private static final long START_PATIENCE_SECONDS = 240;

    @TempDir
    Path tmp;
    private final List<ServiceProcess> started = new ArrayList<>();
    private final List<Path> dataDirs = new ArrayList<>();

    @AfterEach
    void stopWhatIsLeft() throws Exception {
        for (ServiceProcess p : started) {
            p.close();
        }
        // a test that failed after a kill -9 must not leave its PostgreSQL running
        for (Path dir : dataDirs) {
            EmbeddedPostgres.stopOrphanedServer(dir.resolve("postgres"));
        }
    }

    @Test
    void sigtermStopsEverythingWithinTenSecondsAndTheNextStartHasTheData() throws Exception {
        Path data = dataDir("sigterm");
        Standalone first = start("lifecycle-sigterm-1", data).awaitUp();
        register(first);

        stopWithSigterm(first);
        // PostgreSQL removes its pid file when it has shut down cleanly
        assertThat(data.resolve("postgres/postmaster.pid")).doesNotExist();
        assertThat(Files.readString(first.process.log()))
                .containsSubsequence("Stopped HTTP server", "Stopped services", "Stopped Kafka broker",
                        "Stopped PostgreSQL", "Drover stopped in");

        Standalone second = start("lifecycle-sigterm-2", data).awaitUp();
        awaitListed(second);
        stopWithSigterm(second);
    }

    @Test
    void afterKillNineTheNextStartStopsTheOrphanedPostgresAndCarriesOn() throws Exception {
        Path data = dataDir("kill9");
        Standalone first = start("lifecycle-kill9-1", data).awaitUp();
        register(first);

        first.process.kill9();
        long orphan = postmasterPid(data);
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive))
                .as("PostgreSQL outlives its killed owner").contains(true);

        Standalone second = start("lifecycle-kill9-2", data).awaitUp();
        assertThat(ProcessHandle.of(orphan).filter(ProcessHandle::isAlive)).as("the orphan is stopped").isEmpty();
        assertThat(postmasterPid(data)).isNotEqualTo(orphan);
        assertThat(Files.readString(second.process.log())).contains("Stopped the orphaned PostgreSQL (pid " + orphan);
        awaitListed(second);
        stopWithSigterm(second);
    }

    @Test
    void twoInstancesRunSideBySideOnTheirOwnPortsAndData() throws Exception {
        Standalone a = start("lifecycle-side-a", dataDir("side-a"));
        Standalone b = start("lifecycle-side-b", dataDir("side-b"));
        a.awaitUp();
        b.awaitUp();

        assertThat(a.baseUrl).isNotEqualTo(b.baseUrl);
        assertThat(a.kafka).isNotEqualTo(b.kafka);
        assertThat(a.postgresPort).isNotEqualTo(b.postgresPort);
        register(a);
        awaitListed(a);
        assertThat(ids(b.client.get("/api/v1/pipelines").body())).doesNotContain("lifecycle-check");

        stopWithSigterm(a);
        assertThat(b.client.get("/api/v1/pipelines").status()).as("b keeps serving after a stopped").isEqualTo(200);
        stopWithSigterm(b);
    }

    private Path dataDir(String name) {
        Path dir = tmp.resolve(name);
        dataDirs.add(dir);
        return dir;
    }

    private Standalone start(String name, Path data) throws IOException {
        ServiceProcess p = ServiceProcess.start(name, LOGS, "dev.drover.standalone.DroverStandalone", Map.of(),
                List.of("start", "--data-dir", data.toString(), "--http-port", "0", "--kafka-port", "0",
                        "--postgres-port", "0"), "Drover is up");
        started.add(p);
        return new Standalone(p, data);
    }

    private static void register(Standalone s) {
        DroverClient.Response r = s.client.registerPipeline(PIPELINE);
        assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
    }

    private static void awaitListed(Standalone s) {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> ids(s.client.get("/api/v1/pipelines").body()).contains("lifecycle-check"));
    }

    private static List<String> ids(JsonNode pipelines) {
        List<String> ids = new ArrayList<>();
        pipelines.forEach(p -> ids.add(p.path("id").asText()));
        return ids;
    }

    private static void stopWithSigterm(Standalone s) throws Exception {
        long t = System.nanoTime();
        s.process.sigterm();
        OptionalInt status = s.process.awaitExit(10);
        System.out.printf("STANDALONE-LIFECYCLE %s exited %d ms after SIGTERM%n", s.process.name(),
                (System.nanoTime() - t) / 1_000_000);
        assertThat(status).as("exit within 10 s of SIGTERM; see %s", s.process.log()).isPresent();
        assertThat(status.getAsInt()).as("exit status (143: ended by SIGTERM, hooks done)").isIn(0, 143);
        // the output is copied to the log by another thread: wait until it has the last line
        await().atMost(Duration.ofSeconds(10))
                .until(() -> Files.readString(s.process.log()).contains("Drover stopped in"));
    }

    private static long postmasterPid(Path data) throws IOException {
        return Long.parseLong(Files.readAllLines(data.resolve("postgres/postmaster.pid")).get(0).trim());
    }

    /** One standalone process and what it printed once up. */
    private static final class Standalone {
        final ServiceProcess process;
        String baseUrl;
        String kafka;
        int postgresPort;
        DroverClient client;

        final Path data;

        Standalone(ServiceProcess process, Path data) {
            this.process = process;
            this.data = data;
        }

        Standalone awaitUp() throws Exception {
            String line = process.awaitReady(START_PATIENCE_SECONDS);
            Matcher m = UP.matcher(line);
            assertThat(m.find()).as("the ready line names the URL and ports: %s", line).isTrue();
            baseUrl = m.group(1);
            kafka = m.group(2);
            postgresPort = Integer.parseInt(m.group(3));
            // secured from the first start: the admin's token is in the data directory
            client = new DroverClient(baseUrl, Files.readString(data.resolve("admin-token")).trim());
            return this;
        }
    }
}

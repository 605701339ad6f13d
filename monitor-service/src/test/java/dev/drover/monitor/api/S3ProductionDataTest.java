package dev.drover.monitor.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.drover.monitor.datastore.DataLocation;
import dev.drover.monitor.datastore.DataStore;
import dev.drover.monitor.datastore.S3Settings;
import dev.drover.monitor.window.ProductionData;
import org.apache.commons.csv.CSVFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Production data at an {@code s3://} location, on a real S3-compatible server: moto's, from the Python environment
 * of {@code .ci/python-env} (which this test runs itself, and fails saying why when it cannot). The monitor service is
 * pointed at a bucket; predictions and labels go in through its REST API; closed windows must then be objects holding
 * exactly their rows, named by {@code s3://} URIs in the REST data view; retention must delete old objects and nothing
 * else; and a store that does not answer must fail a write within the timeout, saying where.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class S3ProductionDataTest {
    private static final String BUCKET = "drover-monitor-test";
    private static final String MODEL = "churn-s3-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String BASE = "/api/v1/monitors/" + MODEL;
    private static Process moto;
    private static URI endpoint;
    private static S3Client s3;
    private static HttpServer registry;
    private static MonitorApi api;

    @BeforeAll
    static void start() throws Exception {
        Path repoRoot = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath()
                .getParent();
        pythonEnv(repoRoot);
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path log = repoRoot.resolve("monitor-service/target/moto-server.log");
        Files.createDirectories(log.getParent());
        moto = new ProcessBuilder(repoRoot.resolve(".venv/bin/moto_server").toString(), "-H", "127.0.0.1", "-p",
                Integer.toString(port)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        endpoint = URI.create("http://127.0.0.1:" + port);
        await("moto_server answering on " + endpoint + " (its output: " + log + ")").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    if (!moto.isAlive()) {
                        throw new AssertionError("moto_server exited with " + moto.exitValue() + ": "
                                + Files.readString(log));
                    }
                    try (Socket ignored = new Socket("127.0.0.1", port)) {
                        return true;
                    } catch (IOException e) {
                        return false;
                    }
                });
        // moto takes any credentials; the monitor finds these through the SDK's default chain, as it would find
        // AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        s3 = S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing",
                        "testing"))).build();
        s3.createBucket(b -> b.bucket(BUCKET));
        registry = registry();

        Map<String, Object> p = new LinkedHashMap<>();
        p.put("drover.monitor.data-location", "s3://" + BUCKET + "/production/");
        p.put("drover.monitor.s3.endpoint", endpoint.toString());
        p.put("drover.monitor.s3.path-style-access", true);
        p.put("drover.monitor.s3.region", "eu-west-1");
        p.put("drover.monitor.registry-url", "http://127.0.0.1:" + registry.getAddress().getPort());
        p.put("drover.monitor.max-performance-labels", 100);
        p.put("drover.monitor.instance-id", "monitor-s3-test");
        api = new MonitorApi(p);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (api != null) {
            api.close();
        }
        if (registry != null) {
            registry.stop(0);
        }
        if (s3 != null) {
            s3.close();
        }
        if (moto != null) {
            moto.destroy();
            if (!moto.waitFor(10, TimeUnit.SECONDS)) {
                moto.destroyForcibly();
            }
        }
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    /** Runs .ci/python-env (fast when .venv is up to date); fails with its words when it cannot. */
    private static void pythonEnv(Path repoRoot) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", ".ci/python-env").directory(repoRoot.toFile())
                .redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new AssertionError("the S3 production data test needs moto_server from the Python environment of "
                    + ".ci/python-env (Python 3.11+ with venv, and PyPI), which failed:\n" + said);
        }
    }

    /** The registry's champion of MODEL and its feature set, as docs/registry-api.md answers them. */
    private static HttpServer registry() throws IOException {
        Map<String, String> answers = Map.of(
                "/api/v1/models/" + MODEL + "/aliases/champion", "{\"alias\":\"champion\",\"version\":{\"modelName\":\""
                        + MODEL + "\",\"version\":1,\"artifactLocation\":\"s3://models/churn/1\",\"params\":{},"
                        + "\"metrics\":{\"auc\":0.9},\"lineage\":{\"runId\":\"r\",\"featureSet\":{\"name\":\""
                        + MODEL + "-features\",\"version\":1}},\"tags\":{},\"stage\":\"None\",\"aliases\":"
                        + "[\"champion\"]},\"kind\":\"SET\",\"reason\":\"trained\",\"movedBy\":\"alice\","
                        + "\"movedAt\":\"2030-01-01T00:00:00Z\"}",
                "/api/v1/feature-sets/" + MODEL + "-features/versions/1", "{\"name\":\"" + MODEL + "-features\","
                        + "\"version\":1,\"schema\":{\"features\":[{\"name\":\"age\",\"type\":\"NUMERIC\"},"
                        + "{\"name\":\"plan\",\"type\":\"CATEGORICAL\"}]},\"dataLocation\":\"s3://d\","
                        + "\"statistics\":{\"rowCount\":100,\"features\":{\"age\":{\"missing\":0,\"quantiles\":"
                        + "[{\"p\":0,\"value\":0},{\"p\":0.5,\"value\":100},{\"p\":1,\"value\":200}],\"histogram\":"
                        + "{\"edges\":[0,100,200],\"counts\":[50,50]}},\"plan\":{\"missing\":0,\"categories\":"
                        + "{\"basic, old\":60,\"pro\":40}}}},\"createdBy\":\"bob\","
                        + "\"createdAt\":\"2030-01-01T00:00:00Z\"}");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = answers.get(exchange.getRequestURI().getRawPath());
            byte[] bytes = (body == null ? "{\"error\":\"not_found\",\"message\":\"no\",\"fix\":\"x\"}" : body)
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        return server;
    }

    /** The rows of a kept CSV object, header first, each as its cells. */
    private static List<List<String>> csv(String uri) throws IOException {
        assertThat(uri).startsWith("s3://" + BUCKET + "/");
        String key = uri.substring(("s3://" + BUCKET + "/").length());
        String text = s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(key)).asUtf8String();
        List<List<String>> rows = new ArrayList<>();
        try (var parser = CSVFormat.RFC4180.parse(new StringReader(text))) {
            parser.forEach(r -> rows.add(r.toList()));
        }
        return rows;
    }

    private static List<String> column(List<List<String>> rows, String name) {
        int i = rows.get(0).indexOf(name);
        return rows.subList(1, rows.size()).stream().map(r -> r.get(i)).toList();
    }

    private static List<String> keys(String prefix) {
        return s3.listObjectsV2Paginator(r -> r.bucket(BUCKET).prefix(prefix)).contents().stream()
                .map(S3Object::key).sorted().toList();
    }

    @Test
    @Order(1)
    void closedWindowsAreObjectsWithExactlyTheirRowsNamedByS3UrisInTheDataView() throws IOException {
        Map<String, Object> policy = Map.of("window", Map.of("rows", 100), "degradation", Map.of("metric", "auc",
                "direction", "GREATER", "maxAbsoluteDrop", 0.05));
        assertThat(api.put(BASE, policy, "alice").status()).isEqualTo(200);
        List<Map<String, Object>> predictions = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            predictions.add(Map.of("modelVersion", 1, "timestamp", "2030-05-06T07:08:00Z", "requestId", "r-" + i,
                    "features", Map.of("age", i % 200, "plan", i % 3 == 0 ? "basic, old" : "pro"),
                    "prediction", (i % 10) / 10.0));
        }
        assertThat(api.post(BASE + "/predictions", Map.of("predictions", predictions)).status()).isEqualTo(202);

        JsonNode reports = await("two windows of 100 rows reported").atMost(Duration.ofSeconds(60))
                .until(() -> api.get(BASE + "/reports").body(), r -> r.path("items").size() == 2);
        List<String> seen = new ArrayList<>();
        for (JsonNode report : reports.path("items")) {
            String windowId = report.path("windowId").asText();
            JsonNode data = api.get(BASE + "/windows/" + windowId + "/data").body();
            String location = data.path("location").asText();
            assertThat(location).isEqualTo("s3://" + BUCKET + "/production/" + MODEL + "/windows/" + windowId
                    + ".csv");
            assertThat(data.path("rows").asLong()).isEqualTo(100);
            List<List<String>> rows = csv(location);
            assertThat(rows.get(0)).containsExactly("request_id", "timestamp", "model_version", "prediction", "age",
                    "plan");
            assertThat(rows).hasSize(101);
            assertThat(column(rows, "plan")).contains("basic, old", "pro");
            seen.addAll(column(rows, "request_id"));
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            expected.add("r-" + i);
        }
        assertThat(seen).as("every compared prediction in exactly one object").containsExactlyInAnyOrderElementsOf(
                expected);
        assertThat(keys("production/" + MODEL + "/windows/")).hasSize(2);
    }

    @Test
    @Order(2)
    void labelledRowsAreAnObjectThatNamesTheWindowObjectAndAreCountedInTheDataView() throws IOException {
        List<Map<String, Object>> labels = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            labels.add(Map.of("requestId", "r-" + i, "timestamp", "2030-05-06T08:00:00Z", "label", i % 2));
        }
        assertThat(api.post(BASE + "/labels", Map.of("labels", labels)).status()).isEqualTo(202);

        List<String> labeled = await("a performance window of 100 labels kept").atMost(Duration.ofSeconds(60))
                .until(() -> keys("production/" + MODEL + "/labeled/"), k -> k.size() == 1);
        List<List<String>> rows = csv("s3://" + BUCKET + "/" + labeled.get(0));
        assertThat(rows).hasSize(101);
        assertThat(new TreeSet<>(column(rows, "window_data"))).allSatisfy(location -> assertThat(location)
                .startsWith("s3://" + BUCKET + "/production/" + MODEL + "/windows/w-"));
        String windowId = column(rows, "window_id").get(0);
        await("the labels counted for the window").atMost(Duration.ofSeconds(30)).until(() ->
                api.get(BASE + "/windows/" + windowId + "/data").body().path("labels").asLong(), n -> n == 100);
    }

    @Test
    @Order(3)
    void retentionDeletesTheMonitorsObjectsWrittenBeforeTheCutoffAndNothingElse() throws IOException {
        s3.putObject(r -> r.bucket(BUCKET).key("production/README.txt"), RequestBody.fromString("not the monitor's"));
        s3.putObject(r -> r.bucket(BUCKET).key("elsewhere/m/windows/w.csv"), RequestBody.fromString("a,b\n"));
        S3Settings settings = new S3Settings(endpoint, null, true, Duration.ofSeconds(5));
        try (DataStore store = DataStore.open(DataLocation.parse("s3://" + BUCKET + "/production"), settings)) {
            ProductionData data = new ProductionData(store);
            Duration retention = Duration.ofDays(30);

            assertThat(data.deleteOlderThan(retention, Instant.now())).as("nothing is 30 days old yet").isZero();
            assertThat(keys("production/" + MODEL + "/")).hasSize(3);

            assertThat(data.deleteOlderThan(retention, Instant.now().plus(retention).plusSeconds(60))).isEqualTo(3);
            assertThat(keys("production/" + MODEL + "/")).isEmpty();
            assertThat(keys("")).contains("production/README.txt", "elsewhere/m/windows/w.csv");
        }
    }

    @Test
    @Order(4)
    void aStoreThatDoesNotAnswerFailsTheWriteWithinTheTimeoutSayingWhere() throws Exception {
        // accepts connections (the backlog does) and never answers
        try (ServerSocket silent = new ServerSocket(0)) {
            URI dead = URI.create("http://127.0.0.1:" + silent.getLocalPort());
            S3Settings settings = new S3Settings(dead, "us-east-1", true, Duration.ofSeconds(2));
            try (DataStore store = DataStore.open(DataLocation.parse("s3://" + BUCKET + "/x"), settings)) {
                long t0 = System.nanoTime();
                assertThatThrownBy(() -> store.write("m/windows/w-1.csv", w -> w.write("a\n")))
                        .isInstanceOf(IOException.class)
                        .hasMessageContaining("s3://" + BUCKET + "/x/m/windows/w-1.csv").hasMessageContaining(
                                dead.toString());
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));

                long t1 = System.nanoTime();
                assertThatThrownBy(() -> store.write("m/windows/w-2.csv", w -> w.write("a\n")))
                        .hasMessageContaining("not tried");
                assertThat(Duration.ofNanos(System.nanoTime() - t1)).as("right after, it does not wait again")
                        .isLessThan(Duration.ofSeconds(1));
            }
        }
    }

    @Test
    @Order(5)
    void aMalformedS3LocationStopsTheServiceAtStartSayingHowToFixIt() {
        assertThatThrownBy(() -> new MonitorApi(Map.of("drover.monitor.data-location", "s3:///production",
                "drover.monitor.instance-id", "monitor-s3-bad"))).rootCause()
                .hasMessageContaining("drover.monitor.data-location 's3:///production' names no bucket")
                .hasMessageContaining("s3://<bucket>[/<prefix>]");
        assertThatThrownBy(() -> new MonitorApi(Map.of("drover.monitor.data-location", "s3://b12/p",
                "drover.monitor.s3.timeout", "20s", "drover.monitor.instance-id", "monitor-s3-bad"))).rootCause()
                .hasMessageContaining("drover.monitor.s3.timeout (PT20S) must be shorter than "
                        + "drover.monitor.transaction-timeout (PT15S)");
    }
}

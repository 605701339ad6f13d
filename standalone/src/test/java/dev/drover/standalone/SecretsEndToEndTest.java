package dev.drover.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Secrets end to end on a secured standalone: an admin sets one, a pipeline refers to it, a shell task gets the real
 * value (it proves so by its hash) and echoes it — and the log, the outputs, the run's events, every record on every
 * topic and every row of every read model hold {@code ***} or nothing, never the value. Registration refuses an
 * unknown secret and a secret where it would be stored; a deleted secret fails the attempt saying so; a restart
 * keeps the secret (rebuilt from the identity events, opened with the key the first start created).
 */
class SecretsEndToEndTest {
    private static final String VALUE = "wh-" + UUID.randomUUID().toString().replace("-", "");
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    static Path dataDir;
    static DroverStandalone drover;
    static DroverClient admin;

    @BeforeAll
    static void start() {
        drover = startOn(dataDir);
        admin = drover.client();
    }

    static DroverStandalone startOn(Path dir) {
        return DroverStandalone.start(new DroverStandalone.Settings(dir, 0, 0, -1, dir,
                Map.of("drover.scheduler.instance-id", "secrets-e2e")));
    }

    @AfterAll
    static void stop() {
        if (drover != null) {
            drover.close();
        }
    }

    private static String pipeline(String id, String secret) throws Exception {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(VALUE.getBytes(StandardCharsets.UTF_8)));
        return """
                id: %s
                tasks:
                  - id: login
                    type: shell
                    env:
                      WAREHOUSE_PASSWORD: "{{ secrets.%s }}"
                    command: |
                      echo "password from env: $WAREHOUSE_PASSWORD"
                      echo "password inline: {{ secrets.%s }}"
                      test "$(printf '%%s' "$WAREHOUSE_PASSWORD" | sha256sum | cut -c1-64)" = "%s" || exit 7
                      test "{{secrets.%s}}" = "$WAREHOUSE_PASSWORD" || exit 8
                      printf '{"password": "%%s", "verified": true}' "$WAREHOUSE_PASSWORD" > "$DROVER_OUTPUT"
                """.formatted(id, secret, secret, sha, secret);
    }

    @Test
    void aTaskGetsTheValueAndEverythingElseSeesStars() throws Exception {
        DroverClient.Response unknown = admin.registerPipeline(pipeline("uses-secret", "warehouse_password"));
        assertThat(unknown.status()).as(unknown.body().toString()).isEqualTo(400);
        assertThat(unknown.body().path("error").asText()).isEqualTo("unknown_secret");
        assertThat(unknown.body().toString()).contains("/tasks/0/env", "/tasks/0/command", "warehouse_password");

        DroverClient.Response tooShort = admin.put("/api/v1/admin/secrets/warehouse_password", Map.of("value", "abc"));
        assertThat(tooShort.status()).isEqualTo(400);
        DroverClient.Response set = admin.put("/api/v1/admin/secrets/warehouse_password", Map.of("value", VALUE));
        assertThat(set.status()).as(set.body().toString()).isEqualTo(201);
        assertThat(set.body().path("setBy").asText()).isEqualTo("admin");
        assertThat(set.body().toString()).doesNotContain(VALUE);
        Path key = dataDir.resolve("secret-key");
        assertThat(Files.getPosixFilePermissions(key)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE);

        DroverClient.Response registered = admin.registerPipeline(pipeline("uses-secret", "warehouse_password"));
        assertThat(registered.status()).as(registered.body().toString()).isEqualTo(201);
        String runId = startRun("uses-secret");
        JsonNode run = admin.awaitRun(runId, PATIENCE);
        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
        JsonNode outputs = DroverClient.outputs(run, "login");
        assertThat(outputs.path("verified").asBoolean()).as("the process saw the real value").isTrue();
        assertThat(outputs.path("password").asText()).isEqualTo("***");

        String logs = admin.get("/api/v1/runs/" + runId + "/tasks/login/logs").body().toString();
        assertThat(logs).contains("password from env: ***", "password inline: ***").doesNotContain(VALUE);
        assertThat(admin.get("/api/v1/runs/" + runId + "/events").body().toString()).doesNotContain(VALUE);
        assertThat(admin.get("/api/v1/runs/" + runId).body().toString()).as("the attempt's config as dispatched")
                .contains("{{ secrets.warehouse_password }}").doesNotContain(VALUE);
        assertThat(admin.get("/api/v1/admin/secrets").body().toString()).contains("warehouse_password")
                .doesNotContain(VALUE);

        assertThat(topicsHolding("{{ secrets.warehouse_password }}")).as("the scan reads the dispatches")
                .contains("drover.run.events");
        assertThat(topicsHolding(VALUE)).as("topics holding the value in clear").isEmpty();
        assertThat(rowsHolding("***")).as("the scan reads the logs").isNotEmpty();
        assertThat(rowsHolding(VALUE)).as("read-model rows holding the value in clear").isEmpty();
    }

    @Test
    void registrationRefusesSecretsWhereDroverWouldStoreThem() throws Exception {
        admin.put("/api/v1/admin/secrets/api_key", Map.of("value", "key-" + UUID.randomUUID()));
        DroverClient.Response stored = admin.registerPipeline("""
                id: leaks-secret
                tasks:
                  - id: child
                    type: trigger_pipeline
                    pipeline: other
                    parameters: {key: "{{ secrets.api_key }}"}
                """);
        assertThat(stored.status()).as(stored.body().toString()).isEqualTo(400);
        assertThat(stored.body().toString()).contains("keeps no copy");
        DroverClient.Response filtered = admin.registerPipeline("""
                id: filters-secret
                tasks:
                  - id: t
                    type: shell
                    command: "echo {{ secrets.api_key | upper }}"
                """);
        assertThat(filtered.status()).as(filtered.body().toString()).isEqualTo(400);
        assertThat(filtered.body().toString()).contains("whole expression");
    }

    @Test
    void aDeletedSecretFailsTheAttemptSayingSoAndARestartKeepsTheOthers() throws Exception {
        admin.put("/api/v1/admin/secrets/short_lived", Map.of("value", VALUE));
        admin.put("/api/v1/admin/secrets/kept_secret", Map.of("value", VALUE));
        assertThat(admin.registerPipeline(pipeline("short-lived", "short_lived")).status()).isEqualTo(201);
        assertThat(admin.registerPipeline(pipeline("kept", "kept_secret")).status()).isEqualTo(201);
        DroverClient.Response deleted = admin.send("DELETE", "/api/v1/admin/secrets/short_lived", null, Map.of());
        assertThat(deleted.status()).as(deleted.body().toString()).isEqualTo(200);

        JsonNode failed = admin.awaitRun(startRun("short-lived"), PATIENCE);
        assertThat(failed.path("status").asText()).isEqualTo("FAILED");
        assertThat(failed.toString()).contains("secret 'short_lived' does not exist");

        drover.close();
        drover = startOn(dataDir);
        admin = drover.client();
        assertThat(admin.get("/api/v1/admin/secrets").body().toString()).contains("kept_secret");
        JsonNode run = admin.awaitRun(startRun("kept"), PATIENCE);
        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
        assertThat(DroverClient.outputs(run, "login").path("verified").asBoolean()).isTrue();
    }


    private static String startRun(String pipelineId) {
        DroverClient.Response started = admin.startRun(pipelineId, Map.of());
        assertThat(started.status()).as(started.body().toString()).isEqualTo(201);
        return started.body().path("runId").asText();
    }

    /** The topics with a record whose bytes contain {@code text} (UTF-8). */
    private static Set<String> topicsHolding(String text) throws Exception {
        Set<String> found = new java.util.TreeSet<>();
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        List<TopicPartition> partitions = new ArrayList<>();
        try (Admin kafka = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, drover.kafkaBootstrap()))) {
            Set<String> topics = kafka.listTopics().names().get();
            kafka.describeTopics(topics).allTopicNames().get().forEach((name, d) -> d.partitions()
                    .forEach(p -> partitions.add(new TopicPartition(name, p.partition()))));
        }
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, drover.kafkaBootstrap());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (contains(r.value(), needle) || contains(r.key(), needle)) {
                        found.add(r.topic());
                    }
                }
            }
            assertThat(partitions).as("every record read").allMatch(tp -> c.position(tp) >= end.get(tp));
        }
        return found;
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        if (hay == null) {
            return false;
        }
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** database.table of every read-model row whose text contains {@code text}. */
    private static List<String> rowsHolding(String text) throws Exception {
        List<String> found = new ArrayList<>();
        var pg = drover.postgres();
        List<String> databases = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.user(), pg.password());
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT datname FROM pg_database WHERE NOT datistemplate")) {
            while (rs.next()) {
                databases.add(rs.getString(1));
            }
        }
        for (String db : databases) {
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(db), pg.user(), pg.password())) {
                List<String> tables = new ArrayList<>();
                try (ResultSet rs = c.createStatement().executeQuery("SELECT table_schema || '.\"' || table_name "
                        + "|| '\"' FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema "
                        + "NOT IN ('pg_catalog', 'information_schema')")) {
                    while (rs.next()) {
                        tables.add(rs.getString(1));
                    }
                }
                for (String table : tables) {
                    try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + table
                            + " t WHERE strpos(t::text, ?) > 0")) {
                        ps.setString(1, text);
                        try (ResultSet rs = ps.executeQuery()) {
                            if (rs.next() && rs.getLong(1) > 0) {
                                found.add(db + "." + table);
                            }
                        }
                    }
                }
            }
        }
        return found;
    }
}

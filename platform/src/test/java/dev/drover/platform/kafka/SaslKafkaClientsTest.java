package dev.drover.platform.kafka;

import dev.drover.embedded.EmbeddedKafka;
import dev.drover.platform.security.IdentityRuntime;
import io.micronaut.context.ApplicationContext;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Drover's Kafka clients against a broker whose client listener requires SASL/SCRAM-SHA-512 (SASL_PLAINTEXT: the
 * in-process broker has no certificates, so TLS is not exercised here). A client with only the bootstrap servers
 * gets nowhere, a wrong password is refused, and a service's identity runtime (admin client, the identity loop's
 * consumer group and transactional producer, the gateway's command log, the view) starts and writes its first
 * accounts with nothing but {@code drover.kafka.client.*} and {@code drover.kafka.client-properties-file} set.
 */
class SaslKafkaClientsTest {
    private static final String MECHANISM = "SCRAM-SHA-512";
    private static final String USER = "drover";
    private static final String PASSWORD = "drover-test-secret";
    private static EmbeddedKafka kafka;
    private static String sasl;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withSaslListener(MECHANISM));
        sasl = kafka.saslBootstrapServers();
        // There is no user yet: create it over the broker's PLAINTEXT listener (the inter-broker one).
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers()))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(USER,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), PASSWORD)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        // The broker learns the credential from the metadata log a moment later.
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            try (Admin admin = Admin.create(sasl(PASSWORD, Map.of()))) {
                assertThat(admin.describeCluster().clusterId().get(5, TimeUnit.SECONDS))
                        .isEqualTo(kafka.clusterId());
            }
        });
    }

    @AfterAll
    static void stop() {
        if (sasl != null) {
            KafkaClientConfig.unregister(sasl);
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @AfterEach
    void forgetRegisteredProperties() {
        // a context's settings stay registered after it closes; each test starts from none
        KafkaClientConfig.unregister(sasl);
    }

    private static String jaas(String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + USER
                + "\" password=\"" + password + "\";";
    }

    /** A client configuration for the SASL listener written out by hand, not through {@link KafkaClientConfig}. */
    private static Map<String, Object> sasl(String password, Map<String, Object> more) {
        Map<String, Object> c = new HashMap<>(more);
        c.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, sasl);
        c.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        c.put(SaslConfigs.SASL_MECHANISM, MECHANISM);
        c.put(SaslConfigs.SASL_JAAS_CONFIG, jaas(password));
        c.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        c.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        return c;
    }

    @Test
    void aClientWithOnlyTheBootstrapServersCannotProduce() {
        // What every Drover client was before: the SASL listener answers nothing but the handshake, so the producer
        // never learns the topic's metadata.
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, sasl,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 3_000),
                new StringSerializer(), new StringSerializer())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("drover.sasl-test", "k", "v"))
                    .get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TimeoutException.class);
        }
        // Nothing registered for the SASL listener: the helper's configuration is exactly the bootstrap servers.
        assertThat(KafkaClientConfig.connect(sasl)).isEqualTo(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                sasl));
    }

    @Test
    void aWrongPasswordIsRefused() {
        try (Admin admin = Admin.create(sasl("not-the-password", Map.of()))) {
            assertThatThrownBy(() -> admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void aServiceConfiguredWithClientPropertiesRunsItsIdentitiesOverSasl(@TempDir Path dir) throws Exception {
        // What an operator writes: the secret in a properties file, the protocol in the service's configuration.
        Path clientProperties = dir.resolve("kafka-client.properties");
        Files.writeString(clientProperties, "sasl.mechanism=" + MECHANISM + "\n"
                + "sasl.jaas.config=" + jaas(PASSWORD).replace("\\", "\\\\") + "\n", StandardCharsets.UTF_8);
        Path bootstrapDir = Files.createDirectories(dir.resolve("bootstrap"));
        try (ApplicationContext context = ApplicationContext.run(Map.of(
                "micronaut.application.name", "sasl-test",
                "drover.kafka.bootstrap-servers", sasl,
                "drover.kafka.partitions", "1",
                "drover.kafka.client.security.protocol", "SASL_PLAINTEXT",
                "drover.kafka.client-properties-file", clientProperties.toString(),
                "drover.security.instance-id", "sasl-test",
                "drover.security.start-timeout", "30s",
                "drover.security.bootstrap-dir", bootstrapDir.toString()))) {
            assertThat(KafkaClientConfig.extra(sasl)).containsOnlyKeys(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
                    SaslConfigs.SASL_MECHANISM, SaslConfigs.SASL_JAAS_CONFIG);
            // Started with the context (@Context): topics created, the loop deciding, the first admin written
            // through the gateway and read back by the view, all over the SASL listener.
            IdentityRuntime identities = context.getBean(IdentityRuntime.class);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(identities.identities().account("admin")).isPresent());
            assertThat(bootstrapDir.resolve("admin-password")).exists();
        }

        // The topics were created on this broker, through its SASL listener (the only one the service was given).
        try (Admin admin = Admin.create(sasl(PASSWORD, Map.of()))) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains(Topics.IDENTITY_EVENTS);
        }
    }
}

package dev.drover.platform.kafka;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.MapPropertySource;
import io.micronaut.context.env.PropertySource;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How {@code drover.kafka.client.*} and {@code drover.kafka.client-properties-file} are bound and registered, without
 * a broker (SaslKafkaClientsTest uses them against one).
 */
class KafkaSettingsTest {
    private static final String BOOTSTRAP = "kafka-settings-test:9092";

    @AfterEach
    void forget() {
        KafkaClientConfig.unregister(BOOTSTRAP);
    }

    private static ApplicationContext context(Map<String, Object> properties, PropertySource... sources) {
        Map<String, Object> p = new HashMap<>(properties);
        p.put("drover.security.enabled", "false"); // no identity runtime: nothing here talks to a broker
        return ApplicationContext.builder().propertySources(sources).properties(p).start();
    }

    @Test
    void environmentVariablesBecomeTheKafkaNames() {
        // How Micronaut reads the process environment; building the source by hand lets a test choose the variables.
        PropertySource env = new MapPropertySource("env", Map.of(
                "DROVER_KAFKA_BOOTSTRAP_SERVERS", BOOTSTRAP,
                "DROVER_KAFKA_CLIENT_SECURITY_PROTOCOL", "SASL_SSL",
                "DROVER_KAFKA_CLIENT_SASL_MECHANISM", "SCRAM-SHA-512",
                "DROVER_KAFKA_CLIENT_SSL_TRUSTSTORE_LOCATION", "/etc/drover/truststore.p12")) {
            @Override
            public PropertyConvention getConvention() {
                return PropertyConvention.ENVIRONMENT_VARIABLE;
            }
        };
        try (ApplicationContext context = context(Map.of(), env)) {
            context.getBean(KafkaSettings.class);
            assertThat(KafkaClientConfig.extra(BOOTSTRAP)).isEqualTo(Map.of(
                    "security.protocol", "SASL_SSL",
                    "sasl.mechanism", "SCRAM-SHA-512",
                    "ssl.truststore.location", "/etc/drover/truststore.p12"));
        }
    }

    @Test
    void noKafkaClientPropertyHasADashWhichIsWhyDashesAreReadAsDots() {
        Set<String> names = new java.util.HashSet<>(ProducerConfig.configNames());
        names.addAll(ConsumerConfig.configNames());
        names.addAll(AdminClientConfig.configNames());
        assertThat(names).isNotEmpty().noneMatch(name -> name.contains("-"));
    }

    @Test
    void theServiceKeysWinOverThePropertiesFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, """
                security.protocol=SASL_PLAINTEXT
                sasl.mechanism=SCRAM-SHA-512
                sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\
                    username="drover" password="s3cret";
                """);
        try (ApplicationContext context = context(Map.of(
                "drover.kafka.bootstrap-servers", BOOTSTRAP,
                "drover.kafka.client-properties-file", file.toString(),
                "drover.kafka.client.security.protocol", "SASL_SSL"))) {
            context.getBean(KafkaSettings.class);
            assertThat(KafkaClientConfig.extra(BOOTSTRAP)).isEqualTo(Map.of(
                    "security.protocol", "SASL_SSL",
                    "sasl.mechanism", "SCRAM-SHA-512",
                    "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                            + "username=\"drover\" password=\"s3cret\";"));
        }
    }

    @Test
    void aMissingPropertiesFileStopsTheStart(@TempDir Path dir) {
        try (ApplicationContext context = context(Map.of(
                "drover.kafka.bootstrap-servers", BOOTSTRAP,
                "drover.kafka.client-properties-file", dir.resolve("missing.properties").toString()))) {
            assertThatThrownBy(() -> context.getBean(KafkaSettings.class))
                    .hasStackTraceContaining("cannot read drover.kafka.client-properties-file");
        }
    }

    @Test
    void nothingConfiguredIsExactlyTheBootstrapAndTheCallSitesOwnSettings() {
        KafkaClientConfig.register(BOOTSTRAP, Map.of("security.protocol", "SASL_SSL"));
        try (ApplicationContext context = context(Map.of("drover.kafka.bootstrap-servers", BOOTSTRAP))) {
            context.getBean(KafkaSettings.class); // binding with no client properties forgets the earlier ones
            Map<String, Object> own = Map.of(ConsumerConfig.GROUP_ID_CONFIG, "drover-g");
            assertThat(KafkaClientConfig.connect(own, BOOTSTRAP)).isEqualTo(Map.of(
                    ConsumerConfig.GROUP_ID_CONFIG, "drover-g",
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP));
        }
    }

    @Test
    void theCallSiteKeepsItsOwnSettingsAndTheBootstrapServers() {
        KafkaClientConfig.register(BOOTSTRAP, Map.of(
                "security.protocol", "SASL_SSL",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted",
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "elsewhere:9092"));
        assertThat(KafkaClientConfig.connect(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                BOOTSTRAP)).isEqualTo(Map.of(
                "security.protocol", "SASL_SSL",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP));
    }
}

package dev.drover.platform.kafka;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.convert.format.MapFormat;
import jakarta.annotation.PostConstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How every Drover service reaches Kafka ({@code drover.kafka.*}).
 *
 * <p>Once bound, the settings register their {@linkplain #clientProperties() client properties} with
 * {@link KafkaClientConfig} for their bootstrap servers: every bean that creates Kafka clients gets these settings
 * injected, so the registration is done before any of them can make a client.
 */
@ConfigurationProperties("drover.kafka")
public class KafkaSettings {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSettings.class);
    private String bootstrapServers = "localhost:9092";
    private int partitions = 6;
    private short replicationFactor = 1;
    private Map<String, String> client = new LinkedHashMap<>();
    private Path clientPropertiesFile;

    /** {@code drover.kafka.bootstrap-servers} (env {@code DROVER_KAFKA_BOOTSTRAP_SERVERS}). */
    public String getBootstrapServers() {
        return bootstrapServers;
    }

    public void setBootstrapServers(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** Partitions of the scheduler's command/event topics when Drover creates them. */
    public int getPartitions() {
        return partitions;
    }

    public void setPartitions(int partitions) {
        this.partitions = partitions;
    }

    /** Replication factor of topics Drover creates (1 for a single broker). */
    public short getReplicationFactor() {
        return replicationFactor;
    }

    public void setReplicationFactor(short replicationFactor) {
        this.replicationFactor = replicationFactor;
    }

    /**
     * {@code drover.kafka.client.*}: Kafka client properties every producer, consumer and admin client of the service
     * gets, by their Kafka names ({@code drover.kafka.client.security.protocol: SASL_SSL}). Flat: a Kafka property
     * name is one key, dots included.
     */
    public Map<String, String> getClient() {
        return client;
    }

    /**
     * Dashes in the keys are read as dots. An environment variable such as
     * {@code DROVER_KAFKA_CLIENT_SECURITY_PROTOCOL} reaches Micronaut as every spelling of its underscores
     * ({@code security.protocol}, {@code security-protocol}, ...), all with the same value; no Kafka client property
     * has a dash in its name, so they all fold into the one real name.
     */
    public void setClient(@MapFormat(transformation = MapFormat.MapTransformation.FLAT) Map<String, String> client) {
        Map<String, String> folded = new LinkedHashMap<>();
        if (client != null) {
            client.forEach((key, value) -> folded.put(key.replace('-', '.'), value));
        }
        this.client = folded;
    }

    /**
     * {@code drover.kafka.client-properties-file} (env {@code DROVER_KAFKA_CLIENT_PROPERTIES_FILE}): a Java properties
     * file of Kafka client properties, the usual {@code client.properties} of Kafka's own tools; keys set in
     * {@code drover.kafka.client.*} win over the file's. Null: no file.
     */
    public Path getClientPropertiesFile() {
        return clientPropertiesFile;
    }

    public void setClientPropertiesFile(Path clientPropertiesFile) {
        this.clientPropertiesFile = clientPropertiesFile;
    }

    /**
     * The extra properties of every Kafka client: the file's, then {@code drover.kafka.client.*}. Empty when neither
     * is set, and clients are configured exactly as without them.
     *
     * @throws IllegalStateException if the properties file cannot be read: a service that was told to authenticate
     *                               must not start without
     */
    public Map<String, String> clientProperties() {
        Map<String, String> merged = new LinkedHashMap<>();
        if (clientPropertiesFile != null) {
            Properties file = new Properties();
            try (Reader in = Files.newBufferedReader(clientPropertiesFile, StandardCharsets.UTF_8)) {
                file.load(in);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read drover.kafka.client-properties-file "
                        + clientPropertiesFile + ": " + e.getMessage(), e);
            }
            for (String name : new TreeSet<>(file.stringPropertyNames())) {
                merged.put(name, file.getProperty(name));
            }
        }
        merged.putAll(client);
        return merged;
    }

    /** Registers the client properties for the bootstrap servers (see the class comment). */
    @PostConstruct
    void register() {
        Map<String, String> extra = clientProperties();
        KafkaClientConfig.register(bootstrapServers, extra);
        if (!extra.isEmpty()) {
            // names only: values hold passwords (sasl.jaas.config, ssl.*.password)
            LOG.info("Kafka clients of {} configured with {}", bootstrapServers, new TreeMap<>(extra).keySet());
        }
    }
}

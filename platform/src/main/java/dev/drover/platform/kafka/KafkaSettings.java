package dev.drover.platform.kafka;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * How every Drover service reaches Kafka ({@code drover.kafka.*}).
 */
@ConfigurationProperties("drover.kafka")
public class KafkaSettings {
    private String bootstrapServers = "localhost:9092";
    private int partitions = 6;
    private short replicationFactor = 1;

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
}

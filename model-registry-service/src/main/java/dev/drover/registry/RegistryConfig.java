package dev.drover.registry;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.net.InetAddress;
import java.time.Duration;

/** Settings of the model-registry service ({@code drover.registry.*}); see docs/configuration.md. */
@ConfigurationProperties("drover.registry")
public class RegistryConfig {
    private String instanceId = defaultInstanceId();
    private Duration transactionTimeout = Duration.ofSeconds(15);
    private Duration writeTimeout = Duration.ofSeconds(15);
    private Duration retentionInterval = Duration.ofHours(1);
    private boolean rebuildReadModel;

    private static String defaultInstanceId() {
        try {
            return InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9_.-]", "_");
        } catch (Exception e) {
            return "0";
        }
    }

    /** Stable id of this instance: its Kafka transactional id is {@code drover-registry-<instanceId>}. */
    public String getInstanceId() {
        return instanceId;
    }

    public void setInstanceId(String instanceId) {
        this.instanceId = instanceId;
    }

    public Duration getTransactionTimeout() {
        return transactionTimeout;
    }

    public void setTransactionTimeout(Duration transactionTimeout) {
        this.transactionTimeout = transactionTimeout;
    }

    /** How long a REST write waits for its outcome (and its projection) before answering 503. */
    public Duration getWriteTimeout() {
        return writeTimeout;
    }

    public void setWriteTimeout(Duration writeTimeout) {
        this.writeTimeout = writeTimeout;
    }

    /** How often retention policies are applied (an {@code ApplyRetention} command per model with a policy). */
    public Duration getRetentionInterval() {
        return retentionInterval;
    }

    public void setRetentionInterval(Duration retentionInterval) {
        this.retentionInterval = retentionInterval;
    }

    /** Empty the read model at start and project the whole log again. */
    public boolean isRebuildReadModel() {
        return rebuildReadModel;
    }

    public void setRebuildReadModel(boolean rebuildReadModel) {
        this.rebuildReadModel = rebuildReadModel;
    }
}

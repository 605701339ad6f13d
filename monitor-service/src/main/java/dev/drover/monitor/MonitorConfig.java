package dev.drover.monitor;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.net.InetAddress;
import java.time.Duration;

/** Settings of the monitor service ({@code drover.monitor.*}); see docs/configuration.md. */
@ConfigurationProperties("drover.monitor")
public class MonitorConfig {
    private String instanceId = defaultInstanceId();
    private Duration transactionTimeout = Duration.ofSeconds(15);
    private Duration writeTimeout = Duration.ofSeconds(15);
    private String registryUrl = "http://localhost:8082";

    private static String defaultInstanceId() {
        try {
            return InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9_.-]", "_");
        } catch (Exception e) {
            return "0";
        }
    }

    /** Stable id of this instance: its Kafka transactional ids start with {@code drover-monitor-<instanceId>}. */
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

    /** How long a REST write waits for its decision before answering 503. */
    public Duration getWriteTimeout() {
        return writeTimeout;
    }

    public void setWriteTimeout(Duration writeTimeout) {
        this.writeTimeout = writeTimeout;
    }

    /** Where the model registry's REST API is (champions, their feature sets' reference statistics, baselines). */
    public String getRegistryUrl() {
        return registryUrl;
    }

    public void setRegistryUrl(String registryUrl) {
        this.registryUrl = registryUrl;
    }
}

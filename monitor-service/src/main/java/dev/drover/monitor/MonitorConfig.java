package dev.drover.monitor;

import io.micronaut.context.annotation.ConfigurationProperties;

import dev.drover.monitor.datastore.DataLocation;
import dev.drover.monitor.datastore.S3Settings;
import dev.drover.monitor.window.WindowSettings;

import java.net.InetAddress;
import java.time.Duration;

/** Settings of the monitor service ({@code drover.monitor.*}); see docs/configuration.md. */
@ConfigurationProperties("drover.monitor")
public class MonitorConfig {
    private String instanceId = defaultInstanceId();
    private Duration transactionTimeout = Duration.ofSeconds(15);
    private Duration writeTimeout = Duration.ofSeconds(15);
    private String registryUrl = "http://localhost:8082";
    private Duration windowGrace = WindowSettings.defaults().grace();
    private int recentPredictions = WindowSettings.defaults().recentPredictions();
    private Duration referenceRetry = WindowSettings.defaults().referenceRetry();
    private int maxPerformanceLabels = WindowSettings.defaults().maxPerformanceLabels();
    private String dataLocation;
    private Duration dataRetention = WindowSettings.DEFAULT_DATA_RETENTION;

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

    /** How long after its end a window by time is closed by the wall clock when no later prediction came. */
    public Duration getWindowGrace() {
        return windowGrace;
    }

    public void setWindowGrace(Duration windowGrace) {
        this.windowGrace = windowGrace;
    }

    /** Per model, how many recent predictions labels can find by request id. */
    public int getRecentPredictions() {
        return recentPredictions;
    }

    public void setRecentPredictions(int recentPredictions) {
        this.recentPredictions = recentPredictions;
    }

    /** How long the window loop waits before asking the registry again for a model it had no reference for. */
    public Duration getReferenceRetry() {
        return referenceRetry;
    }

    public void setReferenceRetry(Duration referenceRetry) {
        this.referenceRetry = referenceRetry;
    }

    /** A performance window by time closes early at this many labels. */
    public int getMaxPerformanceLabels() {
        return maxPerformanceLabels;
    }

    public void setMaxPerformanceLabels(int maxPerformanceLabels) {
        this.maxPerformanceLabels = maxPerformanceLabels;
    }

    /**
     * Where the monitor keeps production data: each window's rows and each performance window's labelled rows
     * (docs/monitor.md, "Production data"), in a directory or at {@code s3://bucket[/prefix]} (reached with
     * {@code drover.monitor.s3.*}). Unset: none kept, and retrains get no production data.
     */
    public String getDataLocation() {
        return dataLocation;
    }

    public void setDataLocation(String dataLocation) {
        this.dataLocation = dataLocation;
    }

    /** How long kept production data stays. */
    public Duration getDataRetention() {
        return dataRetention;
    }

    public void setDataRetention(Duration dataRetention) {
        this.dataRetention = dataRetention;
    }

    /**
     * The window loop's knobs, checked: read at start, so that a data location the monitor could not write to stops
     * the service with what to change.
     *
     * @throws IllegalArgumentException naming the setting that is wrong and how to fix it
     */
    public WindowSettings windowSettings(S3Config s3) {
        DataLocation location = dataLocation == null || dataLocation.isBlank() ? null
                : DataLocation.parse(dataLocation);
        S3Settings s3Settings = s3.settings();
        if (location instanceof DataLocation.S3 && s3Settings.timeout().compareTo(transactionTimeout) >= 0) {
            // the window loop writes production data inside its Kafka transaction
            throw new IllegalArgumentException("drover.monitor.s3.timeout (" + s3Settings.timeout() + ") must be "
                    + "shorter than drover.monitor.transaction-timeout (" + transactionTimeout + "), or a slow store "
                    + "times the window loop's transaction out: lower the one or raise the other");
        }
        if (dataRetention == null || dataRetention.isNegative() || dataRetention.isZero()) {
            throw new IllegalArgumentException("drover.monitor.data-retention must be positive, e.g. 30d");
        }
        return new WindowSettings(windowGrace, recentPredictions, referenceRetry, maxPerformanceLabels, location,
                dataRetention, s3Settings);
    }
}

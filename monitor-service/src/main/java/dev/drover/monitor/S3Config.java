package dev.drover.monitor;

import dev.drover.monitor.datastore.S3Settings;
import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * How the monitor reaches an {@code s3://} production data location ({@code drover.monitor.s3.*}; see
 * docs/configuration.md). No credentials: they come from the AWS SDK's default provider chain ({@link S3Settings}).
 */
@ConfigurationProperties("drover.monitor.s3")
public class S3Config {
    private String endpoint;
    private String region;
    private boolean pathStyleAccess;
    private Duration timeout = S3Settings.DEFAULT_TIMEOUT;

    /** An S3-compatible server's URL (MinIO, moto, ...); unset: AWS S3. */
    public String getEndpoint() {
        return endpoint;
    }

    public void setEndpoint(String endpoint) {
        this.endpoint = endpoint;
    }

    /** The region requests are signed for; unset: the SDK's region chain for AWS, us-east-1 with an endpoint. */
    public String getRegion() {
        return region;
    }

    public void setRegion(String region) {
        this.region = region;
    }

    /** Buckets addressed as {@code <endpoint>/<bucket>}: what most S3-compatible servers need. */
    public boolean isPathStyleAccess() {
        return pathStyleAccess;
    }

    public void setPathStyleAccess(boolean pathStyleAccess) {
        this.pathStyleAccess = pathStyleAccess;
    }

    /** How long one call to the store may take, retries included; below {@code drover.monitor.transaction-timeout}. */
    public Duration getTimeout() {
        return timeout;
    }

    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * These settings, checked.
     *
     * @throws IllegalArgumentException saying which setting is wrong and how to fix it
     */
    public S3Settings settings() {
        return new S3Settings(S3Settings.endpoint(endpoint), region, pathStyleAccess, timeout);
    }
}

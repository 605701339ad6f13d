package dev.drover.platform.security;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;

/** How a service secures its API ({@code drover.security.*}); see docs/security.md. */
@ConfigurationProperties("drover.security")
public class SecuritySettings {
    private boolean enabled = true;
    private String instanceId;
    private Path bootstrapDir;
    private String serviceToken;
    private Path serviceTokenFile;
    private Duration writeTimeout = Duration.ofSeconds(10);
    private Duration startTimeout = Duration.ofSeconds(60);
    private int failedSignInsPerMinute = 10;
    private Duration sessionDuration = Duration.ofHours(12);
    private String secretKey;
    private Path secretKeyFile;

    /**
     * The id when none is configured: host and process, so that the services of one host (a test, a laptop) never
     * share a transactional id. A restarted process gets a new one; its dead predecessor's transaction is fenced by
     * the consumer group's generation instead (KIP-447).
     */
    static String defaultInstanceId(String application) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "host";
        }
        return (application + "-" + host + "-" + ProcessHandle.current().pid()).replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    /** {@code drover.security.enabled}: true unless switched off (only for tests of other things, never exposed). */
    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * The id of this instance: its identity loop's transactional id is {@code drover-identity-<instanceId>}; null:
     * one made of the application's name, the host and the process ({@link #defaultInstanceId}).
     */
    public String getInstanceId() {
        return instanceId;
    }

    public void setInstanceId(String instanceId) {
        this.instanceId = instanceId;
    }

    /**
     * Where the first start writes {@code admin-password}, {@code admin-token} and {@code service-token} when there
     * are no accounts yet (the standalone: its data directory); unset, nothing is created.
     */
    public Path getBootstrapDir() {
        return bootstrapDir;
    }

    public void setBootstrapDir(Path bootstrapDir) {
        this.bootstrapDir = bootstrapDir;
    }

    /** The API token this service sends when it calls another Drover service ({@code DROVER_SECURITY_SERVICE_TOKEN}). */
    public String getServiceToken() {
        return serviceToken;
    }

    public void setServiceToken(String serviceToken) {
        this.serviceToken = serviceToken;
    }

    /** A file holding that token instead (read when first needed; the standalone's {@code service-token}). */
    public Path getServiceTokenFile() {
        return serviceTokenFile;
    }

    public void setServiceTokenFile(Path serviceTokenFile) {
        this.serviceTokenFile = serviceTokenFile;
    }

    /** How long an admin write waits for its outcome. */
    public Duration getWriteTimeout() {
        return writeTimeout;
    }

    public void setWriteTimeout(Duration writeTimeout) {
        this.writeTimeout = writeTimeout;
    }

    /** How long the start waits to have read every identity event before it serves requests. */
    public Duration getStartTimeout() {
        return startTimeout;
    }

    public void setStartTimeout(Duration startTimeout) {
        this.startTimeout = startTimeout;
    }

    /** Failed password sign-ins per account and client address per minute before 429 for the rest of it. */
    /** How long a web UI session (an API token issued by {@code POST /api/v1/sessions}) lives. */
    public Duration getSessionDuration() {
        return sessionDuration;
    }

    public void setSessionDuration(Duration sessionDuration) {
        this.sessionDuration = sessionDuration;
    }

    public int getFailedSignInsPerMinute() {
        return failedSignInsPerMinute;
    }

    public void setFailedSignInsPerMinute(int failedSignInsPerMinute) {
        this.failedSignInsPerMinute = failedSignInsPerMinute;
    }

    /**
     * The key secrets are sealed with: 32 bytes, base64 ({@code DROVER_SECURITY_SECRET_KEY}). Every service that sets
     * secrets and every executor that runs tasks using them needs the same key.
     */
    public String getSecretKey() {
        return secretKey;
    }

    public void setSecretKey(String secretKey) {
        this.secretKey = secretKey;
    }

    /**
     * A file holding that key instead; unset: {@code secret-key} in the bootstrap directory, created (owner-only) at
     * the first start that needs it.
     */
    public Path getSecretKeyFile() {
        return secretKeyFile;
    }

    public void setSecretKeyFile(Path secretKeyFile) {
        this.secretKeyFile = secretKeyFile;
    }
}

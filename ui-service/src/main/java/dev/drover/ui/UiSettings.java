package dev.drover.ui;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code drover.ui.*}: where the UI finds the REST APIs it reads and steers Drover through (the standalone: its own
 * port; docker-compose: the services' addresses), and how often live parts of a page look for changes.
 */
@ConfigurationProperties("drover.ui")
public class UiSettings {
    private String schedulerUrl = "http://localhost:8080";
    private String registryUrl;
    private String monitorUrl;
    private Duration liveInterval = Duration.ofMillis(1000);
    private Duration requestTimeout = Duration.ofSeconds(10);

    /** The scheduler's REST API, and the identity endpoints every service has. */
    public String getSchedulerUrl() {
        return schedulerUrl;
    }

    public void setSchedulerUrl(String schedulerUrl) {
        this.schedulerUrl = schedulerUrl;
    }

    /** The model registry's REST API; default: the scheduler's address (the standalone serves both). */
    public String getRegistryUrl() {
        return registryUrl == null ? schedulerUrl : registryUrl;
    }

    public void setRegistryUrl(String registryUrl) {
        this.registryUrl = registryUrl;
    }

    /** The monitor's REST API; default: the scheduler's address. */
    public String getMonitorUrl() {
        return monitorUrl == null ? schedulerUrl : monitorUrl;
    }

    public void setMonitorUrl(String monitorUrl) {
        this.monitorUrl = monitorUrl;
    }

    public Duration getLiveInterval() {
        return liveInterval;
    }

    public void setLiveInterval(Duration liveInterval) {
        this.liveInterval = liveInterval;
    }

    public Duration getRequestTimeout() {
        return requestTimeout;
    }

    public void setRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }
}

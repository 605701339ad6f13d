package dev.drover.scheduler.alert;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Where the scheduler posts its alerts ({@code drover.scheduler.alerts.*}); see docs/configuration.md. */
@ConfigurationProperties("drover.scheduler.alerts")
public class AlertsConfig {
    private List<String> webhookUrls = new ArrayList<>();
    private Duration requestTimeout = Duration.ofSeconds(5);
    private int attempts = 3;
    private Duration initialBackoff = Duration.ofMillis(500);
    private Duration maxAge = Duration.ofHours(1);

    /** URLs each deadline alert is posted to as JSON; none: alerts are only events (and log lines). */
    public List<String> getWebhookUrls() {
        return webhookUrls;
    }

    public void setWebhookUrls(List<String> webhookUrls) {
        this.webhookUrls = webhookUrls == null ? new ArrayList<>() : webhookUrls;
    }

    /** Bound on one post (connect and answer). */
    public Duration getRequestTimeout() {
        return requestTimeout;
    }

    public void setRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    /** Posts per alert and URL, at least 1. */
    public int getAttempts() {
        return attempts;
    }

    public void setAttempts(int attempts) {
        this.attempts = attempts;
    }

    /** Pause before the second post of an alert to a URL; doubled before each further one. */
    public Duration getInitialBackoff() {
        return initialBackoff;
    }

    public void setInitialBackoff(Duration initialBackoff) {
        this.initialBackoff = initialBackoff;
    }

    /** Alerts older than this when read are logged, not posted (webhooks first configured on an old log). */
    public Duration getMaxAge() {
        return maxAge;
    }

    public void setMaxAge(Duration maxAge) {
        this.maxAge = maxAge;
    }

    /** The sender's settings; fails with the property to fix when one is out of range. */
    public WebhookPoster.Settings posterSettings() {
        return new WebhookPoster.Settings(requestTimeout, attempts, initialBackoff);
    }
}

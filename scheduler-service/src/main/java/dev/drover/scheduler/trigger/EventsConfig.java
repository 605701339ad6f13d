package dev.drover.scheduler.trigger;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.util.List;

/**
 * Settings of external-event triggers ({@code drover.scheduler.events.*}); see docs/configuration.md and
 * docs/triggers.md.
 */
@ConfigurationProperties("drover.scheduler.events")
public class EventsConfig {
    private List<String> apiKeys = List.of();
    private int maxEventBytes = 256 * 1024;

    /**
     * The keys that may POST events to the webhook ({@code Authorization: Bearer <key>} or {@code X-Api-Key}). None
     * (the default): the webhook is disabled and answers 403 saying how to enable it; the topic works regardless.
     */
    public List<String> getApiKeys() {
        return apiKeys;
    }

    public void setApiKeys(List<String> apiKeys) {
        this.apiKeys = apiKeys == null ? List.of()
                : apiKeys.stream().map(String::strip).filter(k -> !k.isEmpty()).toList();
    }

    /** The largest request body the webhook accepts, in bytes (default 256 KiB). */
    public int getMaxEventBytes() {
        return maxEventBytes;
    }

    public void setMaxEventBytes(int maxEventBytes) {
        this.maxEventBytes = maxEventBytes;
    }
}

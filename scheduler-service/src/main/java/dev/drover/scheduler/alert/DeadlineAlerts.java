package dev.drover.scheduler.alert;

import dev.drover.platform.kafka.KafkaSettings;
import dev.drover.scheduler.SchedulerRuntime;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * Runs the {@link DeadlineAlertListener} while the scheduler runs, when {@code drover.scheduler.alerts.webhook-urls}
 * names at least one URL (after the runtime, which creates the topics).
 */
@Context
@Requires(property = "drover.scheduler.enabled", value = "true")
public class DeadlineAlerts implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeadlineAlerts.class);
    private final DeadlineAlertListener listener;

    DeadlineAlerts(SchedulerRuntime runtime, KafkaSettings kafka, AlertsConfig config) {
        if (config.getWebhookUrls().isEmpty()) {
            this.listener = null;
            return;
        }
        this.listener = new DeadlineAlertListener(kafka.getBootstrapServers(), config.getWebhookUrls(),
                new WebhookPoster(config.posterSettings()), config.getMaxAge(), Clock.systemUTC());
        listener.start();
        LOG.info("posting deadline alerts to {}", config.getWebhookUrls());
    }

    @PreDestroy
    @Override
    public void close() {
        if (listener != null) {
            listener.close();
        }
    }
}

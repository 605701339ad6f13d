package dev.drover.monitor;

import dev.drover.monitor.alert.WebhookSender;
import dev.drover.monitor.loop.MonitorGateway;
import dev.drover.monitor.loop.MonitorLoop;
import dev.drover.monitor.window.HttpReferenceSource;
import dev.drover.monitor.window.WindowLoop;
import dev.drover.monitor.runs.RunWatcher;
import dev.drover.monitor.wire.MonitorCodec;
import dev.drover.platform.eventlog.DecisionLoop;
import dev.drover.platform.kafka.KafkaSettings;
import dev.drover.platform.kafka.Topics;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.time.Clock;
import java.util.Map;

/**
 * Starts the monitor's moving parts when the service starts: its topics, the decision loop and the command gateway;
 * and stops them in reverse.
 */
@Context
@Requires(property = "drover.monitor.enabled", value = "true")
public class MonitorRuntime implements AutoCloseable {
    private final MonitorCodec codec = new MonitorCodec();
    private final DecisionLoop loop;
    private final MonitorGateway gateway;
    private final WindowLoop windows;
    private final WebhookSender webhooks;
    private final RunWatcher runWatcher;

    MonitorRuntime(KafkaSettings kafka, MonitorConfig config) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.getBootstrapServers()))) {
            Topics.ensureMonitorTopics(admin, kafka.getPartitions(), kafka.getReplicationFactor());
        }
        this.loop = MonitorLoop.create(kafka.getBootstrapServers(), config.getInstanceId(),
                config.getTransactionTimeout(), codec, Clock.systemUTC());
        this.gateway = new MonitorGateway(kafka.getBootstrapServers(), codec);
        loop.start();
        this.windows = new WindowLoop(kafka.getBootstrapServers(), config.getInstanceId(),
                config.getTransactionTimeout(), codec, new HttpReferenceSource(config.getRegistryUrl()),
                config.windowSettings(), Clock.systemUTC());
        windows.start();
        this.webhooks = new WebhookSender(kafka.getBootstrapServers(), codec, WebhookSender.Settings.DEFAULT);
        webhooks.start();
        this.runWatcher = new RunWatcher(kafka.getBootstrapServers(), gateway, config.getWriteTimeout());
        runWatcher.start();
    }

    public MonitorCodec codec() {
        return codec;
    }

    public DecisionLoop loop() {
        return loop;
    }

    public MonitorGateway gateway() {
        return gateway;
    }

    public WindowLoop windows() {
        return windows;
    }

    /** Posts alerts to their webhooks. */
    public WebhookSender webhooks() {
        return webhooks;
    }

    /** Links retraining runs to their drift reports and reports their failures. */
    public RunWatcher runWatcher() {
        return runWatcher;
    }

    @PreDestroy
    @Override
    public void close() {
        windows.close();
        runWatcher.close();
        webhooks.close();
        gateway.close();
        loop.close();
    }
}

package dev.drover.monitor;

import dev.drover.monitor.alert.WebhookSender;
import dev.drover.monitor.loop.MonitorGateway;
import dev.drover.monitor.loop.MonitorLoop;
import dev.drover.monitor.readmodel.MonitorProjector;
import dev.drover.monitor.readmodel.ProjectionProgress;
import dev.drover.monitor.runs.RunWatcher;
import dev.drover.monitor.window.HttpReferenceSource;
import dev.drover.monitor.window.WindowLoop;
import dev.drover.monitor.window.WindowSettings;
import dev.drover.monitor.wire.MonitorCodec;
import dev.drover.platform.eventlog.DecisionLoop;
import dev.drover.platform.kafka.KafkaClientConfig;
import dev.drover.platform.kafka.KafkaSettings;
import dev.drover.platform.kafka.Topics;
import dev.drover.platform.security.ServiceCredentials;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import org.apache.kafka.clients.admin.Admin;

import javax.sql.DataSource;
import java.time.Clock;
import dev.drover.platform.readmodel.ReadModelOwner;
import dev.drover.platform.readmodel.TableProjector;

/**
 * Starts the monitor's moving parts when the service starts: its topics, the decision loop, the command gateway
 * and the read-model projector; and stops them in reverse.
 */
@Context
@Requires(property = "drover.monitor.enabled", value = "true")
public class MonitorRuntime implements ReadModelOwner, AutoCloseable {
    private final MonitorCodec codec = new MonitorCodec();
    private final DecisionLoop loop;
    private final MonitorGateway gateway;
    private final WindowLoop windows;
    private final WebhookSender webhooks;
    private final RunWatcher runWatcher;
    private final MonitorProjector projector;

    MonitorRuntime(KafkaSettings kafka, MonitorConfig config, S3Config s3,
                   @Named("monitor") DataSource readModel, @Nullable DataSourceResolver resolver,
                   ServiceCredentials credentials) {
        // before anything starts: a wrong data location stops the service here, saying what to change
        WindowSettings windowSettings = config.windowSettings(s3);
        try (Admin admin = Admin.create(KafkaClientConfig.connect(kafka.getBootstrapServers()))) {
            Topics.ensureTopics(admin, kafka.getPartitions(), kafka.getReplicationFactor());
        }
        this.loop = MonitorLoop.create(kafka.getBootstrapServers(), config.getInstanceId(),
                config.getTransactionTimeout(), codec, Clock.systemUTC());
        this.gateway = new MonitorGateway(kafka.getBootstrapServers(), codec);
        loop.start();
        this.windows = new WindowLoop(kafka.getBootstrapServers(), config.getInstanceId(),
                config.getTransactionTimeout(), codec, new HttpReferenceSource(config.getRegistryUrl(), credentials::authorization),
                windowSettings, Clock.systemUTC());
        windows.start();
        this.webhooks = new WebhookSender(kafka.getBootstrapServers(), codec, WebhookSender.Settings.DEFAULT);
        webhooks.start();
        this.runWatcher = new RunWatcher(kafka.getBootstrapServers(), gateway, config.getWriteTimeout());
        runWatcher.start();
        // the projector manages its own transactions: give it the plain data source (the resolver exists when
        // Micronaut Data wraps data sources, as in the standalone JVM)
        this.projector = new MonitorProjector(kafka.getBootstrapServers(),
                resolver == null ? readModel : resolver.resolve(readModel), codec::decodeEvent);
        projector.start();
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

    /** How far the read model has projected the event log (read-your-writes). */
    public ProjectionProgress progress() {
        return projector;
    }

    /** The read model's projector ({@link MonitorProjector#rebuild()} empties and projects it again). */
    @Override
    public TableProjector<?> readModel() {
        return projector.projector();
    }

    public MonitorProjector projector() {
        return projector;
    }

    @PreDestroy
    @Override
    public void close() {
        projector.close();
        windows.close();
        runWatcher.close();
        webhooks.close();
        gateway.close();
        loop.close();
    }
}

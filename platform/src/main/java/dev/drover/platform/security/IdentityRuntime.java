package dev.drover.platform.security;

import dev.drover.platform.eventlog.DecisionLoop;
import dev.drover.platform.kafka.KafkaClientConfig;
import dev.drover.platform.kafka.KafkaSettings;
import dev.drover.platform.kafka.Topics;
import dev.drover.platform.security.identity.Identities;
import dev.drover.platform.security.identity.loop.IdentityGateway;
import dev.drover.platform.security.identity.loop.IdentityLoop;
import dev.drover.platform.security.identity.loop.IdentityView;
import dev.drover.platform.security.identity.wire.IdentityCodec;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;

/**
 * The identities of one service instance: the identity loop (every instance runs one in the same group; one decides
 * at a time), the gateway admin writes go through, and the view requests are checked against. Started before the
 * server serves anything: the start waits until the view has read every identity event, so that a restarted service
 * knows every account and revocation before its first request. On a first start with a bootstrap directory it
 * creates the admin ({@link SecurityBootstrap}).
 */
@Context
@Requires(property = "drover.security.enabled", notEquals = "false")
public class IdentityRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IdentityRuntime.class);
    private final DecisionLoop loop;
    private final String bootstrapServers;
    private final IdentityCodec codec = new IdentityCodec();
    /** Made when an admin first writes: its tail polls the events topic, which an idle instance need not pay for. */
    private IdentityGateway gateway;
    private final IdentityView view;
    private final SecuritySettings settings;

    IdentityRuntime(KafkaSettings kafka, SecuritySettings settings, PasswordHasher passwords,
                    @Value("${micronaut.application.name:drover}") String application) {
        this.settings = settings;
        String bootstrap = kafka.getBootstrapServers();
        String instanceId = settings.getInstanceId() != null ? settings.getInstanceId()
                : SecuritySettings.defaultInstanceId(application);
        try (Admin admin = Admin.create(KafkaClientConfig.connect(bootstrap))) {
            Topics.ensureTopics(admin, kafka.getPartitions(), kafka.getReplicationFactor());
        }
        this.bootstrapServers = bootstrap;
        this.loop = IdentityLoop.create(bootstrap, instanceId, Duration.ofSeconds(10), codec,
                Clock.systemUTC());
        loop.start();
        this.view = new IdentityView(bootstrap, "identity-view-" + instanceId, codec).start();
        try {
            if (!view.awaitCaughtUp(bootstrap, settings.getStartTimeout())) {
                throw new IllegalStateException("the identity view did not read drover.identity.events within "
                        + settings.getStartTimeout() + "; is Kafka reachable?");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the identities", e);
        }
        if (settings.getBootstrapDir() != null) {
            new SecurityBootstrap(settings.getBootstrapDir(), this::gateway, view, passwords,
                    settings.getWriteTimeout()).run();
            synchronized (this) {
                if (gateway != null) { // done with it until an admin writes
                    gateway.close();
                    gateway = null;
                }
            }
        }
        LOG.info("identities: {} accounts, {} tokens", view.current().accounts().size(),
                view.current().tokens().size());
    }

    /** The identities as this instance knows them now. */
    public Identities identities() {
        return view.current();
    }

    public IdentityView view() {
        return view;
    }

    public synchronized IdentityGateway gateway() {
        if (gateway == null) {
            gateway = new IdentityGateway(bootstrapServers, codec);
        }
        return gateway;
    }

    public SecuritySettings settings() {
        return settings;
    }

    @Override
    @PreDestroy
    public void close() {
        view.close();
        synchronized (this) {
            if (gateway != null) {
                gateway.close();
            }
        }
        loop.close();
    }
}

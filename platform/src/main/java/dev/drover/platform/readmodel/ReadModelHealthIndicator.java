package dev.drover.platform.readmodel;

import io.micronaut.context.BeanProvider;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Liveness;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import io.micronaut.core.async.publisher.Publishers;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /health} details of every read model in the context: how many records it quarantined and the last failure
 * it is retrying, if any. A quarantine leaves the service up (the read model goes on), so it is reported, not failed
 * on: a restart would not help, an operator replaying after a fix would.
 */
@Singleton
@Liveness
public class ReadModelHealthIndicator implements HealthIndicator {
    private final BeanProvider<ReadModelOwner> owners;

    ReadModelHealthIndicator(BeanProvider<ReadModelOwner> owners) {
        this.owners = owners;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        Map<String, Object> details = new LinkedHashMap<>();
        for (ReadModelOwner owner : owners) {
            TableProjector<?> p = owner.readModel();
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("quarantined", p.quarantined());
            one.put("quarantinedSinceStart", p.quarantinedSinceStart());
            if (p.lastFailure() != null) {
                one.put("retrying", p.lastFailure());
            }
            details.put(p.name(), one);
        }
        return Publishers.just(HealthResult.builder("readModels", HealthStatus.UP).details(details).build());
    }
}

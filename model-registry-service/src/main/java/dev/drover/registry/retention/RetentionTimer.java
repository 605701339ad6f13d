package dev.drover.registry.retention;

import dev.drover.registry.core.ModelCommand.ApplyRetention;
import dev.drover.registry.loop.RegistryGateway;
import dev.drover.registry.wire.CommandEnvelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Applies retention policies on a schedule: every interval it appends an {@code ApplyRetention} command for each
 * model that has a policy. The commands are logged like any other, so what was archived, when and why is in the
 * model's history; a model with nothing to archive logs nothing.
 *
 * <p>The command id is the model and the interval's number, so several registry instances firing in the same
 * interval append the same command id and the loop decides it once.
 */
public final class RetentionTimer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionTimer.class);
    private final RegistryGateway gateway;
    private final DataSource readModel;
    private final Duration interval;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "registry-retention");
        t.setDaemon(true);
        return t;
    });

    public RetentionTimer(RegistryGateway gateway, DataSource readModel, Duration interval, Clock clock) {
        this.gateway = gateway;
        this.readModel = readModel;
        this.interval = interval;
        this.clock = clock;
    }

    /** Fires every interval, the first time one interval after start. */
    public void start() {
        long ms = interval.toMillis();
        timer.scheduleWithFixedDelay(this::fireQuietly, ms, ms, TimeUnit.MILLISECONDS);
    }

    private void fireQuietly() {
        try {
            fire();
        } catch (RuntimeException e) {
            LOG.warn("applying retention policies failed; will try again in {}", interval, e);
        }
    }

    /** Appends one {@code ApplyRetention} per model with a policy; returns the models it was sent for. */
    public List<String> fire() {
        Instant now = clock.instant();
        long window = now.toEpochMilli() / Math.max(1, interval.toMillis());
        List<String> models = modelsWithPolicy();
        for (String model : models) {
            String id = "retention/" + model + "/" + window;
            gateway.send(new CommandEnvelope(new ApplyRetention(id, model, "retention"), now, id));
        }
        if (!models.isEmpty()) {
            LOG.info("applying the retention policies of {} model(s)", models.size());
        }
        return models;
    }

    private List<String> modelsWithPolicy() {
        List<String> names = new ArrayList<>();
        try (Connection c = readModel.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(
                     "select name from registered_models where retention_keep_last is not null order by name")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list the models with a retention policy: " + e.getMessage(), e);
        }
        return names;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

package dev.drover.monitor.readmodel;

import dev.drover.platform.audit.AuditSource;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import javax.sql.DataSource;

/** The monitor's part of the audit: monitoring policies configured, and by whom (its own decisions name no one). */
@Factory
@Requires(property = "drover.monitor.enabled", value = "true")
public class MonitorAudit {
    static final String SQL = """
            select at, payload ->> 'by' as who, type as action, model_name as subject from monitor_events""";

    @Singleton
    @Named("monitor-audit")
    AuditSource monitorAudit(@Named("monitor") DataSource dataSource, DataSourceResolver resolver) {
        return AuditSource.fromReadModel("monitor", resolver.resolve(dataSource), SQL);
    }
}

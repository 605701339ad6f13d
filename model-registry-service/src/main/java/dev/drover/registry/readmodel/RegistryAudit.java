package dev.drover.registry.readmodel;

import dev.drover.platform.audit.AuditSource;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import javax.sql.DataSource;

/**
 * The registry's part of the audit: every model event that names who caused it ({@code by}) — models and versions
 * registered, descriptions, tags, stages, archives, aliases moved, protected, requested, approved or rejected.
 */
@Factory
@Requires(property = "drover.registry.enabled", value = "true")
public class RegistryAudit {
    static final String SQL = """
            select at, payload ->> 'by' as who, type as action,
                   model_name || coalesce(' v' || (payload ->> 'version'), '')
                              || coalesce(' @' || (payload ->> 'alias'), '') as subject
              from model_events""";

    @Singleton
    @Named("registry-audit")
    AuditSource registryAudit(@Named("registry") DataSource dataSource, DataSourceResolver resolver) {
        return AuditSource.fromReadModel("registry", resolver.resolve(dataSource), SQL);
    }
}

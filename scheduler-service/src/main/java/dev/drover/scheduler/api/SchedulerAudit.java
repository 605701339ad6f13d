package dev.drover.scheduler.api;

import dev.drover.platform.audit.AuditSource;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import javax.sql.DataSource;

/** The scheduler's part of the audit: the read-model rows that keep the principal of a request. */
@Factory
@Requires(property = "drover.scheduler.enabled", value = "true")
public class SchedulerAudit {
    /** Pipelines registered, runs started, tasks cleared or marked and runs reopened, pauses, backfills, pools. */
    static final String SQL = """
            select registered_at as at, registered_by as who, 'pipeline registered' as action,
                   pipeline_id || ' revision ' || revision as subject from pipeline_revisions
            union all
            select started_at, requested_by, 'run started', run_id from runs
            union all
            select at, requested_by, type, coalesce(run_id, pipeline_id) || coalesce('/' || task_id, '')
              from scheduler_events where requested_by is not null
            union all
            select paused_at, paused_by, 'pipeline paused', pipeline_id from pipeline_scheduling where paused
            union all
            select requested_at, requested_by, 'backfill requested', pipeline_id || ' ' || backfill_id from backfills
            union all
            select updated_at, defined_by, 'pool defined', name from pools""";

    @Singleton
    @Named("scheduler-audit")
    AuditSource schedulerAudit(@Named("scheduler") DataSource dataSource, DataSourceResolver resolver) {
        return AuditSource.fromReadModel("scheduler", resolver.resolve(dataSource), SQL);
    }
}

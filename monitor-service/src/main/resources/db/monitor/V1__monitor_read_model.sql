-- The monitor's read model: a projection of drover.monitor.events, rebuildable at any time from the log.
-- Written only by the projector (readmodel.MonitorProjector), in the same transaction as projection_offsets.
-- Every row keeps the log position (partition, offset) of the event it came from: all events of one model share a
-- partition, so "newest first" is "highest offset first", and a rebuild reproduces the rows exactly.

create table projection_offsets (
    partition   int primary key,
    next_offset bigint not null
);

-- Every event, rejections included: the history, and the guard that applies each event once.
create table monitor_events (
    event_id       text primary key,
    model_name     text not null,
    log_partition  int not null,
    log_offset     bigint not null,
    type           text not null,
    causation_id   text,
    correlation_id text,
    at             timestamptz not null,
    payload        jsonb not null
);
create index monitor_events_model on monitor_events (model_name, log_offset);
create index monitor_events_causation on monitor_events (causation_id);

create table monitored_models (
    model_name             text primary key,
    policy                 jsonb not null,           -- the API's shape (docs/monitor-api.md), defaults filled in
    configured_by          text,
    configured_at          timestamptz not null,     -- first configuration
    updated_at             timestamptz not null,     -- last policy change
    report_count           bigint not null default 0,
    drifted_report_count   bigint not null default 0,
    latest_report_id       text,
    latest_window_end      timestamptz,
    retrain_request_count  bigint not null default 0,
    last_retrain_report_id text,
    last_retrain_at        timestamptz,
    bad_record_count       bigint not null default 0,
    degraded_versions      int[] not null default '{}',
    rolled_back_versions   int[] not null default '{}'
);

create table drift_reports (
    report_id             text primary key,        -- <model>/<window id>
    model_name            text not null,
    window_id             text not null,
    window_start          timestamptz not null,
    window_end            timestamptz not null,
    row_count             bigint not null,
    champion_version      int not null,
    feature_set_name      text not null,
    feature_set_version   int not null,
    feature_count         int not null,
    drifted_feature_count int not null,
    drifted_share         double precision not null,
    threshold             double precision not null,
    dataset_drifted       boolean not null,
    bad_record_count      bigint not null,
    recorded_at           timestamptz not null,
    log_offset            bigint not null,
    unique (model_name, window_id)
);
create index drift_reports_newest on drift_reports (model_name, log_offset desc);

create table feature_results (
    report_id  text not null references drift_reports (report_id),
    position   int not null,                     -- order in the report
    feature    text not null,
    method     text not null,
    statistic  double precision not null,        -- may be Infinity
    p_value    double precision,                 -- null for distances
    threshold  double precision not null,
    drifted    boolean not null,
    primary key (report_id, feature)
);

create table bad_records (
    report_id text not null references drift_reports (report_id),
    reason    text not null,
    count     bigint not null,
    primary key (report_id, reason)
);

-- Each drifted report's outcome: a retrain request, or its suppression by the cooldown.
create table retrain_triggers (
    report_id           text primary key,
    model_name          text not null,
    outcome             text not null,           -- REQUESTED or SUPPRESSED
    reason              text,                    -- REQUESTED: which features drifted
    champion_version    int,
    feature_set_name    text,
    feature_set_version int,
    last_report_id      text,                    -- SUPPRESSED: the request that started the cooldown
    cooldown_until      timestamptz,             -- SUPPRESSED: when the cooldown ends
    at                  timestamptz not null,
    log_offset          bigint not null
);
create index retrain_triggers_newest on retrain_triggers (model_name, log_offset desc);

create table retrain_runs (
    report_id   text not null,
    pipeline_id text not null,
    run_id      text not null,
    linked_at   timestamptz not null,
    log_offset  bigint not null,
    primary key (report_id, pipeline_id, run_id)
);

create table performance (
    event_id    text primary key,
    model_name  text not null,
    window_id   text not null,
    version     int not null,
    metric      text not null,
    observed    double precision not null,
    label_count bigint not null,
    baseline    double precision not null,
    at          timestamptz not null,
    log_offset  bigint not null
);
create index performance_newest on performance (model_name, log_offset desc);

create table degradations (
    event_id      text primary key,
    model_name    text not null,
    window_id     text not null,
    version       int not null,
    metric        text not null,
    direction     text not null,
    observed      double precision not null,
    baseline      double precision not null,
    drop          double precision not null,
    relative_drop double precision,              -- null when the baseline is 0
    reason        text not null,
    at            timestamptz not null,
    log_offset    bigint not null
);
create index degradations_newest on degradations (model_name, log_offset desc);

create table rollbacks (
    event_id     text primary key,
    model_name   text not null,
    from_version int not null,
    reason       text not null,
    at           timestamptz not null,
    log_offset   bigint not null
);
create index rollbacks_newest on rollbacks (model_name, log_offset desc);

create table alerts (
    event_id   text primary key,
    model_name text not null,
    kind       text not null,                    -- DRIFT, DEGRADATION, ROLLBACK, RUN_FAILED
    message    text not null,
    webhooks   jsonb not null,                   -- [{"url", "format"}]
    at         timestamptz not null,
    log_offset bigint not null
);
create index alerts_newest on alerts (model_name, log_offset desc);

-- Schedules, pause, run queues and backfills (docs/scheduling.md). Read models like the rest: rebuilt from the log.

alter table runs
    add column logical_date        timestamptz,
    add column data_interval_start timestamptz,
    add column data_interval_end   timestamptz,
    add column backfill_id         text;
create index runs_by_backfill on runs (backfill_id) where backfill_id is not null;

create table pipeline_scheduling (
    pipeline_id     text primary key,
    paused          boolean not null default false,
    paused_by       text,
    paused_at       timestamptz,
    pause_reason    text,
    -- end of the latest interval of the schedule that was started, queued or skipped
    schedule_cursor timestamptz,
    -- when the pipeline first had a schedule
    scheduled_since timestamptz
);

-- Intervals that did not run: schedule ticks while paused (or whose run existed), backfill intervals with a run.
create table skipped_intervals (
    pipeline_id       text        not null,
    run_id            text        not null,
    logical_date      timestamptz,
    data_interval_end timestamptz,
    backfill_id       text,
    reason            text        not null,
    at                timestamptz not null
);
create index skipped_intervals_by_pipeline on skipped_intervals (pipeline_id, at desc);

create table backfills (
    backfill_id       text primary key,
    pipeline_id       text        not null,
    range_start       timestamptz not null,
    range_end         timestamptz not null,
    max_concurrency   int         not null,
    parameters        jsonb       not null,
    intervals         int         not null,
    runs_started      int         not null default 0,
    intervals_skipped int         not null default 0,
    runs_succeeded    int         not null default 0,
    runs_failed       int         not null default 0,
    status            text        not null,
    reason            text,
    requested_by      text,
    requested_at      timestamptz not null,
    finished_at       timestamptz
);
create index backfills_by_pipeline on backfills (pipeline_id, requested_at desc);

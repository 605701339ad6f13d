-- Read models of the scheduler. Disposable: every row is derived from drover.run.events and drover.task.logs and
-- can be rebuilt (see docs/operations.md, "Rebuilding read models").

create table pipelines (
    pipeline_id     text primary key,
    latest_revision int         not null,
    description     text        not null default '',
    created_at      timestamptz not null,
    updated_at      timestamptz not null
);

create table pipeline_revisions (
    pipeline_id   text        not null,
    revision      int         not null,
    spec          jsonb       not null,
    spec_hash     text        not null,
    registered_by text,
    registered_at timestamptz not null,
    primary key (pipeline_id, revision)
);

create table runs (
    run_id       text primary key,
    pipeline_id  text        not null,
    revision     int         not null,
    status       text        not null,
    parameters   jsonb       not null,
    trigger      text,
    requested_by text,
    started_at   timestamptz not null,
    finished_at  timestamptz,
    reason       text
);
create index runs_by_pipeline on runs (pipeline_id, started_at desc);
create index runs_by_status on runs (status, started_at desc);

create table task_runs (
    run_id     text        not null,
    task_id    text        not null,
    position   int         not null,
    status     text        not null,
    attempt    int         not null default 0,
    updated_at timestamptz not null,
    primary key (run_id, task_id)
);

create table task_attempts (
    run_id        text not null,
    task_id       text not null,
    attempt       int  not null,
    status        text not null,
    type          text,
    queue         text,
    config        jsonb,
    executor_id   text,
    dispatched_at timestamptz,
    started_at    timestamptz,
    finished_at   timestamptz,
    exit_code     int,
    message       text,
    outputs       jsonb,
    primary key (run_id, task_id, attempt)
);

create table task_logs (
    run_id  text        not null,
    task_id text        not null,
    attempt int         not null,
    seq     bigint      not null,
    ts      timestamptz not null,
    stream  text        not null,
    line    text        not null,
    primary key (run_id, task_id, attempt, seq)
);

-- Every event, for reading a run's (or a pipeline's) history as a story.
create table scheduler_events (
    partition_no int         not null,
    log_offset   bigint      not null,
    event_id     text        not null,
    pipeline_id  text        not null,
    run_id       text,
    task_id      text,
    attempt      int,
    type         text        not null,
    at           timestamptz not null,
    causation_id text        not null,
    detail       text,
    primary key (partition_no, log_offset)
);
create index scheduler_events_by_run on scheduler_events (run_id, partition_no, log_offset);

-- Where each projection stands in each topic partition; written in the same transaction as the rows it covers.
create table projection_offsets (
    topic        text   not null,
    partition_no int    not null,
    next_offset  bigint not null,
    primary key (topic, partition_no)
);

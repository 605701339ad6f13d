-- Pools (docs/limits.md): named slot counts shared by every pipeline, projected from the pool events on
-- drover.run.events (key pool:<name>).
create table pools (
    name        text        primary key,
    slots       integer     not null,
    description text        not null,
    defined_by  text,
    created_at  timestamptz not null,
    updated_at  timestamptz not null
);

-- One row per attempt that holds a slot (state OCCUPIED) or waits for one (state QUEUED).
create table pool_slots (
    pool        text        not null,
    run_id      text        not null,
    task_id     text        not null,
    attempt     integer     not null,
    pipeline_id text        not null,
    state       text        not null,
    priority    integer     not null,
    since       timestamptz not null,
    primary key (pool, run_id, task_id, attempt)
);

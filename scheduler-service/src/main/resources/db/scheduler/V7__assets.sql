-- Read models of data-aware scheduling (docs/assets.md). Disposable like the others: every row is derived from
-- AssetUpdated, AssetUpdateRecorded and AssetRunTriggered events on drover.run.events.

-- Every asset update: by a task (pipeline, run and task set) or external (all three null).
create table asset_updates (
    update_id   text primary key,
    uri         text        not null,
    pipeline_id text,
    run_id      text,
    task_id     text,
    extra       jsonb       not null default '{}',
    at          timestamptz not null
);
create index asset_updates_by_uri on asset_updates (uri, at desc);

-- Which consuming pipeline recorded which update.
create table asset_consumptions (
    pipeline_id text        not null,
    update_id   text        not null,
    uri         text        not null,
    recorded_at timestamptz not null,
    primary key (pipeline_id, update_id)
);

-- Runs started by assets triggers, with the updates each consumed ([{"uri": ..., "updateId": ...}, ...]).
create table asset_triggered_runs (
    run_id      text primary key,
    pipeline_id text        not null,
    trigger     text        not null,
    updates     jsonb       not null,
    at          timestamptz not null
);

-- The registry's read model: a projection of drover.registry.events, rebuildable at any time from the log.
-- Written only by the projector (readmodel.RegistryProjector), in the same transaction as projection_offsets.

create table projection_offsets (
    partition   int primary key,
    next_offset bigint not null
);

create table registered_models (
    name                      text primary key,
    description               text,
    created_at                timestamptz not null,
    created_by                text,
    updated_at                timestamptz not null,
    latest_version            int not null default 0,
    retention_keep_last       int,          -- null: no retention policy
    retention_keep_newer_than text          -- ISO-8601 duration, e.g. PT720H; null or PT0S: no such rule
);

create table model_tags (
    model_name text not null references registered_models (name),
    key        text not null,
    value      text not null,
    primary key (model_name, key)
);

create table model_versions (
    model_name          text not null references registered_models (name),
    version             int  not null,
    artifact_location   text,
    description         text,
    params              jsonb not null default '{}',   -- {"name": "value"}
    metrics             jsonb not null default '{}',   -- {"name": number}
    run_id              text,
    task_id             text,
    code_version        text,
    feature_set_name    text,
    feature_set_version int,
    stage               text not null default 'None',  -- MLflow's names: None, Staging, Production, Archived
    created_at          timestamptz not null,
    created_by          text,
    updated_at          timestamptz not null,
    primary key (model_name, version)
);
create index model_versions_run on model_versions (run_id);

create table model_version_tags (
    model_name text not null,
    version    int  not null,
    key        text not null,
    value      text not null,
    primary key (model_name, version, key),
    foreign key (model_name, version) references model_versions (model_name, version)
);

-- Where each alias points now.
create table model_aliases (
    model_name text not null references registered_models (name),
    alias      text not null,
    version    int  not null,
    kind       text not null,          -- SET, ROLLBACK, PROMOTION
    reason     text,
    moved_by   text,
    moved_at   timestamptz not null,
    primary key (model_name, alias)
);
create index model_aliases_version on model_aliases (model_name, version);

create table protected_aliases (
    model_name   text not null references registered_models (name),
    alias        text not null,
    reason       text,
    protected_by text,
    protected_at timestamptz not null,
    primary key (model_name, alias)
);

-- Every change of every alias (AliasMoved, AliasDeleted), in log order.
create table alias_history (
    event_id         text primary key,
    model_name       text not null,
    alias            text not null,
    seq              bigint not null,     -- order within the model: the projector's running count
    previous_version int,
    version          int,                 -- null: the alias was deleted
    kind             text,                -- SET, ROLLBACK, PROMOTION; null for a deletion
    reason           text,
    evaluation       jsonb,               -- the promotion's numbers, if any
    approval         jsonb,               -- {"requestId", "approvedBy", "comment"}, if any
    changed_by       text,
    changed_at       timestamptz not null
);
create index alias_history_alias on alias_history (model_name, alias, seq);

-- Moves of protected aliases waiting for (or decided by) a second principal.
create table alias_change_requests (
    request_id       text primary key,
    model_name       text not null,
    alias            text not null,
    previous_version int,
    version          int  not null,
    kind             text not null,
    reason           text,
    evaluation       jsonb,
    requested_by     text,
    requested_at     timestamptz not null,
    status           text not null,       -- PENDING, APPROVED, REJECTED
    decided_by       text,
    decided_at       timestamptz,
    comment          text
);
create index alias_change_requests_model on alias_change_requests (model_name, status);

-- Every event of every model (the model's history), as JSON, in log order.
create table model_events (
    event_id       text primary key,
    model_name     text not null,
    seq            bigint not null,
    type           text not null,         -- the event's simple class name, e.g. AliasMoved
    causation_id   text not null,
    correlation_id text,
    at             timestamptz not null,
    payload        jsonb not null
);
create index model_events_model on model_events (model_name, seq);
create index model_events_causation on model_events (causation_id);

create table feature_sets (
    name           text primary key,
    latest_version int not null,
    created_at     timestamptz not null,
    updated_at     timestamptz not null
);

create table feature_set_versions (
    name          text not null references feature_sets (name),
    version       int  not null,
    description   text,
    schema        jsonb not null,   -- {"features": [{"name", "type"}]}
    data_location text,
    statistics    jsonb not null,   -- the reference statistics (docs/registry.md)
    created_by    text,
    created_at    timestamptz not null,
    causation_id  text,             -- the command that registered it (answers a retried REST write)
    primary key (name, version)
);

-- Commands the registry has decided, so that a retried REST write (same Idempotency-Key) answers with the first
-- outcome instead of deciding again.
create table decided_commands (
    command_id  text primary key,
    key         text not null,
    partition   int not null,
    last_offset bigint not null,
    rejected    text,               -- the rejection code, if the command was rejected
    rejection_message text          -- and its sentence
);

-- External CloudEvents received on drover.external.events (from the webhook or published directly), with what each
-- did: the pipelines whose event triggers it matched and the runs they asked for (docs/triggers.md). Written by the
-- scheduler's event trigger listener once it has handled an event; one row per (source, id), the CloudEvents identity,
-- so a redelivered or re-sent event is recorded once. Not part of the rebuild of the run read models: its source is
-- drover.external.events, read by the listener's own consumer group.
create table external_events (
    seq             bigserial   primary key,
    source          text        not null,
    id              text        not null,
    type            text        not null,
    subject         text,
    time            timestamptz,
    datacontenttype text,
    data            jsonb,
    extensions      jsonb       not null default '{}',
    received_at     timestamptz not null,
    outcomes        jsonb       not null default '[]',
    unique (source, id)
);

create index external_events_received on external_events (received_at, seq);
create index external_events_type_received on external_events (type, received_at, seq);

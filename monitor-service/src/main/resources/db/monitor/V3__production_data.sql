-- Where the production data the monitor keeps is (docs/monitor.md, "Production data"), and the data retrain requests
-- pass on. Columns are null for what was recorded before the monitor kept data.
alter table drift_reports add column data_location text;
alter table drift_reports add column champion_artifact text;
alter table performance add column labeled_data_location text;
alter table retrain_triggers add column window_data jsonb;
alter table retrain_triggers add column training_data jsonb;
alter table retrain_triggers add column evaluation_data jsonb;
alter table retrain_triggers add column champion_artifact text;
alter table retrain_triggers add column labeled_rows bigint;   -- AWAITING_LABELS: labelled rows kept so far
alter table retrain_triggers add column labels_needed bigint;  -- AWAITING_LABELS: the policy's retrainMinLabeledRows
alter table retrain_triggers add column declined_run_id text;   -- REQUESTED: the run whose challenger was declined
alter table retrain_triggers add column declined_reason text;
alter table retrain_triggers add column next_retrain_at timestamptz; -- when drift may request a retrain again

-- Per drift window, how many labelled rows score its predictions.
create table window_labels (
    model_name text   not null,
    window_id  text   not null,
    labels     bigint not null,
    primary key (model_name, window_id)
);

-- Reruns and deadlines (docs/rerun-and-deadlines.md): who cleared or marked tasks, and when deadlines were missed.

-- The principal of an event asked for by someone (a clear, a mark, a reopened run); null for the others.
alter table scheduler_events add column requested_by text;

-- When the run or task was noticed still unfinished past its deadline (an alert was raised); null if never.
alter table runs add column deadline_missed_at timestamptz;
alter table task_runs add column deadline_missed_at timestamptz;

-- Dynamic task mapping (mapOver): a mapped task's instances get rows of their own in task_runs, with ids
-- <task>[<index>], the mapped task's position and their index (null for every task that is not an instance).
alter table task_runs add column map_index int;

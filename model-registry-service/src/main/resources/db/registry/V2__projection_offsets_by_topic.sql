-- The platform's TableProjector keeps its offsets per topic and partition, the same shape in every service.
alter table projection_offsets rename column partition to partition_no;
alter table projection_offsets add column topic text not null default 'drover.registry.events';
alter table projection_offsets alter column topic drop default;
alter table projection_offsets drop constraint projection_offsets_pkey;
alter table projection_offsets add primary key (topic, partition_no);

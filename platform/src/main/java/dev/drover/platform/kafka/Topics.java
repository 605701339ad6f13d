package dev.drover.platform.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * Every Kafka topic Drover uses, with its key and partitioning, in one place (documented in {@code docs/topics.md}).
 *
 * <p>{@link #RUN_COMMANDS} and {@link #RUN_EVENTS} are co-partitioned: the scheduler writes the events decided from a
 * command to the same partition number the command came from, so the state of partition {@code p} is the fold of
 * events partition {@code p} alone.
 */
public final class Topics {
    /** Scheduler commands (REST writes, executor reports, timers). Key: pipeline id. */
    public static final String RUN_COMMANDS = "drover.run.commands";
    /** Scheduler events: the source of truth of pipelines and runs. Key: pipeline id. */
    public static final String RUN_EVENTS = "drover.run.events";
    /** Snapshots of the scheduler's per-partition state (compacted). Key: {@code partition-N}. */
    public static final String SCHEDULER_SNAPSHOTS = "drover.scheduler.snapshots";
    /** Prefix of the per-queue dispatch topics consumed by executor share groups. Key: run id. */
    public static final String TASK_DISPATCH_PREFIX = "drover.task.dispatch.";
    /** Task log lines, batched per attempt. Key: run id. */
    public static final String TASK_LOGS = "drover.task.logs";
    /** Registry commands (REST writes, registry tasks, retention timers). Key: {@code model/<name>} or
     * {@code feature-set/<name>}. */
    public static final String REGISTRY_COMMANDS = "drover.registry.commands";
    /** Registry events: the source of truth of registered models and feature sets. Key: as the commands'. */
    public static final String REGISTRY_EVENTS = "drover.registry.events";
    /** Monitor commands (policies, closed windows, performance, run links). Key: {@code monitor/<model>}. */
    public static final String MONITOR_COMMANDS = "drover.monitor.commands";
    /** Monitor events: drift reports, retrain requests, degradations, rollbacks, alerts. Key: as the commands'. */
    public static final String MONITOR_EVENTS = "drover.monitor.events";
    /** Predictions published by serving systems (Avro or CloudEvents JSON). Key: the bare model name. */
    public static final String MONITOR_PREDICTIONS = "drover.monitor.predictions";
    /** Ground-truth labels, by request id (Avro or CloudEvents JSON). Key: the bare model name. */
    public static final String MONITOR_LABELS = "drover.monitor.labels";
    /** External CloudEvents (Kafka protocol binding, binary or structured mode) that may trigger pipelines, from the
     * scheduler's webhook or published directly. Key: the event's source (any key is accepted). */
    public static final String EXTERNAL_EVENTS = "drover.external.events";
    /** Identity commands: accounts, grants, tokens. One partition, key {@code identities}. */
    public static final String IDENTITY_COMMANDS = "drover.identity.commands";
    /** Identity events, the source of truth of who may do what; every service reads them all. Key: as the commands'. */
    public static final String IDENTITY_EVENTS = "drover.identity.events";
    /** Records that could not be processed, with the reason. Key: the original key. */
    public static final String DEAD_LETTER = "drover.deadletter";

    /**
     * The largest record the command and event topics take (4 MiB): four times the largest request body a write
     * accepts (1 MiB), which one command carries and its events may repeat.
     */
    public static final String MAX_RECORD_BYTES = String.valueOf(4 << 20);

    private Topics() {
    }

    /** The dispatch topic of a named executor queue. */
    public static String dispatch(String queue) {
        return TASK_DISPATCH_PREFIX + queue;
    }

    /** The share group whose members serve a queue. */
    public static String executorGroup(String queue) {
        return "drover-executors-" + queue;
    }

    /**
     * Creates every topic Drover shares between services if it is missing: the scheduler's, the registry's and the
     * monitor's. Every service calls this before it starts a consumer, whatever the topics it uses itself, so that
     * co-partitioned pairs (commands and events of a service; predictions and labels) always get the same partition
     * count — a topic created implicitly by a consumer's metadata request would get the broker's default count
     * instead, and a command would then be decided into an events partition that does not exist.
     *
     * @param partitions partition count of the keyed topics (fixed once created)
     */
    public static void ensureTopics(Admin admin, int partitions, short replication) {
        Map<String, String> forever = Map.of("retention.ms", "-1", "retention.bytes", "-1",
                "max.message.bytes", MAX_RECORD_BYTES);
        Map<String, String> commands = Map.of("max.message.bytes", MAX_RECORD_BYTES);
        List<NewTopic> topics = new ArrayList<>();
        topics.add(new NewTopic(RUN_COMMANDS, partitions, replication).configs(commands));
        topics.add(new NewTopic(RUN_EVENTS, partitions, replication).configs(forever));
        topics.add(new NewTopic(SCHEDULER_SNAPSHOTS, 1, replication)
                .configs(Map.of("cleanup.policy", "compact", "max.message.bytes", String.valueOf(64 << 20),
                        // small segments and an eager cleaner keep the snapshot topic (read at every recovery) short
                        "segment.bytes", String.valueOf(16 << 20), "min.cleanable.dirty.ratio", "0.1",
                        "segment.ms", "600000")));
        topics.add(new NewTopic(TASK_LOGS, partitions, replication));
        topics.add(new NewTopic(REGISTRY_COMMANDS, partitions, replication).configs(commands));
        topics.add(new NewTopic(REGISTRY_EVENTS, partitions, replication).configs(forever));
        topics.add(new NewTopic(MONITOR_COMMANDS, partitions, replication).configs(commands));
        topics.add(new NewTopic(MONITOR_EVENTS, partitions, replication).configs(forever));
        topics.add(new NewTopic(MONITOR_PREDICTIONS, partitions, replication));
        topics.add(new NewTopic(MONITOR_LABELS, partitions, replication));
        topics.add(new NewTopic(DEAD_LETTER, 1, replication).configs(Map.of("retention.ms", "-1")));
        topics.add(new NewTopic(EXTERNAL_EVENTS, partitions, replication));
        // one partition: the identities are one aggregate (the last admin is a rule over all accounts)
        topics.add(new NewTopic(IDENTITY_COMMANDS, 1, replication).configs(commands));
        topics.add(new NewTopic(IDENTITY_EVENTS, 1, replication).configs(forever));
        ensure(admin, topics);
        // topics created before the limit was set get it too
        raiseRecordLimit(admin, List.of(RUN_COMMANDS, RUN_EVENTS, REGISTRY_COMMANDS, REGISTRY_EVENTS,
                MONITOR_COMMANDS, MONITOR_EVENTS));
    }

    private static void raiseRecordLimit(Admin admin, List<String> names) {
        Map<ConfigResource, java.util.Collection<AlterConfigOp>> ops = new java.util.HashMap<>();
        for (String name : names) {
            ops.put(new ConfigResource(ConfigResource.Type.TOPIC, name), List.of(new AlterConfigOp(
                    new ConfigEntry("max.message.bytes", MAX_RECORD_BYTES), AlterConfigOp.OpType.SET)));
        }
        try {
            admin.incrementalAlterConfigs(ops).all().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not set max.message.bytes on " + names + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted setting max.message.bytes", e);
        }
    }

    /** Creates the dispatch topic of a queue if it is missing. */
    public static void ensureDispatchTopic(Admin admin, String queue, int partitions, short replication) {
        ensure(admin, List.of(new NewTopic(dispatch(queue), partitions, replication)));
    }

    /** Creates topics, ignoring those that exist already (several services may race to create them). */
    public static void ensure(Admin admin, List<NewTopic> topics) {
        var result = admin.createTopics(topics);
        for (var entry : result.values().entrySet()) {
            try {
                entry.getValue().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("could not create topic " + entry.getKey() + ": "
                            + e.getCause().getMessage(), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted creating topic " + entry.getKey(), e);
            }
        }
    }
}

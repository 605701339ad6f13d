package dev.drover.scheduler.core;

/**
 * Where pools live on the log. A pool is shared by pipelines on every partition of {@code drover.run.commands}, so it
 * cannot be part of one pipeline's state: it is an aggregate of its own, keyed {@code pool:<name>}. A pipeline id
 * never contains {@code :}, so the two kinds of key cannot collide, and the loop's rule "a command is keyed by its
 * {@code pipelineId()}" holds for both ({@link SchedulerCommand.PoolCommand#pipelineId()}).
 */
public final class Pools {
    /** Prefix of a pool's partition key. */
    public static final String KEY_PREFIX = "pool:";

    private Pools() {
    }

    /** The partition key of pool {@code name}. */
    public static String key(String name) {
        return KEY_PREFIX + name;
    }

    /** Whether a key (or the pipelineId of a command or event) is a pool's. */
    public static boolean isPoolKey(String key) {
        return key != null && key.startsWith(KEY_PREFIX);
    }

    /** How a slot holder is named in messages and ids: {@code <runId>/<taskId>/<attempt>} (its DROVER_ATTEMPT_ID). */
    public static String holder(String runId, String taskId, int attempt) {
        return runId + "/" + taskId + "/" + attempt;
    }
}

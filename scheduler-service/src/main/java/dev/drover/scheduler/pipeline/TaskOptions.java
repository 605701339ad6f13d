package dev.drover.scheduler.pipeline;

import java.time.Duration;
import java.util.List;

/**
 * A task's control-flow and scheduling settings beyond what it runs (see {@code docs/pipelines.md}). Every field has
 * a default that means "as before these settings existed" ({@link #DEFAULTS}).
 *
 * @param triggerRule when the task may run given its upstream tasks' outcomes ({@code triggerRule})
 * @param when        a CEL condition over {@code params} and {@code tasks}; false skips the task ({@code when}), or null
 * @param mapOver     a CEL expression giving a list: the task runs once per element ({@code mapOver}), or null
 * @param outlets     asset URIs the task updates when it succeeds ({@code outlets}); empty for none
 * @param pool        the named pool whose slot an attempt holds while it is dispatched or running ({@code pool}), or
 *                    null for none
 * @param priority    higher runs first when tasks wait for a slot ({@code priority}; default 0)
 * @param deadline    how long after its first dispatch the task should have finished; past it an alert is raised
 *                    while it keeps running ({@code deadline}), or null
 */
public record TaskOptions(TriggerRule triggerRule, String when, String mapOver, List<String> outlets, String pool,
                          int priority, Duration deadline) {

    /** No options set. */
    public static final TaskOptions DEFAULTS = new TaskOptions(TriggerRule.ALL_SUCCESS, null, null, List.of(), null, 0,
            null);

    public TaskOptions {
        triggerRule = triggerRule == null ? TriggerRule.ALL_SUCCESS : triggerRule;
        outlets = outlets == null ? List.of() : List.copyOf(outlets);
    }

    public TaskOptions withTriggerRule(TriggerRule v) {
        return new TaskOptions(v, when, mapOver, outlets, pool, priority, deadline);
    }

    public TaskOptions withWhen(String v) {
        return new TaskOptions(triggerRule, v, mapOver, outlets, pool, priority, deadline);
    }

    public TaskOptions withMapOver(String v) {
        return new TaskOptions(triggerRule, when, v, outlets, pool, priority, deadline);
    }

    public TaskOptions withOutlets(List<String> v) {
        return new TaskOptions(triggerRule, when, mapOver, v, pool, priority, deadline);
    }

    public TaskOptions withPool(String v) {
        return new TaskOptions(triggerRule, when, mapOver, outlets, v, priority, deadline);
    }

    public TaskOptions withPriority(int v) {
        return new TaskOptions(triggerRule, when, mapOver, outlets, pool, v, deadline);
    }

    public TaskOptions withDeadline(Duration v) {
        return new TaskOptions(triggerRule, when, mapOver, outlets, pool, priority, v);
    }
}

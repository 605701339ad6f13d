package dev.drover.scheduler.core;

import dev.drover.scheduler.pipeline.TriggerRule;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Judges a waiting task by its trigger rule over its upstream tasks' statuses, with Airflow's semantics
 * ({@code airflow/ti_deps/deps/trigger_rule_dep.py}): the same rule names, the same moments a task may start early
 * ({@code one_success}, {@code one_failed}, {@code always}) and the same way {@code skipped} travels downstream.
 *
 * <p>Pure and stateless, so that whatever decides what to do with a task — dispatch it, hold it back for a free slot,
 * expand it into mapped instances — asks the same question the same way. The statuses may be those of upstream
 * tasks or of the instances of a mapped upstream task: only how many are in which state matters.
 *
 * <p>How upstream statuses count:
 * <ul>
 *   <li>{@code SUCCEEDED}: success.</li>
 *   <li>{@code SKIPPED}: skipped.</li>
 *   <li>{@code FAILED}, {@code UPSTREAM_FAILED} and {@code CANCELED}: failed. A canceled task did not do its work,
 *       exactly like a failed one, so {@code all_success} downstream of it cannot run and {@code all_failed} or
 *       {@code one_failed} clean-up tasks may. (Today canceling ends the whole run at once, so this only matters to
 *       features that stop single tasks.)</li>
 *   <li>anything else ({@code PENDING}, {@code DISPATCHED}, {@code RUNNING}, {@code RETRY_WAIT}): not done yet. A task
 *       waiting for a retry has not failed.</li>
 * </ul>
 * A task without upstream tasks runs whatever its rule (as in Airflow).
 */
public final class TriggerRules {

    /** What to do with a waiting task now. */
    public enum Verdict {
        /** Its rule is met: it may start (subject to its {@code when} condition). */
        RUN,
        /** Its rule can no longer be met, and that is not a failure: it is skipped. */
        SKIP,
        /** Its rule can no longer be met because of upstream failures: it is marked upstream-failed. */
        UPSTREAM_FAILED,
        /** Not decided yet: upstream tasks still have to finish. */
        WAIT
    }

    /** How many upstream tasks are in which state. */
    public record Counts(int upstream, int success, int skipped, int failed) {
        /** Tasks that reached a final status. */
        public int done() {
            return success + skipped + failed;
        }

        /** Whether every upstream task reached a final status. */
        public boolean allDone() {
            return done() >= upstream;
        }

        /** Counts statuses as the class comment says. */
        public static Counts of(Collection<TaskStatus> statuses) {
            int success = 0;
            int skipped = 0;
            int failed = 0;
            for (TaskStatus s : statuses) {
                if (s == TaskStatus.SUCCEEDED) {
                    success++;
                } else if (s == TaskStatus.SKIPPED) {
                    skipped++;
                } else if (countsAsFailed(s)) {
                    failed++;
                }
            }
            return new Counts(statuses.size(), success, skipped, failed);
        }
    }

    private TriggerRules() {
    }

    /** Whether a final upstream status counts as a failure for trigger rules. */
    public static boolean countsAsFailed(TaskStatus status) {
        return status == TaskStatus.FAILED || status == TaskStatus.UPSTREAM_FAILED || status == TaskStatus.CANCELED;
    }

    /** Judges a task with {@code rule} whose upstream tasks are in {@code upstream}. */
    public static Verdict judge(TriggerRule rule, Collection<TaskStatus> upstream) {
        return judge(rule, Counts.of(upstream));
    }

    /** Judges a task with {@code rule} whose upstream tasks are counted in {@code c}. */
    public static Verdict judge(TriggerRule rule, Counts c) {
        if (c.upstream() == 0) {
            return Verdict.RUN;
        }
        // Airflow marks a task as soon as its fate is certain, without waiting for the other upstream tasks
        // (all_success with one failed upstream is upstream_failed at once), and starts it as soon as its rule is met.
        return switch (rule) {
            case ALL_SUCCESS -> c.failed() > 0 ? Verdict.UPSTREAM_FAILED
                    : c.skipped() > 0 ? Verdict.SKIP
                    : c.success() == c.upstream() ? Verdict.RUN : Verdict.WAIT;
            case ALL_FAILED -> c.success() > 0 || c.skipped() > 0 ? Verdict.SKIP
                    : c.failed() == c.upstream() ? Verdict.RUN : Verdict.WAIT;
            case ALL_DONE -> c.allDone() ? Verdict.RUN : Verdict.WAIT;
            case ONE_SUCCESS -> c.success() > 0 ? Verdict.RUN
                    : !c.allDone() ? Verdict.WAIT
                    : c.skipped() == c.upstream() ? Verdict.SKIP : Verdict.UPSTREAM_FAILED;
            case ONE_FAILED -> c.failed() > 0 ? Verdict.RUN
                    : c.allDone() ? Verdict.SKIP : Verdict.WAIT;
            case NONE_FAILED -> c.failed() > 0 ? Verdict.UPSTREAM_FAILED
                    : c.allDone() ? Verdict.RUN : Verdict.WAIT;
            case NONE_FAILED_MIN_ONE_SUCCESS -> c.failed() > 0 ? Verdict.UPSTREAM_FAILED
                    : c.skipped() == c.upstream() ? Verdict.SKIP
                    : c.allDone() ? Verdict.RUN : Verdict.WAIT;
            // "No dependencies at all, run this task at any time": it does not even wait for its upstream tasks.
            case ALWAYS -> Verdict.RUN;
        };
    }

    /**
     * Why a task judged {@link Verdict#SKIP} is skipped, naming the upstream tasks that decided it, e.g.
     * {@code trigger rule all_success: upstream task validate was skipped}.
     *
     * @param upstream upstream task ids to their statuses, in {@code dependsOn} order
     */
    public static String skipReason(TriggerRule rule, Map<String, TaskStatus> upstream) {
        String prefix = "trigger rule " + rule.formatName() + ": ";
        return switch (rule) {
            case ALL_SUCCESS -> prefix + named(upstream, s -> s == TaskStatus.SKIPPED, "was skipped", "were skipped");
            case ALL_FAILED -> prefix + named(upstream, s -> s == TaskStatus.SUCCEEDED || s == TaskStatus.SKIPPED,
                    "did not fail", "did not fail");
            case ONE_FAILED -> prefix + "no upstream task failed";
            default -> prefix + "every upstream task was skipped";
        };
    }

    /** The upstream task blamed for a {@link Verdict#UPSTREAM_FAILED} verdict: the first that counts as failed. */
    public static String failedUpstream(Map<String, TaskStatus> upstream) {
        return upstream.entrySet().stream().filter(e -> countsAsFailed(e.getValue())).map(Map.Entry::getKey)
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no upstream task failed: " + upstream));
    }

    private static String named(Map<String, TaskStatus> upstream, Predicate<TaskStatus> which, String one,
                                String many) {
        List<String> ids = upstream.entrySet().stream().filter(e -> which.test(e.getValue())).map(Map.Entry::getKey)
                .toList();
        return ids.size() == 1 ? "upstream task " + ids.get(0) + " " + one
                : "upstream tasks " + String.join(", ", ids) + " " + many;
    }
}

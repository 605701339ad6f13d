package dev.drover.scheduler.core;

import dev.drover.scheduler.core.SchedulerEvent.RunEvent;
import dev.drover.scheduler.core.SchedulerEvent.TaskDispatched;
import dev.drover.scheduler.core.SchedulerEvent.TaskFailed;
import dev.drover.scheduler.core.SchedulerEvent.TaskFailedFinally;
import dev.drover.scheduler.core.SchedulerEvent.TaskRescheduled;
import dev.drover.scheduler.core.SchedulerEvent.TaskSkipped;
import dev.drover.scheduler.core.SchedulerEvent.TaskSucceeded;
import dev.drover.scheduler.pipeline.Durations;
import dev.drover.scheduler.pipeline.SensorTaskTypes;
import dev.drover.scheduler.pipeline.TaskSpec;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How sensors are decided and how their progress evolves: tasks that wait for a condition without holding an executor
 * slot while they wait (Airflow's sensors in {@code mode="reschedule"}).
 *
 * <p>An executor sensor ({@code wait_for_file}, {@code wait_for_http}, {@code wait_for_event}) is dispatched like any
 * task, but each dispatch is one <em>poke</em>: the executor checks the condition once and reports success, failure,
 * or "not yet" ({@link SchedulerCommand.ReportTaskRescheduled}), which frees its slot. "Not yet" becomes
 * {@link TaskRescheduled} with the next poke due after the sensor's {@code pokeInterval}; a timer then dispatches the
 * same attempt again with the next poke number. Pokes are numbered per task (1, 2, …, across retries), and every report
 * carries the poke it is about, so a report from an earlier poke is stale. A poke that fails (an exception, an
 * unreachable server) is an ordinary failed attempt under the task's retry policy.
 *
 * <p>{@code wait_for_time} is decided by the scheduler alone with a timer; it is never dispatched.
 *
 * <p>A sensor's {@code timeout} is its total waiting time, measured from its first poke and not reset by retries; when
 * a poke finds the condition false at or after that moment the task fails for good ("sensor timed out after …", no
 * retry), or with {@code softFail: true} is skipped. The last poke is scheduled at the deadline itself, so a sensor
 * always gets a final look.
 */
final class Sensors {
    /** How long a sensor waits between pokes unless it sets {@code pokeInterval}. */
    static final Duration DEFAULT_POKE_INTERVAL = SensorTaskTypes.DEFAULT_POKE_INTERVAL;

    private Sensors() {
    }

    /** Whether an executor pokes tasks of this type (one poke per dispatch). */
    static boolean pokedByExecutor(String type) {
        return SensorTaskTypes.EXECUTOR_SENSORS.contains(type);
    }

    /** Whether the scheduler decides tasks of this type itself, without dispatching them. */
    static boolean decidedByScheduler(String type) {
        return SensorTaskTypes.WAIT_FOR_TIME.equals(type);
    }

    /** The poke number of the next dispatch of {@code task}: the next one for a sensor, 0 for any other task. */
    static int nextPoke(TaskSpec spec, TaskState task) {
        return pokedByExecutor(spec.type()) ? task.poke() + 1 : 0;
    }

    /** The config a poke is dispatched with: {@code wait_for_event} gets its default {@code after}, the run's start. */
    static Map<String, Object> dispatchConfig(TaskSpec spec, Map<String, Object> rendered, RunState run) {
        if (SensorTaskTypes.WAIT_FOR_EVENT.equals(spec.type()) && rendered.get("after") == null) {
            Map<String, Object> config = new LinkedHashMap<>(rendered);
            config.put("after", run.startedAt().toString());
            return config;
        }
        return rendered;
    }

    // ---- evolve ---------------------------------------------------------------------------------------------

    static void dispatched(TaskState t, TaskDispatched e) {
        t.poke = e.poke();
        if (e.poke() > 0 && t.waitingSince == null) {
            t.waitingSince = e.at();
        }
        t.rescheduleAt = null;
    }

    static void rescheduled(TaskState t, TaskRescheduled e) {
        t.status = TaskStatus.UP_FOR_RESCHEDULE;
        t.attempt = e.attempt();
        t.poke = e.poke();
        if (t.waitingSince == null) {
            t.waitingSince = e.at();
        }
        t.rescheduleAt = e.nextPokeAt();
        t.executorId = null;
        t.leaseExpiresAt = null;
        t.timeoutAt = null;
        t.retryAt = null;
    }

    // ---- decide ---------------------------------------------------------------------------------------------

    /**
     * A poke found the condition false: the next poke after {@code pokeInterval} (at the latest at the deadline), or,
     * past the deadline, the sensor's timeout.
     */
    static List<RunEvent> notYet(RunState run, TaskState task, TaskSpec spec, int attempt, int poke, String reason,
                                 Instant now) {
        Instant since = task.waitingSince() != null ? task.waitingSince() : now;
        Instant deadline = since.plus(spec.timeout());
        if (!now.isBefore(deadline)) {
            return List.of(timedOut(run, spec, attempt, reason));
        }
        Instant next = now.plus(pokeInterval(spec));
        return List.of(new TaskRescheduled(run.pipelineId(), run.runId(), spec.id(), attempt, poke,
                reason == null || reason.isBlank() ? "condition not met yet" : reason,
                next.isAfter(deadline) ? deadline : next, now));
    }

    /** The sensor gave up: fails for good (no retry), or is skipped with {@code softFail}. */
    static RunEvent timedOut(RunState run, TaskSpec spec, int attempt, String lastReason) {
        String why = "sensor timed out after " + Durations.format(spec.timeout())
                + (lastReason == null || lastReason.isBlank() ? "" : ": " + lastReason);
        if (softFail(spec)) {
            return new TaskSkipped(run.pipelineId(), run.runId(), spec.id(), why + " (softFail: skipped)");
        }
        return new TaskFailedFinally(run.pipelineId(), run.runId(), spec.id(), attempt, why);
    }

    /**
     * Decides a {@code wait_for_time} sensor at {@code now}: succeeded once its moment has come, timed out past its
     * deadline, else rescheduled for its moment (or its deadline, whichever is first).
     */
    static List<RunEvent> waitForTime(RunState run, TaskState task, TaskSpec spec, Map<String, Object> config,
                                      int attempt, Instant now) {
        Instant target;
        try {
            target = target(config, run.startedAt());
        } catch (IllegalArgumentException e) {
            // The same rendered value would be wrong on every retry: fail for good, as for a broken template.
            String message = "wait_for_time: " + e.getMessage();
            return List.of(new TaskFailed(run.pipelineId(), run.runId(), spec.id(), attempt, message, null, now),
                    new TaskFailedFinally(run.pipelineId(), run.runId(), spec.id(), attempt, message));
        }
        if (!now.isBefore(target)) {
            Map<String, Object> outputs = new LinkedHashMap<>();
            outputs.put("until", target.toString());
            outputs.put("checked_at", now.toString());
            return List.of(new TaskSucceeded(run.pipelineId(), run.runId(), spec.id(), attempt, outputs, now));
        }
        Instant since = task.waitingSince() != null ? task.waitingSince() : now;
        Instant deadline = since.plus(spec.timeout());
        String reason = "waiting until " + target;
        if (!now.isBefore(deadline)) {
            return List.of(timedOut(run, spec, attempt, reason));
        }
        return List.of(new TaskRescheduled(run.pipelineId(), run.runId(), spec.id(), attempt, 0, reason,
                target.isBefore(deadline) ? target : deadline, now));
    }

    /** The moment a {@code wait_for_time} waits for: {@code until}, or the run's start plus {@code delay}. */
    static Instant target(Map<String, Object> config, Instant runStartedAt) {
        Object until = config.get("until");
        Object delay = config.get("delay");
        if (until != null) {
            String text = String.valueOf(until).strip();
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("until `" + text + "` is not a date and time with an offset; "
                        + "write e.g. 2030-01-31T06:00:00Z or 2030-01-31T07:00:00+01:00");
            }
        }
        if (delay != null) {
            String text = String.valueOf(delay).strip();
            java.util.Optional<Duration> d = Durations.parse(text).value();
            if (d.isEmpty()) {
                throw new IllegalArgumentException("delay `" + text + "` is not a duration; " + Durations.HELP);
            }
            return runStartedAt.plus(d.get());
        }
        throw new IllegalArgumentException("needs `until` (a date and time) or `delay` (a duration after the run start)");
    }

    static Duration pokeInterval(TaskSpec spec) {
        return SensorTaskTypes.pokeInterval(spec.config());
    }

    static boolean softFail(TaskSpec spec) {
        return Boolean.TRUE.equals(spec.config().get("softFail"));
    }
}

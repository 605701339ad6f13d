package dev.drover.executor.task;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** How an attempt ended. Exactly one is decided per attempt. */
public sealed interface TaskResult {

    /**
     * The task did its work.
     *
     * @param outputs what the task declared as outputs: JSON values (String, Long, Double, Boolean, List, Map, null)
     */
    record Succeeded(Map<String, Object> outputs) implements TaskResult {
        public Succeeded {
            // Not Map.copyOf: JSON null is a legal output value.
            outputs = outputs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
        }
    }

    /**
     * The task failed, or could not be run.
     *
     * @param message  what went wrong, for people
     * @param exitCode the process exit code, or {@code null} when there was no process or it had no say
     */
    record Failed(String message, Integer exitCode) implements TaskResult {
        public Failed {
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * The task ran longer than its timeout and was stopped.
     *
     * @param after the timeout that was exceeded
     */
    record TimedOut(Duration after) implements TaskResult {
        public TimedOut {
            Objects.requireNonNull(after, "after");
        }
    }

    /**
     * The task was stopped on request.
     *
     * @param reason why it was stopped, as given to {@link RunningTask#cancel(String)}
     */
    record Canceled(String reason) implements TaskResult {
        public Canceled {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * A sensor's poke found its condition false: the poke is over (the slot is freed) and the scheduler pokes again
     * after the sensor's poke interval. Only sensors end this way.
     *
     * @param reason what the sensor is still waiting for, in a sentence
     */
    record NotYet(String reason) implements TaskResult {
        public NotYet {
            Objects.requireNonNull(reason, "reason");
        }
    }
}

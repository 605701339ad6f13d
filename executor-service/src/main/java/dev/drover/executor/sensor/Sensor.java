package dev.drover.executor.sensor;

import dev.drover.executor.task.LogSink;
import dev.drover.executor.task.TaskInvocation;
import dev.drover.executor.task.TaskResult;

/**
 * One kind of sensor: checks its condition once per dispatch (one <em>poke</em>) and answers at once, so that the
 * executor slot is free again while the sensor waits (see {@code docs/sensors.md}).
 */
interface Sensor {

    /** The task type, e.g. {@code wait_for_file}. */
    String type();

    /**
     * Checks the condition once.
     *
     * @return {@link TaskResult.Succeeded} with what was found when the condition holds, {@link TaskResult.NotYet}
     *         saying what is missing when it does not (yet)
     * @throws SensorException when the poke itself fails (bad config, unreachable server): an ordinary failure that
     *                         the task's retry policy handles
     */
    TaskResult poke(TaskInvocation inv, LogSink logs) throws SensorException, InterruptedException;

    /** A poke that could not look: the message says what went wrong and what to change. */
    final class SensorException extends Exception {
        SensorException(String message) {
            super(message);
        }

        SensorException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

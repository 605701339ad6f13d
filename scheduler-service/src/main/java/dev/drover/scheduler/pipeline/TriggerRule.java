package dev.drover.scheduler.pipeline;

import java.util.Locale;

/**
 * When a task with dependencies may run, judged from its upstream tasks' final statuses (Airflow's trigger rules,
 * same names in the pipeline format: {@code triggerRule: none_failed}). See {@code docs/pipelines.md}.
 */
public enum TriggerRule {
    ALL_SUCCESS, ALL_FAILED, ALL_DONE, ONE_SUCCESS, ONE_FAILED, NONE_FAILED, NONE_FAILED_MIN_ONE_SUCCESS, ALWAYS;

    /** The name in the pipeline format, e.g. {@code none_failed_min_one_success}. */
    public String formatName() {
        return name().toLowerCase(Locale.ROOT);
    }
}

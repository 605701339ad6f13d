package dev.drover.monitor.core;

/** What an alert is about. */
public enum AlertKind {
    /** A drift report found the dataset drifted and a retrain was requested. */
    DRIFT,
    /** A version's performance first fell below its baseline by more than the policy allows. */
    DEGRADATION,
    /** A rollback of the champion was requested. */
    ROLLBACK,
    /** A pipeline run the monitor cares about failed. */
    RUN_FAILED,
    /** A retraining run's challenger was not better than the champion on the evaluation: the champion stays. */
    RETRAIN_DECLINED
}

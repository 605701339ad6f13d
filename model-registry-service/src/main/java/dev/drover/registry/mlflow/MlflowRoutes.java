package dev.drover.registry.mlflow;

/**
 * Where the MLflow-compatible API lives: MLflow's REST prefix {@code /api/2.0/mlflow}, and {@code /ajax-api/2.0/mlflow},
 * the prefix MLflow's web UI calls, so that both kinds of client find the registry under the paths they know.
 */
public final class MlflowRoutes {
    public static final String API_PREFIX = "/api/2.0/mlflow";
    public static final String AJAX_API_PREFIX = "/ajax-api/2.0/mlflow";

    private MlflowRoutes() {
    }
}

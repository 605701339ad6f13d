package dev.drover.registry.mlflow;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The body of every error on the MLflow routes, in MLflow's shape: {@code {"error_code": "...", "message": "..."}}.
 * MLflow clients read {@code error_code} to decide what went wrong (and, for {@code ENDPOINT_NOT_FOUND}, whether to
 * try another endpoint), so it must be one of MLflow's names.
 */
@Serdeable
public record MlflowError(@JsonProperty("error_code") String errorCode, @JsonProperty("message") String message) {

    public static MlflowError of(MlflowErrorCode code, String message) {
        return new MlflowError(code.name(), message);
    }
}

package dev.drover.registry.mlflow;

import io.micronaut.http.HttpStatus;

/**
 * The MLflow error codes the MLflow-compatible API answers with (MLflow's {@code databricks.proto} names), each with
 * its HTTP status.
 *
 * <p>Two statuses differ from MLflow's own server on purpose: {@link #INVALID_STATE} is 400 here (MLflow answers 500,
 * which its Python client retries for minutes before giving up), and {@link #NOT_IMPLEMENTED} names the operations
 * the event-sourced registry refuses by design (renames and deletes).
 */
public enum MlflowErrorCode {
    INVALID_PARAMETER_VALUE(HttpStatus.BAD_REQUEST),
    BAD_REQUEST(HttpStatus.BAD_REQUEST),
    RESOURCE_ALREADY_EXISTS(HttpStatus.BAD_REQUEST),
    INVALID_STATE(HttpStatus.BAD_REQUEST),
    PERMISSION_DENIED(HttpStatus.FORBIDDEN),
    UNAUTHENTICATED(HttpStatus.UNAUTHORIZED),
    RESOURCE_DOES_NOT_EXIST(HttpStatus.NOT_FOUND),
    ENDPOINT_NOT_FOUND(HttpStatus.NOT_FOUND),
    REQUEST_LIMIT_EXCEEDED(HttpStatus.TOO_MANY_REQUESTS),
    INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR),
    NOT_IMPLEMENTED(HttpStatus.NOT_IMPLEMENTED),
    TEMPORARILY_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE);

    private final HttpStatus status;

    MlflowErrorCode(HttpStatus status) {
        this.status = status;
    }

    public HttpStatus status() {
        return status;
    }
}

package dev.drover.registry.mlflow;

import java.util.Objects;

/**
 * A request on the MLflow routes that cannot be answered, with the MLflow error code and a sentence that says what
 * was wrong and how to fix it. {@link MlflowErrorHandler} turns it into an {@link MlflowError} response.
 */
public final class MlflowException extends RuntimeException {
    private final MlflowErrorCode code;

    public MlflowException(MlflowErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public MlflowErrorCode code() {
        return code;
    }

    public MlflowError body() {
        return MlflowError.of(code, getMessage());
    }

    public static MlflowException invalidParameter(String message) {
        return new MlflowException(MlflowErrorCode.INVALID_PARAMETER_VALUE, message);
    }

    public static MlflowException notFound(String message) {
        return new MlflowException(MlflowErrorCode.RESOURCE_DOES_NOT_EXIST, message);
    }

    /** MLflow's message for a required parameter that is absent or empty. */
    public static MlflowException missing(String parameter) {
        return invalidParameter("Missing value for required parameter '" + parameter + "'. See the API docs for more "
                + "information about request parameters.");
    }
}

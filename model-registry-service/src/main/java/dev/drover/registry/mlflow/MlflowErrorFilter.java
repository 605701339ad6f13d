package dev.drover.registry.mlflow;

import dev.drover.platform.http.ApiError;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Gives every error on the MLflow routes MLflow's body, whoever produced it: the framework's own answers (no such
 * route, wrong method, unsupported media type, unreadable body), which the platform renders as Drover's
 * {@link ApiError}, and unexpected failures. MLflow clients only understand {@code {"error_code", "message"}}; in
 * particular the Python client falls back from one endpoint to the next only on {@code ENDPOINT_NOT_FOUND}.
 * Errors on every other route keep Drover's body: this filter only matches the MLflow prefixes.
 */
@ServerFilter({MlflowRoutes.API_PREFIX + "/**", MlflowRoutes.AJAX_API_PREFIX + "/**"})
@Requires(property = "drover.registry.enabled", value = "true")
public class MlflowErrorFilter implements Ordered {

    /** Outermost: it must also see the answers of filters that refuse a request before any controller runs. */
    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE;
    }

    @ResponseFilter
    public void toMlflowShape(HttpRequest<?> request, MutableHttpResponse<?> response) {
        HttpStatus status = response.getStatus();
        if (status.getCode() < 400 || response.getBody().orElse(null) instanceof MlflowError) {
            return;
        }
        String detail = response.getBody(ApiError.class).map(ApiError::message).orElse(status.getReason());
        MlflowError body = translate(request, status, detail);
        @SuppressWarnings("unchecked")
        MutableHttpResponse<Object> out = (MutableHttpResponse<Object>) response;
        out.status(MlflowErrorCode.valueOf(body.errorCode()).status());
        out.contentType(MediaType.APPLICATION_JSON_TYPE);
        out.body(body);
    }

    /** The MLflow error for a framework answer with this status; {@code detail} is the framework's message. */
    static MlflowError translate(HttpRequest<?> request, HttpStatus status, String detail) {
        String call = request.getMethodName() + " " + request.getPath();
        if (status == HttpStatus.NOT_FOUND || status == HttpStatus.METHOD_NOT_ALLOWED) {
            return MlflowError.of(MlflowErrorCode.ENDPOINT_NOT_FOUND, "No MLflow endpoint " + call
                    + ". See docs/mlflow-compatibility.md for the supported endpoints and their methods.");
        }
        if (status == HttpStatus.UNSUPPORTED_MEDIA_TYPE) {
            return MlflowError.of(MlflowErrorCode.INVALID_PARAMETER_VALUE,
                    "Bad Request. Content-Type must be one of ['application/json'].");
        }
        if (status == HttpStatus.UNAUTHORIZED) {
            return MlflowError.of(MlflowErrorCode.UNAUTHENTICATED, detail);
        }
        if (status == HttpStatus.FORBIDDEN) {
            return MlflowError.of(MlflowErrorCode.PERMISSION_DENIED, detail);
        }
        if (status == HttpStatus.SERVICE_UNAVAILABLE) {
            return MlflowError.of(MlflowErrorCode.TEMPORARILY_UNAVAILABLE, detail);
        }
        if (status.getCode() >= 500) {
            return MlflowError.of(MlflowErrorCode.INTERNAL_ERROR, "Internal error while handling " + call + ": "
                    + detail + ". Retry later; if it persists, read the model-registry service log.");
        }
        return MlflowError.of(MlflowErrorCode.INVALID_PARAMETER_VALUE, "Bad request to " + call + ": " + detail
                + ". Send the parameters as a JSON object (POST, PATCH, DELETE) or as a query string (GET).");
    }
}

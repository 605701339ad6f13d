package dev.drover.registry.mlflow;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** Answers an {@link MlflowException} with its MLflow status and {@link MlflowError} body. */
@Produces
@Singleton
@Requires(property = "drover.registry.enabled", value = "true")
public class MlflowErrorHandler implements ExceptionHandler<MlflowException, HttpResponse<MlflowError>> {

    @Override
    public HttpResponse<MlflowError> handle(HttpRequest request, MlflowException exception) {
        return HttpResponse.<MlflowError>status(exception.code().status()).body(exception.body());
    }
}

package dev.drover.executor.registrytask;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.drover.executor.task.TaskInvocation;
import dev.drover.platform.security.ServiceAuthorization;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The HTTP part of registry tasks, kept thin: one POST with the attempt's principal and idempotency key. What the
 * answer means is {@link RegistryProtocol}'s business.
 */
final class RegistryClient {
    private final URI baseUrl;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final ServiceAuthorization authorization;

    RegistryClient(URI baseUrl, Duration connectTimeout, Duration requestTimeout) {
        this(baseUrl, connectTimeout, requestTimeout, ServiceAuthorization.NONE);
    }

    RegistryClient(URI baseUrl, Duration connectTimeout, Duration requestTimeout,
                   ServiceAuthorization authorization) {
        this.baseUrl = baseUrl;
        this.authorization = authorization;
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    URI baseUrl() {
        return baseUrl;
    }

    URI url(RegistryRequest request) {
        return RegistryProtocol.url(baseUrl, request.path());
    }

    /** Sends {@code request} for attempt {@code inv}; the future fails only when no answer came. */
    CompletableFuture<HttpResponse<String>> post(RegistryRequest request, TaskInvocation inv) {
        String body;
        try {
            body = RegistryProtocol.JSON.writeValueAsString(request.body());
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(e);
        }
        HttpRequest http = authorization.apply(HttpRequest.newBuilder(url(request)))
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header(RegistryProtocol.PRINCIPAL_HEADER, RegistryProtocol.principal(inv))
                .header(RegistryProtocol.IDEMPOTENCY_HEADER, RegistryProtocol.idempotencyKey(inv))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return this.http.sendAsync(http, HttpResponse.BodyHandlers.ofString());
    }
}

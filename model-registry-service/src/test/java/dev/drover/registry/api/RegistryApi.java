package dev.drover.registry.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drover.embedded.TestInfrastructure;
import dev.drover.registry.RegistryApplication;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.drover.platform.kafka.Topics.ensureTopics;

/**
 * The registry service on the shared test broker and a fresh PostgreSQL database, with a plain HTTP client. Its
 * decision loop joins the registry's consumer group: close it at the end of the test class, so that the next
 * class's loop gets every partition.
 */
final class RegistryApi implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final EmbeddedServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    /** An answer: the status and the body as JSON (a missing node when there is none). */
    record Answer(int status, JsonNode body) {
        String error() {
            return body.path("error").asText();
        }
    }

    RegistryApi(Map<String, Object> overrides) {
        String bootstrap = TestInfrastructure.kafkaBootstrap();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            ensureTopics(admin, 3, (short) 1);
        }
        Map<String, Object> p = new LinkedHashMap<>(RegistryApplication.defaults());
        String url = TestInfrastructure.newDatabase("registry_api");
        // as in production: Flyway creates the registry schema, the pool reads and writes there
        p.put("datasources.registry.url", url + (url.contains("?") ? "&" : "?") + "currentSchema=registry");
        p.put("datasources.registry.username", TestInfrastructure.postgresUser());
        p.put("datasources.registry.password", TestInfrastructure.postgresPassword());
        p.put("drover.kafka.bootstrap-servers", bootstrap);
        p.put("drover.kafka.partitions", 3);
        p.put("drover.registry.instance-id", "registry-api-test");
        p.put("micronaut.server.port", -1);
        // this harness tests the service, not access (standalone's AccessApiTest does): no identities needed
        p.put("drover.security.enabled", false);
        p.putAll(overrides);
        server = ApplicationContext.run(EmbeddedServer.class, p);
    }

    ApplicationContext context() {
        return server.getApplicationContext();
    }

    Answer get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), null, null);
    }

    Answer post(String path, Object body) {
        return post(path, body, null, null);
    }

    Answer post(String path, Object body, String principal, String idempotencyKey) {
        return send(HttpRequest.newBuilder(uri(path)).POST(publisher(body)), principal, idempotencyKey);
    }

    Answer put(String path, Object body) {
        return put(path, body, null, null);
    }

    Answer put(String path, Object body, String principal, String idempotencyKey) {
        return send(HttpRequest.newBuilder(uri(path)).PUT(publisher(body)), principal, idempotencyKey);
    }

    Answer patch(String path, Object body) {
        return send(HttpRequest.newBuilder(uri(path)).method("PATCH", publisher(body)), null, null);
    }

    Answer delete(String path) {
        return delete(path, null);
    }

    Answer delete(String path, String principal) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE(), principal, null);
    }

    /** Sends raw bytes as they are, with this content type (null: none); the path is used as written. */
    Answer raw(String method, String path, byte[] body, String contentType) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = r.body() == null || r.body().isBlank() ? JSON.missingNode() : JSON.readTree(r.body());
            return new Answer(r.statusCode(), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String path) {
        return URI.create(server.getURI() + path);
    }

    private static HttpRequest.BodyPublisher publisher(Object body) {
        if (body == null) {
            return HttpRequest.BodyPublishers.noBody();
        }
        try {
            return HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Answer send(HttpRequest.Builder request, String principal, String idempotencyKey) {
        request.header("Content-Type", "application/json");
        if (principal != null) {
            request.header(RegistryWrites.PRINCIPAL_HEADER, principal);
        }
        if (idempotencyKey != null) {
            request.header(RegistryWrites.IDEMPOTENCY_HEADER, idempotencyKey);
        }
        try {
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = r.body() == null || r.body().isBlank() ? JSON.missingNode() : JSON.readTree(r.body());
            return new Answer(r.statusCode(), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}

package dev.drover.monitor.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drover.embedded.TestInfrastructure;
import dev.drover.monitor.MonitorApplication;
import dev.drover.monitor.MonitorRuntime;
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
 * The monitor service on the shared test broker and a fresh PostgreSQL database, with a plain HTTP client. Its
 * decision loop joins the monitor's consumer group: close it at the end of the test class, so that the next
 * class's loop gets every partition.
 */
final class MonitorApi implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final EmbeddedServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    /** An answer: the status and the body as JSON (a missing node when there is none). */
    record Answer(int status, JsonNode body) {
        String error() {
            return body.path("error").asText();
        }
    }

    MonitorApi(Map<String, Object> overrides) {
        String bootstrap = TestInfrastructure.kafkaBootstrap();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            ensureTopics(admin, 3, (short) 1);
        }
        Map<String, Object> p = new LinkedHashMap<>(MonitorApplication.defaults());
        String url = TestInfrastructure.newDatabase("monitor_api");
        // as in production: Flyway creates the monitor schema, the pool reads and writes there
        p.put("datasources.monitor.url", url + (url.contains("?") ? "&" : "?") + "currentSchema=monitor");
        p.put("datasources.monitor.username", TestInfrastructure.postgresUser());
        p.put("datasources.monitor.password", TestInfrastructure.postgresPassword());
        p.put("drover.kafka.bootstrap-servers", bootstrap);
        p.put("drover.kafka.partitions", 3);
        p.put("drover.monitor.instance-id", "monitor-api-test");
        p.put("micronaut.server.port", -1);
        // this harness tests the service, not access (standalone's AccessApiTest does): no identities needed
        p.put("drover.security.enabled", false);
        p.putAll(overrides);
        server = ApplicationContext.run(EmbeddedServer.class, p);
    }

    ApplicationContext context() {
        return server.getApplicationContext();
    }

    MonitorRuntime runtime() {
        return context().getBean(MonitorRuntime.class);
    }

    Answer get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), null);
    }

    Answer post(String path, Object body) {
        return send(HttpRequest.newBuilder(uri(path)).POST(publisher(body)), null);
    }

    Answer put(String path, Object body, String principal) {
        return send(HttpRequest.newBuilder(uri(path)).PUT(publisher(body)), principal);
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

    private Answer send(HttpRequest.Builder request, String principal) {
        request.header("Content-Type", "application/json");
        if (principal != null) {
            request.header(MonitorWrites.PRINCIPAL_HEADER, principal);
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

package dev.drover.registry.mlflow;

import dev.drover.embedded.TestInfrastructure;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The whole model-registry service on free ports for client tests: the decision loop and projector on the shared
 * test broker, the read model in a fresh database of the shared test PostgreSQL, and the HTTP server.
 */
final class RegistryService implements AutoCloseable {
    private final EmbeddedServer server;

    RegistryService(String name) {
        this(name, TestInfrastructure.newDatabase(name));
    }

    /** The service with its read model in the database at {@code jdbcUrl} (migrated if it is not yet). */
    RegistryService(String name, String url) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("drover.registry.instance-id", uniquePrefix(name));
        p.put("micronaut.server.port", -1);
        p.put("drover.registry.enabled", true);
        p.put("drover.kafka.bootstrap-servers", TestInfrastructure.kafkaBootstrap());
        p.put("datasources.registry.url", url);
        p.put("datasources.registry.username", TestInfrastructure.postgresUser());
        p.put("datasources.registry.password", TestInfrastructure.postgresPassword());
        p.put("datasources.registry.driver-class-name", "org.postgresql.Driver");
        p.put("flyway.datasources.registry.enabled", true);
        p.put("flyway.datasources.registry.locations", "classpath:db/registry");
        server = ApplicationContext.run(EmbeddedServer.class, p);
    }

    /** The base URL, e.g. {@code http://localhost:41234}: what MLflow clients take as tracking URI. */
    String url() {
        return "http://localhost:" + server.getPort();
    }

    /** A prefix that keeps this run's model names apart from other runs' on the shared broker. */
    static String uniquePrefix(String hint) {
        return hint + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Override
    public void close() {
        server.close();
    }
}

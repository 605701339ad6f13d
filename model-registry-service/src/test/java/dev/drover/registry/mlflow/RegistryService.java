package dev.drover.registry.mlflow;

import dev.drover.embedded.TestInfrastructure;
import dev.drover.platform.security.ApiTokens;
import dev.drover.platform.security.Grant;
import dev.drover.platform.security.IdentityRuntime;
import dev.drover.platform.security.PasswordHasher;
import dev.drover.platform.security.Role;
import dev.drover.platform.security.identity.AccountKind;
import dev.drover.platform.security.identity.IdentityCommand;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The whole model-registry service on free ports for client tests: the decision loop and projector on the shared
 * test broker, the read model in a fresh database of the shared test PostgreSQL, and the HTTP server.
 */
final class RegistryService implements AutoCloseable {
    private final EmbeddedServer server;

    RegistryService(String name) {
        this(name, TestInfrastructure.newDatabase(name), false);
    }

    /** The service with security on (the default outside tests): callers need accounts and tokens. */
    static RegistryService secured(String name) {
        return new RegistryService(name, TestInfrastructure.newDatabase(name), true);
    }

    /** The service with its read model in the database at {@code jdbcUrl} (migrated if it is not yet). */
    RegistryService(String name, String url) {
        this(name, url, false);
    }

    private RegistryService(String name, String url, boolean secured) {
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
        // most client tests are about the MLflow API, not access: MlflowPythonClientTest runs secured
        p.put("drover.security.enabled", secured);
        p.put("drover.security.instance-id", uniquePrefix(name));
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

    /**
     * Creates an account with these roles (and {@code password}, if not null) and returns a new API token of it,
     * through the identity loop like the admin API does.
     */
    String account(String account, String password, Role... roles) throws Exception {
        IdentityRuntime identities = server.getApplicationContext().getBean(IdentityRuntime.class);
        PasswordHasher hasher = server.getApplicationContext().getBean(PasswordHasher.class);
        String id = UUID.randomUUID().toString();
        identities.gateway().send(new IdentityCommand.CreateAccount(id, account,
                password == null ? AccountKind.SERVICE : AccountKind.PERSON,
                password == null ? null : hasher.hash(password), "test"), null).get(30, TimeUnit.SECONDS);
        for (Role role : roles) {
            identities.gateway().send(new IdentityCommand.GrantRole(UUID.randomUUID().toString(), account,
                    Grant.of(role), "test"), null).get(30, TimeUnit.SECONDS);
        }
        ApiTokens.Issued token = ApiTokens.issue();
        identities.gateway().send(new IdentityCommand.IssueToken(UUID.randomUUID().toString(), token.id(), account,
                token.secretHash(), null, "test", "test"), null).get(30, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (identities.identities().token(token.id()).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return token.token();
    }

    @Override
    public void close() {
        server.close();
    }
}

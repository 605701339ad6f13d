package dev.drover.platform.security;

import dev.drover.platform.security.identity.AccountKind;
import dev.drover.platform.security.identity.IdentityCommand;
import dev.drover.platform.security.identity.IdentityEvent;
import dev.drover.platform.security.identity.loop.IdentityGateway;
import dev.drover.platform.security.identity.loop.IdentityView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The first start of a secured Drover: when there is no account yet, it creates {@value #ADMIN} (an admin, with a
 * random password and an API token) and {@value #SYSTEM} (the service account the services call each other with),
 * and writes their secrets to {@code admin-password}, {@code admin-token} and {@code service-token} in the bootstrap
 * directory, readable by their owner only. The services keep only hashes, in the identity events.
 *
 * <p>Crash-safe: the files are written first (atomically) and reused if found, and the commands have fixed ids, so
 * a start that died half-way is completed by the next one with the same secrets.
 */
final class SecurityBootstrap {
    static final String ADMIN = "admin";
    static final String SYSTEM = "drover-system";
    static final String BY = "drover-bootstrap";
    private static final Logger LOG = LoggerFactory.getLogger(SecurityBootstrap.class);
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final java.util.function.Supplier<IdentityGateway> gateway;
    private final IdentityView view;
    private final PasswordHasher passwords;
    private final Duration timeout;

    SecurityBootstrap(Path dir, java.util.function.Supplier<IdentityGateway> gateway, IdentityView view,
                      PasswordHasher passwords,
                      Duration timeout) {
        this.dir = dir;
        this.gateway = gateway;
        this.view = view;
        this.passwords = passwords;
        this.timeout = timeout;
    }

    void run() {
        if (view.current().account(ADMIN).isPresent() && view.current().account(SYSTEM).isPresent()) {
            return;
        }
        if (!view.current().accounts().isEmpty() && view.current().account(ADMIN).isEmpty()) {
            return; // someone set Drover up by other means; do not add an admin behind their back
        }
        String password = secret("admin-password", () -> randomPassword());
        ApiTokens.Presented admin = ApiTokens.parse(secret("admin-token", () -> ApiTokens.issue().token()))
                .orElseThrow(() -> new IllegalStateException(dir.resolve("admin-token") + " is not a Drover token"));
        ApiTokens.Presented system = ApiTokens.parse(secret("service-token", () -> ApiTokens.issue().token()))
                .orElseThrow(() -> new IllegalStateException(dir.resolve("service-token") + " is not a Drover token"));
        send(new IdentityCommand.CreateAccount("bootstrap-admin", ADMIN, AccountKind.PERSON, passwords.hash(password),
                BY));
        send(new IdentityCommand.GrantRole("bootstrap-admin-role", ADMIN, Grant.of(Role.ADMIN), BY));
        send(new IdentityCommand.IssueToken("bootstrap-admin-token", admin.id(), ADMIN, ApiTokens.hash(admin.secret()),
                null, "created at the first start", BY));
        send(new IdentityCommand.CreateAccount("bootstrap-system", SYSTEM, AccountKind.SERVICE, null, BY));
        send(new IdentityCommand.GrantRole("bootstrap-system-operator", SYSTEM, Grant.of(Role.OPERATOR), BY));
        send(new IdentityCommand.GrantRole("bootstrap-system-models", SYSTEM, Grant.of(Role.MODEL_MAINTAINER), BY));
        send(new IdentityCommand.IssueToken("bootstrap-system-token", system.id(), SYSTEM,
                ApiTokens.hash(system.secret()), null, "the services' own calls", BY));
        LOG.info("first start: created the account '{}' (an admin); its password is in {} and an API token in {}",
                ADMIN, dir.resolve("admin-password"), dir.resolve("admin-token"));
    }

    private void send(IdentityCommand command) {
        try {
            List<IdentityEvent> events = gateway.get().send(command, "bootstrap").get(timeout.toMillis(),
                    TimeUnit.MILLISECONDS);
            for (IdentityEvent e : events) {
                if (e instanceof IdentityEvent.IdentityCommandRejected r && !r.code().equals("account_exists")
                        && !r.code().equals("token_exists")) {
                    throw new IllegalStateException("could not set up the first admin: " + r.code() + ": "
                            + r.message());
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not set up the first admin: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while setting up the first admin", e);
        }
    }

    private String secret(String name, java.util.function.Supplier<String> create) {
        return OwnerOnlyFiles.readOrCreate(dir.resolve(name), create);
    }

    private static String randomPassword() {
        StringBuilder s = new StringBuilder(24);
        for (int i = 0; i < 24; i++) {
            s.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return s.toString();
    }
}

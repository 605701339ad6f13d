package dev.drover.platform.security.secrets;

import dev.drover.platform.security.IdentityRuntime;
import dev.drover.platform.security.OwnerOnlyFiles;
import dev.drover.platform.security.SecuritySettings;
import dev.drover.platform.security.identity.Secret;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The secrets of this service instance: which exist (from the identity events every instance reads), and, where the
 * secret key is configured, their values. The scheduler only asks whether a name exists (a pipeline referring to an
 * unknown secret is refused); the admin API seals values; executors open them for the attempt that needs them. The
 * key is read once, when first needed: from {@code drover.security.secret-key}, the file
 * {@code drover.security.secret-key-file}, or {@code secret-key} in the bootstrap directory (created there at the
 * start if it is missing, owner-only, like the admin's files, so that executors can be given it).
 */
@Context
@Requires(property = "drover.security.enabled", notEquals = "false")
public class SecretStore implements SecretValues {
    private final IdentityRuntime identities;
    private final SecuritySettings settings;
    private volatile SecretBox box;

    public SecretStore(IdentityRuntime identities, SecuritySettings settings) {
        this.identities = identities;
        this.settings = settings;
        if (defaultKeyFile() != null) {
            // at the start, not at the first secret: other services and executors may be given this file to read
            OwnerOnlyFiles.readOrCreate(defaultKeyFile(), () -> Base64.getEncoder().encodeToString(SecretBox.newKey()));
        }
    }

    /** {@code secret-key} in the bootstrap directory, when no key is configured otherwise; else null. */
    private Path defaultKeyFile() {
        boolean configured = (settings.getSecretKey() != null && !settings.getSecretKey().isBlank())
                || settings.getSecretKeyFile() != null;
        return configured || settings.getBootstrapDir() == null ? null
                : settings.getBootstrapDir().resolve("secret-key");
    }

    /** The names of every secret. */
    public Set<String> names() {
        return identities.identities().secrets().keySet();
    }

    public Optional<Secret> secret(String name) {
        return identities.identities().secret(name);
    }

    /** The key, or why this service has none. */
    public SecretBox box() throws SecretUnavailable {
        SecretBox b = box;
        if (b == null) {
            synchronized (this) {
                if (box == null) {
                    box = new SecretBox(loadKey());
                }
                b = box;
            }
        }
        return b;
    }

    @Override
    public Map<String, String> reveal(Collection<String> names) throws SecretUnavailable {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : names) {
            Secret s = secret(name).orElseThrow(() -> new SecretUnavailable("secret '" + name + "' does not exist "
                    + "(it was deleted after the pipeline was registered); an admin can set it again with "
                    + "PUT /api/v1/admin/secrets/" + name));
            out.put(name, box().open(name, s.keyId(), s.sealed()));
        }
        return out;
    }

    private byte[] loadKey() throws SecretUnavailable {
        String encoded = settings.getSecretKey();
        String source = "drover.security.secret-key";
        if (encoded == null || encoded.isBlank()) {
            Path file = settings.getSecretKeyFile();
            if (file != null) {
                source = file.toString();
                try {
                    encoded = Files.readString(file).trim();
                } catch (IOException e) {
                    throw new SecretUnavailable("this service cannot read its secret key file " + file + " ("
                            + e.getClass().getSimpleName() + "); check drover.security.secret-key-file");
                }
            } else if (defaultKeyFile() != null) {
                Path created = defaultKeyFile();
                source = created.toString();
                encoded = OwnerOnlyFiles.readOrCreate(created,
                        () -> Base64.getEncoder().encodeToString(SecretBox.newKey()));
            } else {
                throw new SecretUnavailable("this service has no secret key; set drover.security.secret-key-file "
                        + "(DROVER_SECURITY_SECRET_KEY_FILE) to the key every service shares (docs/security.md)");
            }
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new SecretUnavailable("the secret key in " + source + " is not base64");
        }
        if (key.length != SecretBox.KEY_BYTES) {
            throw new SecretUnavailable("the secret key in " + source + " is " + key.length + " bytes; it must be "
                    + SecretBox.KEY_BYTES + " (e.g. head -c 32 /dev/urandom | base64)");
        }
        return key;
    }
}

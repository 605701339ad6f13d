package dev.drover.platform.security;

import jakarta.inject.Singleton;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;

/**
 * The {@code Authorization} value a service sends when it calls another Drover service (an executor's registry task,
 * the monitor reading reference statistics): its service account's token, from {@code drover.security.service-token}
 * or the file {@code drover.security.service-token-file}. The file is read when first needed, because the standalone
 * writes it at its first start, after the beans that call out were built.
 */
@Singleton
public class ServiceCredentials {
    private final SecuritySettings settings;
    private volatile String cached;

    public ServiceCredentials(SecuritySettings settings) {
        this.settings = settings;
    }

    /** {@code Bearer <token>}, or nothing when no token is configured (security off, or a misconfiguration). */
    public Optional<String> authorization() {
        String token = cached;
        if (token == null) {
            token = settings.getServiceToken();
            if ((token == null || token.isBlank()) && settings.getServiceTokenFile() != null) {
                try {
                    token = Files.readString(settings.getServiceTokenFile()).trim();
                } catch (IOException e) {
                    token = null;
                }
            }
            if (token == null || token.isBlank()) {
                return Optional.empty();
            }
            cached = token;
        }
        return Optional.of("Bearer " + token);
    }
}

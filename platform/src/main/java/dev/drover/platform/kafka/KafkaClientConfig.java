package dev.drover.platform.kafka;

import org.apache.kafka.clients.CommonClientConfigs;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client properties every Kafka client Drover creates (producers, consumers, share consumers, admin clients)
 * gets besides its own: typically {@code security.protocol}, {@code sasl.mechanism}, {@code sasl.jaas.config} and the
 * {@code ssl.*} trust store, so that one setting per service secures all of its connections to the brokers.
 *
 * <p>They are held per bootstrap-servers string because that string is all every place that creates a client has
 * (the loops, logs and views are built from it, not from the service's configuration); {@link KafkaSettings} registers
 * them when the service's configuration is bound, before any client is made. A bootstrap with nothing registered
 * gets exactly the plain configuration Drover has always used.
 *
 * <p>The extra properties never override what the call site sets itself (serializers, group ids, isolation level,
 * transactional ids): those are how Drover works, not how it connects. They are applied first, then the call site's
 * own settings, then {@code bootstrap.servers}.
 */
public final class KafkaClientConfig {
    private static final Map<String, Map<String, String>> EXTRA = new ConcurrentHashMap<>();

    private KafkaClientConfig() {
    }

    /**
     * Makes every client created for {@code bootstrapServers} from now on get {@code properties}; replaces what was
     * registered for it before, and an empty map forgets it (the last configuration bound for a bootstrap wins).
     */
    public static void register(String bootstrapServers, Map<String, String> properties) {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        if (properties == null || properties.isEmpty()) {
            EXTRA.remove(bootstrapServers);
        } else {
            EXTRA.put(bootstrapServers, Map.copyOf(properties));
        }
    }

    /** Forgets what was registered for {@code bootstrapServers}. */
    public static void unregister(String bootstrapServers) {
        EXTRA.remove(bootstrapServers);
    }

    /** What clients of {@code bootstrapServers} get besides their own settings (empty if nothing is registered). */
    public static Map<String, String> extra(String bootstrapServers) {
        return EXTRA.getOrDefault(bootstrapServers, Map.of());
    }

    /**
     * A client configuration for {@code bootstrapServers}: the registered extra properties, then {@code props} (the
     * call site's own settings win), then {@code bootstrap.servers}. Returns a new mutable map; {@code props} may be
     * immutable ({@code Map.of(...)}).
     */
    public static Map<String, Object> connect(Map<String, ?> props, String bootstrapServers) {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Map<String, Object> config = new HashMap<>(extra(bootstrapServers));
        config.putAll(props);
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return config;
    }

    /** A client configuration for {@code bootstrapServers} with nothing else of the call site's own (admin clients). */
    public static Map<String, Object> connect(String bootstrapServers) {
        return connect(Map.of(), bootstrapServers);
    }
}

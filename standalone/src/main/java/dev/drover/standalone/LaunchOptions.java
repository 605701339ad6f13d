package dev.drover.standalone;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What {@code ./drover start} or {@code ./drover demo} was asked for: the mode, the data directory and the ports.
 *
 * <p>Each setting comes from the command line ({@code --http-port 8081}, {@code --http-port=8081}), else a system
 * property ({@code -Ddrover.http-port=8081}), else an environment variable ({@code DROVER_HTTP_PORT=8081}), else its
 * default. A port of 0 means any free port.
 *
 * @param mode    {@code start} or {@code demo}
 * @param dataDir where Kafka, PostgreSQL and the runs keep their data
 * @param ports   the port of each listener
 */
public record LaunchOptions(String mode, Path dataDir, Map<StandalonePort, Integer> ports) {

    /** The usage text, also printed by the launcher. */
    public static final String USAGE = """
            usage: ./drover [start|demo] [--http-port N] [--kafka-port N] [--postgres-port N] [--data-dir DIR]
              start              start Kafka, PostgreSQL and the four services, and serve until stopped (Ctrl-C)
              demo               the same, and run the example ML pipeline first (the default of ./drover)
              --http-port N      REST API port (DROVER_HTTP_PORT, default 8080)
              --kafka-port N     Kafka client port (DROVER_KAFKA_PORT, default 9092)
              --postgres-port N  PostgreSQL port (DROVER_POSTGRES_PORT, default 5433)
              --data-dir DIR     data directory (DROVER_DATA_DIR, default .drover)
              a port of 0 means any free port; the ports chosen are printed once Drover is up""";

    private static final String DATA_DIR_OPTION = "--data-dir";
    private static final String DATA_DIR_VARIABLE = "DROVER_DATA_DIR";
    private static final String DATA_DIR_PROPERTY = "drover.data-dir";

    /** Freezes the ports. */
    public LaunchOptions {
        ports = Map.copyOf(ports);
    }

    /** The port of one listener. */
    public int port(StandalonePort which) {
        return ports.get(which);
    }

    /** The standalone's settings for these options, working in {@code workDir}. */
    public DroverStandalone.Settings settings(Path workDir) {
        return new DroverStandalone.Settings(dataDir, port(StandalonePort.KAFKA), port(StandalonePort.POSTGRES),
                port(StandalonePort.HTTP), workDir, Map.of());
    }

    /**
     * Reads the options.
     *
     * @throws IllegalArgumentException naming the setting, for an unknown argument or a value that is not a port
     */
    public static LaunchOptions parse(List<String> args, Map<String, String> env, Properties system) {
        String mode = null;
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                if (mode != null || !(arg.equals("start") || arg.equals("demo"))) {
                    throw new IllegalArgumentException("unexpected argument '" + arg + "'");
                }
                mode = arg;
                continue;
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            if (!isOption(name)) {
                throw new IllegalArgumentException("unknown option " + name);
            }
            String value;
            if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new IllegalArgumentException(name + " needs a value");
            }
            given.put(name, value);
        }
        Map<StandalonePort, Integer> ports = new EnumMap<>(StandalonePort.class);
        for (StandalonePort p : StandalonePort.values()) {
            ports.put(p, port(p, given, env, system));
        }
        String dir = first(given.get(DATA_DIR_OPTION), system.getProperty(DATA_DIR_PROPERTY), env.get(DATA_DIR_VARIABLE));
        if (dir != null && dir.isBlank()) {
            throw new IllegalArgumentException("the data directory must not be empty");
        }
        return new LaunchOptions(mode == null ? "start" : mode, Path.of(dir == null ? ".drover" : dir), ports);
    }

    private static boolean isOption(String name) {
        if (name.equals(DATA_DIR_OPTION)) {
            return true;
        }
        for (StandalonePort p : StandalonePort.values()) {
            if (p.option().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static int port(StandalonePort p, Map<String, String> given, Map<String, String> env, Properties system) {
        String source;
        String value;
        if (given.containsKey(p.option())) {
            source = p.option();
            value = given.get(p.option());
        } else if (system.getProperty(p.property()) != null) {
            source = p.property();
            value = system.getProperty(p.property());
        } else if (env.get(p.variable()) != null) {
            source = p.variable();
            value = env.get(p.variable());
        } else {
            return p.defaultPort();
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port >= 0 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(source + " must be a port number from 0 to 65535 (0 = any free port), not '"
                + value + "'");
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}

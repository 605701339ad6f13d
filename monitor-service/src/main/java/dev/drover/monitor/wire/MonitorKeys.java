package dev.drover.monitor.wire;

/**
 * Kafka keys of monitor records. Commands and events are keyed {@code monitor/<model>} (the prefix keeps the
 * monitor's aggregates apart from the registry's {@code model/<name>} should the two ever share a topic, and names
 * cannot contain {@code /}); predictions and labels are keyed by the bare model name, the one thing every serving
 * system knows.
 */
public final class MonitorKeys {
    public static final String PREFIX = "monitor/";

    private MonitorKeys() {
    }

    /** The key of a monitored model's commands and events. */
    public static String model(String name) {
        return PREFIX + name;
    }

    /**
     * The model name in a command or event key.
     *
     * @param what what the key belongs to, for the error
     * @throws IllegalArgumentException if the key is not {@code monitor/<name>}
     */
    static String nameIn(String key, String what) {
        if (key == null || !key.startsWith(PREFIX) || key.length() == PREFIX.length()) {
            throw new IllegalArgumentException(what + " has key '" + key + "', but monitor records need a key "
                    + PREFIX + "<model name>");
        }
        return key.substring(PREFIX.length());
    }
}

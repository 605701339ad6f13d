package dev.drover.registry.wire;

/**
 * Kafka keys of registry records. Models and feature sets share the registry's topics; a prefix keeps a model and
 * a feature set of the same name apart (names cannot contain {@code /}).
 */
public final class RegistryKeys {
    public static final String MODEL_PREFIX = "model/";
    public static final String FEATURE_SET_PREFIX = "feature-set/";

    private RegistryKeys() {
    }

    public static String model(String name) {
        return MODEL_PREFIX + name;
    }

    public static String featureSet(String name) {
        return FEATURE_SET_PREFIX + name;
    }
}

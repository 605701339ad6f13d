package dev.drover.monitor.wire;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One prediction a serving system published on {@code drover.monitor.predictions}, as {@link MonitorCodec} reads
 * it. Values are {@link Double} (numbers), {@link String} (categories) or {@link Boolean} (flags); a feature value
 * may also be null (missing). Whether the features fit the model's feature set is for the windowing to judge.
 */
public record Prediction(String modelName, int modelVersion, Instant timestamp, String requestId,
                         Map<String, Object> features, Object prediction) {

    public Prediction {
        // nulls are values here (missing features), so no Map.copyOf
        features = features == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(features));
    }
}

package dev.drover.monitor.window;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model's most recent predictions by request id, for labels to find: the served version and the predicted value.
 * Bounded: beyond {@code capacity} entries the oldest is forgotten (a label arriving later is an unknown request).
 * Each entry costs roughly 150–200 bytes (the request id dominates).
 */
final class RecentPredictions {
    /** What a label needs of its prediction, and the window it was counted in (null: not known). */
    record Served(int version, Object prediction, String windowId) {
    }

    private final LinkedHashMap<String, Served> byRequest;

    RecentPredictions(int capacity) {
        this.byRequest = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Served> eldest) {
                return size() > capacity;
            }
        };
    }

    void put(String requestId, int version, Object prediction, String windowId) {
        byRequest.put(requestId, new Served(version, prediction, windowId));
    }

    Served get(String requestId) {
        return byRequest.get(requestId);
    }

    int size() {
        return byRequest.size();
    }
}

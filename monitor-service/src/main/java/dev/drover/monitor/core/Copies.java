package dev.drover.monitor.core;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Defensive copies for the maps and lists that commands and events carry. Maps are sorted by key so that events,
 * states and their printed forms are the same however the sender ordered its map; null values are kept (a command
 * carries what its caller sent, for the decider to judge).
 */
final class Copies {
    private Copies() {
    }

    static <V> Map<String, V> sorted(Map<String, V> map) {
        return map == null || map.isEmpty() ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(map));
    }

    static <T> List<T> list(List<T> list) {
        return list == null || list.isEmpty() ? List.of() : Collections.unmodifiableList(new java.util.ArrayList<>(list));
    }
}

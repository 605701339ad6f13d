package dev.drover.scheduler.pipeline;

import java.util.List;
import java.util.Map;

/**
 * Where a task's config may use {@code {{ secrets.NAME }}}: only in values the executor hands to the outside world
 * and Drover does not keep — a shell task's {@code command} and {@code env}, an HTTP sensor's {@code url},
 * {@code headers} and {@code body}. Anywhere else the value would end up stored in clear: a model version's
 * parameters, another run's parameters, an event.
 */
final class SecretUse {
    private static final Map<String, List<String>> ALLOWED = Map.of(
            "shell", List.of("command", "env"),
            SensorTaskTypes.WAIT_FOR_HTTP, List.of("url", "headers", "body"));

    private SecretUse() {
    }

    /** Null if config key {@code key} of a task of type {@code type} may use secrets, else why not and where. */
    static String problem(String type, String key) {
        List<String> keys = type == null ? null : ALLOWED.get(type);
        if (keys != null && keys.contains(key)) {
            return null;
        }
        return "secrets can be used only where Drover hands the value to the task and keeps no copy: a shell task's "
                + "command or env, or a wait_for_http sensor's url, headers or body"
                + (keys == null ? "; a task of type " + type + " would store it" : "; not in `" + key + "`");
    }
}

package dev.drover.scheduler.pipeline;

import dev.drover.platform.expression.Expressions;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The sensor task types: tasks that wait for a condition without holding an executor slot while they wait (see
 * {@code docs/sensors.md}). Every sensor accepts
 * <ul>
 *   <li>{@code pokeInterval}: how long to wait between pokes (default {@value #DEFAULT_POKE_INTERVAL_TEXT}; not for
 *       {@code wait_for_time}, which wakes up exactly at its moment);</li>
 *   <li>{@code softFail}: {@code true} skips the task instead of failing it when the sensor times out.</li>
 * </ul>
 * The task's ordinary {@code timeout} is the sensor's total waiting time, measured from its first poke.
 */
public final class SensorTaskTypes {
    static final String DEFAULT_POKE_INTERVAL_TEXT = "30s";
    /** How long a sensor waits between pokes unless it sets {@code pokeInterval}. */
    public static final Duration DEFAULT_POKE_INTERVAL = Duration.ofSeconds(30);
    public static final String WAIT_FOR_FILE = "wait_for_file";
    public static final String WAIT_FOR_HTTP = "wait_for_http";
    public static final String WAIT_FOR_EVENT = "wait_for_event";
    public static final String WAIT_FOR_TIME = "wait_for_time";
    /** The sensors an executor pokes, one poke per dispatch. */
    public static final Set<String> EXECUTOR_SENSORS = Set.of(WAIT_FOR_FILE, WAIT_FOR_HTTP, WAIT_FOR_EVENT);

    /** CEL variables of {@code wait_for_http}'s {@code condition}. */
    static final Set<String> HTTP_CONDITION_VARIABLES = Set.of("status", "headers", "body", "json");
    /** CEL variables of {@code wait_for_event}'s {@code filter}, as for event triggers. */
    static final Set<String> EVENT_FILTER_VARIABLES = Set.of("event", "data");
    static final List<String> HTTP_METHODS = List.of("GET", "HEAD", "POST", "PUT");
    private static final Pattern HTTP_URL = Pattern.compile("(?i)https?://[^\\s/?#]+\\S*");

    private SensorTaskTypes() {
    }

    /** A sensor's poke interval: its {@code pokeInterval}, else the default. */
    public static Duration pokeInterval(Map<String, Object> config) {
        Object v = config.get("pokeInterval");
        if (v instanceof String s) {
            return Durations.parse(s).value().filter(d -> !d.isZero()).orElse(DEFAULT_POKE_INTERVAL);
        }
        return DEFAULT_POKE_INTERVAL;
    }

    /** {@code type: wait_for_file}: a local path or glob, or an http(s) object URL checked with HEAD. */
    static final TaskType FILE = new Sensor(WAIT_FOR_FILE, List.of("path")) {
        @Override
        void checkOwn(Map<String, Object> config, String taskPath, List<SpecProblem> problems) {
            RegistryConfigChecks.requiredString(config, "path", taskPath, "a wait_for_file task",
                    "path: /data/incoming/{{ params.day }}/*.csv", problems);
        }
    };

    /** {@code type: wait_for_http}: an HTTP endpoint answering as expected. */
    static final TaskType HTTP = new Sensor(WAIT_FOR_HTTP,
            List.of("url", "method", "headers", "body", "expectedStatus", "condition")) {
        @Override
        void checkOwn(Map<String, Object> config, String taskPath, List<SpecProblem> problems) {
            RegistryConfigChecks.requiredString(config, "url", taskPath, "a wait_for_http task",
                    "url: https://api.example.com/jobs/{{ params.job }}", problems)
                    .filter(url -> !HTTP_URL.matcher(url).matches())
                    .ifPresent(url -> problems.add(new SpecProblem(Pointer.child(taskPath, "url"), "`" + url
                            + "` is not an http(s) URL; write e.g. https://api.example.com/health")));
            if (config.containsKey("method")) {
                Object m = config.get("method");
                if (!(m instanceof String s) || !HTTP_METHODS.contains(s.toUpperCase(java.util.Locale.ROOT))) {
                    problems.add(new SpecProblem(Pointer.child(taskPath, "method"), "method must be one of "
                            + String.join(", ", HTTP_METHODS) + ", got " + Values.describe(m)));
                }
            }
            if (config.containsKey("headers")) {
                if (config.get("headers") instanceof Map<?, ?> headers) {
                    headers.forEach((k, v) -> {
                        if (!(v instanceof String)) {
                            problems.add(new SpecProblem(Pointer.child(Pointer.child(taskPath, "headers"),
                                    String.valueOf(k)), "header values must be strings, got " + Values.describe(v)
                                    + "; quote it"));
                        }
                    });
                } else {
                    problems.add(new SpecProblem(Pointer.child(taskPath, "headers"), "headers must be a mapping of "
                            + "header names to strings, e.g. headers: {Accept: application/json}, got "
                            + Values.describe(config.get("headers"))));
                }
            }
            if (config.containsKey("body") && !(config.get("body") instanceof String)) {
                problems.add(new SpecProblem(Pointer.child(taskPath, "body"), "body must be a string (sent as it "
                        + "is), got " + Values.describe(config.get("body")) + "; quote JSON, e.g. body: '{\"a\": 1}'"));
            }
            if (config.containsKey("expectedStatus")) {
                Object v = config.get("expectedStatus");
                String path = Pointer.child(taskPath, "expectedStatus");
                List<?> codes = v instanceof List<?> list ? list : List.of(v == null ? "null" : v);
                if (codes.isEmpty()) {
                    problems.add(new SpecProblem(path, "expectedStatus is an empty list; give at least one status "
                            + "code, e.g. [200, 204], or remove it to accept any 2xx"));
                }
                for (Object code : codes) {
                    if (!(code instanceof Long n) || n < 100 || n > 599) {
                        problems.add(new SpecProblem(path, "expectedStatus must be an HTTP status code (100 to 599) "
                                + "or a list of them, e.g. [200, 204], got " + Values.describe(code)));
                        break;
                    }
                }
            }
            cel(config, "condition", HTTP_CONDITION_VARIABLES, taskPath,
                    "condition: json.state == \"READY\"", problems);
        }
    };

    /** {@code type: wait_for_event}: a CloudEvent of a type received since the run started. */
    static final TaskType EVENT = new Sensor(WAIT_FOR_EVENT, List.of("eventType", "source", "filter", "after")) {
        @Override
        void checkOwn(Map<String, Object> config, String taskPath, List<SpecProblem> problems) {
            RegistryConfigChecks.requiredString(config, "eventType", taskPath, "a wait_for_event task",
                    "eventType: com.example.table.loaded", problems);
            RegistryConfigChecks.optionalString(config, "source", taskPath, "source: /warehouse", problems);
            cel(config, "filter", EVENT_FILTER_VARIABLES, taskPath, "filter: data.table == \"churn\"", problems);
            RegistryConfigChecks.optionalString(config, "after", taskPath,
                    "after: \"2030-01-31T06:00:00Z\"", problems).ifPresent(after -> instant(after,
                    Pointer.child(taskPath, "after"), problems));
        }
    };

    /** {@code type: wait_for_time}: until a moment, decided by the scheduler with a timer (never dispatched). */
    static final TaskType TIME = new Sensor(WAIT_FOR_TIME, List.of("until", "delay")) {
        @Override
        List<String> common() {
            return List.of("softFail");
        }

        @Override
        void checkOwn(Map<String, Object> config, String taskPath, List<SpecProblem> problems) {
            boolean until = config.containsKey("until");
            boolean delay = config.containsKey("delay");
            if (until == delay) {
                problems.add(new SpecProblem(taskPath, "a wait_for_time task needs exactly one of `until` (a date and "
                        + "time, e.g. until: \"2030-01-31T06:00:00Z\") and `delay` (a duration after the run "
                        + "start, e.g. delay: 2h)"));
                return;
            }
            if (until) {
                RegistryConfigChecks.requiredString(config, "until", taskPath, "a wait_for_time task",
                        "until: \"2030-01-31T06:00:00Z\"", problems)
                        .ifPresent(v -> instant(v, Pointer.child(taskPath, "until"), problems));
            } else {
                RegistryConfigChecks.requiredString(config, "delay", taskPath, "a wait_for_time task",
                        "delay: 2h", problems).ifPresent(v -> Durations.parse(v).value().ifPresentOrElse(d -> { },
                        () -> problems.add(new SpecProblem(Pointer.child(taskPath, "delay"), "delay `" + v
                                + "` is not a duration; " + Durations.HELP))));
            }
        }
    };

    private static void instant(String text, String path, List<SpecProblem> problems) {
        try {
            OffsetDateTime.parse(text.strip());
        } catch (DateTimeParseException e) {
            problems.add(new SpecProblem(path, "`" + text + "` is not a date and time with an offset; write e.g. "
                    + "2030-01-31T06:00:00Z or 2030-01-31T07:00:00+01:00"));
        }
    }

    private static void cel(Map<String, Object> config, String key, Set<String> variables, String taskPath,
                            String example, List<SpecProblem> problems) {
        if (!config.containsKey(key)) {
            return;
        }
        Object v = config.get(key);
        String path = Pointer.child(taskPath, key);
        if (!(v instanceof String s) || s.isBlank()) {
            problems.add(new SpecProblem(path, key + " must be a CEL condition (a string), e.g. " + example
                    + ", got " + Values.describe(v)));
            return;
        }
        if (RegistryConfigChecks.isTemplate(s)) {
            return; // checked by the executor once rendered
        }
        String problem = new Expressions(variables).problem(s);
        if (problem != null) {
            problems.add(new SpecProblem(path, key + " `" + s + "` is not a valid CEL condition over "
                    + String.join(", ", new java.util.TreeSet<>(variables)) + ": " + problem));
        }
    }

    /** What every sensor type shares: {@code pokeInterval} and {@code softFail}. */
    private abstract static class Sensor implements TaskType {
        private final String name;
        private final List<String> own;

        Sensor(String name, List<String> own) {
            this.name = name;
            this.own = own;
        }

        @Override
        public String name() {
            return name;
        }

        List<String> common() {
            return List.of("pokeInterval", "softFail");
        }

        @Override
        public List<String> keys() {
            return java.util.stream.Stream.concat(own.stream(), common().stream()).toList();
        }

        abstract void checkOwn(Map<String, Object> config, String taskPath, List<SpecProblem> problems);

        @Override
        public void check(Map<String, Object> config, String taskPath, List<SpecProblem> problems) {
            checkOwn(config, taskPath, problems);
            if (config.containsKey("pokeInterval")) {
                Object v = config.get("pokeInterval");
                String path = Pointer.child(taskPath, "pokeInterval");
                if (!(v instanceof String s)) {
                    problems.add(new SpecProblem(path, "pokeInterval must be a duration such as 30s or 5m, got "
                            + Values.describe(v)));
                } else {
                    Durations.Result r = Durations.parse(s);
                    if (r instanceof Durations.Result.Invalid invalid) {
                        problems.add(new SpecProblem(path, "pokeInterval: " + invalid.reason()
                                + " (templates are not allowed here)"));
                    } else if (r.value().orElseThrow().isZero()) {
                        problems.add(new SpecProblem(path, "pokeInterval must be longer than zero, e.g. 30s"));
                    }
                }
            }
            if (config.containsKey("softFail") && !(config.get("softFail") instanceof Boolean)) {
                problems.add(new SpecProblem(Pointer.child(taskPath, "softFail"), "softFail must be true or false, "
                        + "got " + Values.describe(config.get("softFail"))));
            }
        }
    }
}

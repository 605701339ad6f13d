package dev.drover.scheduler.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Stores {@link PipelineSpec}s as JSON, for Avro events and snapshots, and hashes them.
 *
 * <p>The JSON is the user-facing pipeline format with every default written out (each task carries its effective
 * {@code retries}, {@code timeout} and {@code queue}, and {@code startTimeout} when it has one; durations in the short
 * form), so a stored spec is also a valid pipeline document that {@link PipelineSpecParser} reads back to an equal
 * spec. {@link #fromJson(String)} itself does not re-validate: a spec that was valid when it was logged must stay
 * readable even if the rules tighten later.
 *
 * <p>{@link #toJson} keeps the order of parameters and config maps, so a spec restored during replay iterates
 * exactly like the one built live; {@link #hash} sorts keys, so the hash does not depend on that order.
 */
public final class PipelineSpecs {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> TASK_KEYS = Set.copyOf(PipelineSpecParser.TASK_KEYS);

    private PipelineSpecs() {
    }

    /** Compact JSON of the spec in the pipeline format, with every default written out. */
    public static String toJson(PipelineSpec spec) {
        return write(tree(spec));
    }

    /**
     * Reads JSON written by {@link #toJson}; {@code fromJson(toJson(s)).equals(s)} for every spec.
     *
     * @throws IllegalArgumentException when the text is not such JSON: stored specs are written by this class, so
     *                                  that means corrupt data, not user error
     */
    public static PipelineSpec fromJson(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("stored pipeline spec is not JSON: " + e.getOriginalMessage(), e);
        }
        Map<String, ParameterSpec> parameters = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : object(root, "parameters").properties()) {
            ParameterType type = ParameterType.valueOf(text(e.getValue(), "type").toUpperCase(java.util.Locale.ROOT));
            JsonNode defaultNode = e.getValue().get("default");
            Object defaultValue = defaultNode == null ? null : type.coerce(Values.toJava(defaultNode))
                    .orElseThrow(() -> malformed("default of parameter " + e.getKey()));
            parameters.put(e.getKey(), new ParameterSpec(type, defaultValue, text(e.getValue(), "description")));
        }
        List<TaskSpec> tasks = new ArrayList<>();
        for (JsonNode t : array(root, "tasks")) {
            List<String> dependsOn = new ArrayList<>();
            array(t, "dependsOn").forEach(d -> dependsOn.add(d.textValue()));
            Map<String, Object> config = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : t.properties()) {
                if (!TASK_KEYS.contains(e.getKey())) {
                    config.put(e.getKey(), config(e.getValue()));
                }
            }
            JsonNode r = object(t, "retries");
            JsonNode count = field(r, "count");
            if (!count.canConvertToInt()) {
                throw malformed("`count` is not an int");
            }
            RetryPolicy retry = new RetryPolicy(count.intValue(), duration(r, "initialDelay"),
                    number(r, "backoff"), duration(r, "maxDelay"), number(r, "jitter"));
            // startTimeout is absent when the task leaves it to the scheduler, and in every spec stored before it
            // existed
            Duration startTimeout = t.has("startTimeout") ? duration(t, "startTimeout") : null;
            TaskSpec task = new TaskSpec(text(t, "id"), text(t, "type"), dependsOn, config, retry, duration(t, "timeout"),
                    text(t, "queue"), startTimeout).withOptions(TaskControlFlow.fromJson(t, TaskOptions.DEFAULTS));
            if (t.has("outlets")) {
                List<String> outlets = new ArrayList<>();
                t.get("outlets").forEach(u -> outlets.add(u.textValue()));
                task = task.withOptions(task.options().withOutlets(outlets));
            }
            if (t.has(MapOverOption.KEY)) {
                task = task.withOptions(task.options().withMapOver(text(t, MapOverOption.KEY)));
            }
            tasks.add(task);
        }
        return Limits.read(root, DeadlineKeys.read(root, new PipelineSpec(text(root, "id"), text(root, "description"),
                parameters, tasks, Triggers.fromJson(root.get("triggers")))
                .withOptions(ScheduleOptions.read(root, PipelineOptions.DEFAULTS))));
    }

    /**
     * SHA-256 (hex) of the spec's canonical JSON: {@link #toJson}'s tree with every object's keys sorted and no
     * whitespace. Documents that differ only in layout, key order, spelled-out defaults or the short/long form of
     * {@code retries} get the same hash; any change to what the pipeline does gets a new one.
     */
    public static String hash(PipelineSpec spec) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonicalJson(spec).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The text {@link #hash} digests. */
    public static String canonicalJson(PipelineSpec spec) {
        return write(sorted(tree(spec)));
    }

    // ---- writing ---------------------------------------------------------------------------------------------

    private static ObjectNode tree(PipelineSpec spec) {
        ObjectNode root = NODES.objectNode();
        root.put("id", spec.id());
        root.put("description", spec.description());
        ObjectNode parameters = root.putObject("parameters");
        spec.parameters().forEach((name, p) -> {
            ObjectNode decl = parameters.putObject(name);
            decl.put("type", p.type().specName());
            if (p.defaultValue() != null) {
                decl.set("default", node(p.defaultValue()));
            }
            decl.put("description", p.description());
        });
        ArrayNode tasks = root.putArray("tasks");
        for (TaskSpec t : spec.tasks()) {
            ObjectNode task = tasks.addObject();
            task.put("id", t.id());
            task.put("type", t.type());
            ArrayNode dependsOn = task.putArray("dependsOn");
            t.dependsOn().forEach(dependsOn::add);
            ObjectNode retries = task.putObject("retries");
            RetryPolicy r = t.retry();
            retries.put("count", r.retries());
            retries.put("initialDelay", Durations.format(r.initialDelay()));
            retries.put("backoff", r.backoff());
            retries.put("maxDelay", Durations.format(r.maxDelay()));
            retries.put("jitter", r.jitter());
            task.put("timeout", Durations.format(t.timeout()));
            task.put("queue", t.queue());
            if (t.startTimeout() != null) {
                // written only when set, so that specs without one keep the hash they had before the key existed
                task.put("startTimeout", Durations.format(t.startTimeout()));
            }
            TaskControlFlow.write(t.options(), task); // only what differs from the defaults, so hashes stay
            if (!t.options().outlets().isEmpty()) { // written only when declared, so older specs keep their hash
                t.options().outlets().forEach(task.putArray("outlets")::add);
            }
            if (t.options().mapOver() != null) { // written only when set, so other specs keep their hash
                task.put(MapOverOption.KEY, t.options().mapOver());
            }
            Limits.write(t, task);
            t.config().forEach((k, v) -> task.set(k, node(v)));
        }
        if (!spec.triggers().isEmpty()) { // written only when declared, so older specs keep their hash
            root.set("triggers", Triggers.toJson(spec.triggers()));
        }
        DeadlineKeys.write(spec, root);
        Limits.write(spec, root);
        ScheduleOptions.write(root, spec.options());
        return root;
    }

    private static JsonNode node(Object value) {
        if (value instanceof String s) {
            return NODES.textNode(s);
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short) {
            return NODES.numberNode(((Number) value).longValue());
        }
        if (value instanceof Double || value instanceof Float) {
            return NODES.numberNode(((Number) value).doubleValue());
        }
        if (value instanceof List<?> list) {
            ArrayNode out = NODES.arrayNode();
            list.forEach(v -> out.add(node(v)));
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode out = NODES.objectNode();
            map.forEach((k, v) -> out.set(String.valueOf(k), node(v)));
            return out;
        }
        throw new IllegalArgumentException("cannot store " + (value == null ? "null" : value.getClass().getName())
                + " in a pipeline spec; specs hold only String, Long, Double, Boolean, List and Map");
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> fields = new TreeMap<>();
            node.properties().forEach(e -> fields.put(e.getKey(), sorted(e.getValue())));
            ObjectNode out = NODES.objectNode();
            fields.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = NODES.arrayNode();
            node.forEach(e -> out.add(sorted(e)));
            return out;
        }
        return node;
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    // ---- reading ---------------------------------------------------------------------------------------------

    private static Object config(JsonNode node) {
        Object value = Values.toJava(node);
        List<SpecProblem> problems = new ArrayList<>();
        Values.checkStorable(value, "/", problems);
        if (!problems.isEmpty()) {
            throw malformed("task config: " + problems);
        }
        return value;
    }

    private static JsonNode field(JsonNode parent, String key) {
        JsonNode node = parent == null ? null : parent.get(key);
        if (node == null) {
            throw malformed("missing `" + key + "`");
        }
        return node;
    }

    private static String text(JsonNode parent, String key) {
        JsonNode node = field(parent, key);
        if (!node.isTextual()) {
            throw malformed("`" + key + "` is not a string");
        }
        return node.textValue();
    }

    private static double number(JsonNode parent, String key) {
        JsonNode node = field(parent, key);
        if (!node.isNumber()) {
            throw malformed("`" + key + "` is not a number");
        }
        return node.doubleValue();
    }

    private static Duration duration(JsonNode parent, String key) {
        return Durations.parse(text(parent, key)).value().orElseThrow(() -> malformed("`" + key + "` is no duration"));
    }

    private static JsonNode object(JsonNode parent, String key) {
        JsonNode node = field(parent, key);
        if (!node.isObject()) {
            throw malformed("`" + key + "` is not an object");
        }
        return node;
    }

    private static JsonNode array(JsonNode parent, String key) {
        JsonNode node = field(parent, key);
        if (!node.isArray()) {
            throw malformed("`" + key + "` is not an array");
        }
        return node;
    }

    private static IllegalArgumentException malformed(String what) {
        return new IllegalArgumentException("stored pipeline spec is malformed: " + what);
    }
}

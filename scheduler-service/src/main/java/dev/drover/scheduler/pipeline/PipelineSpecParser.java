package dev.drover.scheduler.pipeline;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.drover.platform.input.RequestRules;
import dev.drover.platform.input.TextProblem;
import dev.drover.platform.input.TextRules;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads a pipeline document (YAML, or JSON, which is YAML) into a {@link PipelineSpec}, reporting every problem at
 * once with its path and a hint on how to fix it. The format is described in {@code docs/pipelines.md} and published
 * as {@code pipeline.schema.json}; {@code PipelineSchemaTest} keeps the three in step.
 *
 * <p>Bad input is a value ({@link ParseResult.Invalid}), never an exception: documents come from users over the API.
 */
public final class PipelineSpecParser {
    /** Timeout of an attempt when neither the task nor {@code defaults} sets one. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(1);
    /** Executor queue of a task when neither the task nor {@code defaults} names one. */
    public static final String DEFAULT_QUEUE = "default";
    /** Retry settings used for the keys a retry mapping leaves out (and for the short form {@code retries: 3}). */
    public static final Duration DEFAULT_INITIAL_DELAY = Duration.ofSeconds(1);
    /** See {@link #DEFAULT_INITIAL_DELAY}. */
    public static final double DEFAULT_BACKOFF = 2.0;
    /** See {@link #DEFAULT_INITIAL_DELAY}. */
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofMinutes(5);
    /** See {@link #DEFAULT_INITIAL_DELAY}. */
    public static final double DEFAULT_JITTER = 0.1;
    /** Upper bound on {@code retries}; beyond it a task is better fixed than retried. */
    public static final int MAX_RETRIES = 1000;

    private static final int MAX_CYCLE_NAMES = 20;

    static final Pattern PIPELINE_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    /**
     * The largest pipeline document, in characters. The spec travels in one event on a topic whose records the broker
     * refuses above 1 MiB; half of that leaves room for the envelope and for JSON being wordier than YAML.
     */
    public static final int MAX_SPEC_CHARS = 512 * 1024;
    /** The most tasks a pipeline may have (mapped instances are counted separately; see docs/mapping.md). */
    public static final int MAX_TASKS = 2_000;
    static final Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9_-]+");
    static final Pattern QUEUE = Pattern.compile("[a-z0-9][a-z0-9_-]*");

    static final List<String> ROOT_KEYS = List.of("id", "description", "parameters", "defaults", "tasks",
            "triggers", DeadlineKeys.KEY, "maxActiveTasks", "schedule", "maxActiveRuns");
    static final List<String> PARAMETER_KEYS = List.of("type", "default", "description");
    static final List<String> DEFAULTS_KEYS = List.of("retries", "timeout", "startTimeout", "queue");
    static final List<String> TASK_KEYS = List.of("id", "type", "dependsOn", "retries", "timeout", "startTimeout",
            "queue", "triggerRule", "when", "outlets", MapOverOption.KEY, DeadlineKeys.KEY, "pool", "priority");
    static final List<String> RETRY_KEYS = List.of("count", "initialDelay", "backoff", "maxDelay", "jitter");

    // Duplicate keys are an error rather than last-one-wins: a silently dropped setting is worse than a message.
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final List<SpecProblem> problems = new ArrayList<>();
    /** Each task's {@code outlets} by its path, read beside the other task keys (see {@link Assets}). */
    private final Map<String, List<String>> outlets = new HashMap<>();
    /** The {@code mapOver} expression of each task that has the key (null if invalid), by the task's path. */
    private final Map<String, String> mapOver = new HashMap<>();

    /** Settings from the {@code defaults} section; null where not given (or not valid). */
    private record Defaults(RetryPolicy retry, Duration timeout, String queue, Duration startTimeout) {
    }

    /** A dependsOn entry that is a string, with where it was written. */
    private record Dependency(String taskId, String path) {
    }

    /** A task as far as it could be read; null components were missing or invalid (and reported). */
    private record RawTask(String path, String id, String type, List<Dependency> dependsOn,
                           Map<String, Object> config, RetryPolicy retry, Duration timeout, String queue,
                           Duration startTimeout, TaskOptions options) {
    }

    private PipelineSpecParser() {
    }

    /**
     * Parses and validates a pipeline document.
     *
     * @param text YAML or JSON
     * @return the spec with every default applied and its hash, or every problem found
     */
    public static ParseResult parse(String text) {
        if (text == null || text.isBlank()) {
            return invalid(Pointer.ROOT, "the document is empty; a pipeline needs at least `id` and `tasks`, "
                    + "e.g. id: train, tasks: [{id: hello, type: shell, command: echo hello}]");
        }
        if (text.length() > MAX_SPEC_CHARS) {
            return invalid(Pointer.ROOT, "the document has " + text.length() + " characters; a pipeline may have at "
                    + "most " + MAX_SPEC_CHARS + " (512 KiB): move large values (scripts, data) into files the "
                    + "tasks read, or split the pipeline");
        }
        JsonNode root;
        try {
            Optional<SpecProblem> alias = findAlias(text);
            if (alias.isPresent()) {
                return new ParseResult.Invalid(List.of(alias.get()));
            }
            try (JsonParser parser = YAML.createParser(text)) {
                root = YAML.readTree(parser);
                if (root == null || root.isMissingNode()) {
                    return invalid(Pointer.ROOT, "the document is empty; a pipeline needs at least `id` and `tasks`");
                }
                if (parser.nextToken() != null) {
                    return invalid(Pointer.ROOT, "the text holds more than one YAML document (separated by ---); "
                            + "register one pipeline per document");
                }
            }
        } catch (JsonProcessingException e) {
            return new ParseResult.Invalid(List.of(syntaxProblem(e)));
        } catch (IOException | RuntimeException e) {
            // The YAML library signals some limits (nesting depth, document size) with its own runtime exceptions.
            return invalid(Pointer.ROOT, "not valid YAML or JSON: " + e.getMessage() + "; fix the syntax");
        }
        Optional<TextProblem> badText = TextRules.problemIn(root);
        if (badText.isPresent()) {
            return invalid(badText.get().pointer().isEmpty() ? Pointer.ROOT : badText.get().pointer(),
                    badText.get().message() + "; " + RequestRules.fix());
        }
        return new PipelineSpecParser().document(root);
    }

    /**
     * Jackson reads a YAML alias ({@code *name}) as the plain string "name", which would surface as a baffling
     * type error far from the cause; aliases (and {@code <<} merges, which use them) are refused up front instead.
     */
    private static Optional<SpecProblem> findAlias(String text) throws IOException {
        try (JsonParser parser = YAML.createParser(text)) {
            while (parser.nextToken() != null) {
                if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
                    String path = parser.getParsingContext().pathAsPointer().toString();
                    return Optional.of(new SpecProblem(path.isEmpty() ? Pointer.ROOT : path, "YAML aliases (*"
                            + parser.getText() + ") are not supported; write the value out in full"));
                }
            }
        }
        return Optional.empty();
    }

    private static SpecProblem syntaxProblem(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        String message = e.getOriginalMessage();
        if (message.startsWith("Duplicate field")) {
            // Here the parser's position is exactly the repeated key; after a syntax error it is only a guess.
            String path = Pointer.ROOT;
            if (e.getProcessor() instanceof JsonParser parser) {
                String pointer = parser.getParsingContext().pathAsPointer().toString();
                path = pointer.isEmpty() ? Pointer.ROOT : pointer;
            }
            return new SpecProblem(path, "a key appears twice in the same mapping" + where + ": "
                    + message.replace("Duplicate field", "duplicate key") + "; keep only one");
        }
        // SnakeYAML's messages quote the offending source line with a caret below it; the line and column say as
        // much in one line.
        StringBuilder reason = new StringBuilder();
        String[] lines = message.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].strip().startsWith("in 'reader'")) {
                i += 2;
            } else if (!lines[i].isBlank()) {
                reason.append(reason.length() == 0 ? "" : ", ").append(lines[i].strip());
            }
        }
        return new SpecProblem(Pointer.ROOT, "not valid YAML or JSON" + where + ": " + reason + "; fix the syntax (in YAML, "
                + "indent with spaces, not tabs, and quote values that contain `: ` or ` #`)");
    }

    private static ParseResult invalid(String path, String message) {
        return new ParseResult.Invalid(List.of(new SpecProblem(path, message)));
    }

    private ParseResult document(JsonNode root) {
        if (root == null || !root.isObject()) {
            problem(Pointer.ROOT, "the document must be a mapping with at least `id` and `tasks`, got "
                    + Values.describe(root));
            return new ParseResult.Invalid(problems);
        }
        unknownKeys(root, Pointer.ROOT, ROOT_KEYS, "a pipeline");
        String id = pipelineId(root);
        String description = optionalString(root, Pointer.ROOT, "description");
        Map<String, ParameterSpec> parameters = parameters(root.get("parameters"));
        Defaults defaults = defaults(root.get("defaults"));
        List<RawTask> tasks = tasks(root.get("tasks"));
        List<Trigger> triggers = Triggers.parse(root.get("triggers"), problems);
        EventTriggers.checkParameters(root.get("triggers"), parameters, problems);
        PipelineOptions options = ScheduleOptions.parse(root, PipelineOptions.DEFAULTS, problems);
        Map<String, RawTask> byId = checkTaskGraph(tasks);
        checkTemplates(tasks, byId, parameters.keySet());
        DeadlineKeys.Parsed deadlines = DeadlineKeys.parse(root, problems);
        Integer maxActiveTasks = Limits.maxActiveTasks(root, problems);
        List<Limits.TaskLimits> taskLimits = Limits.tasks(root.get("tasks"), problems);
        if (!problems.isEmpty()) {
            return new ParseResult.Invalid(problems);
        }
        List<TaskSpec> specs = tasks.stream().map(t -> new TaskSpec(t.id(), t.type(),
                t.dependsOn().stream().map(Dependency::taskId).toList(), t.config(),
                first(t.retry(), defaults.retry(), RetryPolicy.NONE),
                first(t.timeout(), defaults.timeout(), DEFAULT_TIMEOUT),
                first(t.queue(), defaults.queue(), DEFAULT_QUEUE),
                // no built-in fallback: an unset start timeout is the scheduler's to choose (and to change)
                t.startTimeout() != null ? t.startTimeout() : defaults.startTimeout(), t.options()))
                .map(this::withOutlets).toList();
        PipelineSpec spec = new PipelineSpec(id, description == null ? "" : description, parameters, specs,
                triggers).withOptions(options);
        spec = DeadlineKeys.apply(spec, deadlines);
        spec = Limits.apply(spec, maxActiveTasks, taskLimits);
        return new ParseResult.Parsed(spec, PipelineSpecs.hash(spec));
    }

    private TaskSpec withOutlets(TaskSpec task) {
        List<String> uris = outlets.getOrDefault(task.id(), List.of());
        return uris.isEmpty() ? task : task.withOptions(task.options().withOutlets(uris));
    }

    // ---- top level -------------------------------------------------------------------------------------------

    private String pipelineId(JsonNode root) {
        String path = Pointer.child(Pointer.ROOT, "id");
        JsonNode node = root.get("id");
        if (node == null) {
            problem(Pointer.ROOT, "`id` is required: name the pipeline with lowercase letters, digits, _ and -, "
                    + "e.g. id: churn-model");
            return null;
        }
        if (!node.isTextual()) {
            problem(path, "id must be a string, got " + Values.describe(node) + "; " + (node.isValueNode()
                    && !node.isNull() ? "quote it, e.g. id: \"" + node.asText() + "\"" : "e.g. id: churn-model"));
            return null;
        }
        String id = node.textValue();
        if (!PIPELINE_ID.matcher(id).matches()) {
            problem(path, "`" + id + "` is not a valid pipeline id; use 1 to 63 lowercase letters, digits, _ and -, "
                    + "starting with a letter or digit, and no dots (run ids are <pipeline>.<n>)"
                    + suggestId(id));
            return null;
        }
        return id;
    }

    private static String suggestId(String id) {
        String fixed = id.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]+", "-").replaceAll("^[-_]+", "");
        if (fixed.length() > 63) {
            fixed = fixed.substring(0, 63);
        }
        return PIPELINE_ID.matcher(fixed).matches() ? ", e.g. " + fixed : "";
    }

    private Map<String, ParameterSpec> parameters(JsonNode node) {
        Map<String, ParameterSpec> out = new LinkedHashMap<>();
        String path = Pointer.child(Pointer.ROOT, "parameters");
        if (node == null) {
            return out;
        }
        if (!node.isObject()) {
            problem(path, "parameters must be a mapping from parameter name to its declaration, e.g. "
                    + "parameters: {epochs: {type: integer, default: 10}}, got " + Values.describe(node));
            return out;
        }
        for (Map.Entry<String, JsonNode> e : fields(node)) {
            String name = e.getKey();
            String paramPath = Pointer.child(path, name);
            JsonNode decl = e.getValue();
            if (!PARAMETER_NAME.matcher(name).matches()) {
                problem(paramPath, "`" + name + "` is not a valid parameter name; use letters, digits and _, not "
                        + "starting with a digit, so that templates can write {{ params.NAME }}");
            }
            if (!decl.isObject()) {
                problem(paramPath, "declare a parameter as a mapping, e.g. " + name + ": {type: integer, default: 3}"
                        + " ({} for a required string), got " + Values.describe(decl));
                continue;
            }
            unknownKeys(decl, paramPath, PARAMETER_KEYS, "a parameter");
            ParameterType type = ParameterType.STRING;
            JsonNode typeNode = decl.get("type");
            boolean typeKnown = true;
            if (typeNode != null) {
                Optional<ParameterType> known = Stream.of(ParameterType.values())
                        .filter(t -> typeNode.isTextual() && t.specName().equals(typeNode.textValue())).findFirst();
                if (known.isEmpty()) {
                    problem(Pointer.child(paramPath, "type"), "unknown parameter type " + Values.describe(typeNode)
                            + "; use one of " + typeNames() + suggestion(typeNode.asText(), typeNameList()));
                    typeKnown = false;
                } else {
                    type = known.get();
                }
            }
            String description = optionalString(decl, paramPath, "description");
            Object defaultValue = decl.has("default") && typeKnown
                    ? parameterValue(decl.get("default"), type, Pointer.child(paramPath, "default")) : null;
            // Declared even when parts are invalid, so that templates using it are not reported as well; a document
            // with problems never yields a spec.
            out.put(name, new ParameterSpec(type, defaultValue, description == null ? "" : description));
        }
        return out;
    }

    private Object parameterValue(JsonNode node, ParameterType type, String path) {
        Object value = switch (type) {
            case STRING -> node.isTextual() ? node.textValue() : null;
            case INTEGER -> integer(node).orElse(null);
            case NUMBER -> node.isNumber() && Double.isFinite(node.doubleValue()) ? node.doubleValue() : null;
            case BOOLEAN -> node.isBoolean() ? node.booleanValue() : null;
        };
        if (value == null) {
            String example = switch (type) {
                case STRING -> node.isBoolean() ? "quote it; YAML reads unquoted yes, no, on, off, true and false "
                        + "as booleans" : node.isValueNode() && !node.isNull() ? "quote it: \"" + node.asText() + "\""
                        : "e.g. \"text\"";
                case INTEGER -> "a whole number, e.g. 10";
                case NUMBER -> "a number, e.g. 0.01";
                case BOOLEAN -> "true or false";
            };
            problem(path, node.isNull() ? "the default is empty; give a " + type.specName() + " value, or remove "
                    + "`default` to make the parameter required"
                    : "the default must be " + (type == ParameterType.INTEGER ? "an " : "a ") + type.specName()
                    + " like the parameter's type, got "
                    + Values.describe(node) + "; " + example);
        }
        return value;
    }

    private Defaults defaults(JsonNode node) {
        String path = Pointer.child(Pointer.ROOT, "defaults");
        if (node == null) {
            return new Defaults(null, null, null, null);
        }
        if (!node.isObject()) {
            problem(path, "defaults must be a mapping of task settings, e.g. defaults: {retries: 2, timeout: 30m, "
                    + "queue: default}, got " + Values.describe(node));
            return new Defaults(null, null, null, null);
        }
        unknownKeys(node, path, DEFAULTS_KEYS, "defaults");
        return new Defaults(
                node.has("retries") ? retry(node.get("retries"), Pointer.child(path, "retries")) : null,
                node.has("timeout") ? duration(node.get("timeout"), Pointer.child(path, "timeout"), true) : null,
                node.has("queue") ? queue(node.get("queue"), Pointer.child(path, "queue")) : null,
                node.has("startTimeout")
                        ? duration(node.get("startTimeout"), Pointer.child(path, "startTimeout"), true) : null);
    }

    // ---- tasks -----------------------------------------------------------------------------------------------

    private List<RawTask> tasks(JsonNode node) {
        String path = Pointer.child(Pointer.ROOT, "tasks");
        List<RawTask> out = new ArrayList<>();
        if (node == null) {
            problem(Pointer.ROOT, "`tasks` is required: list the pipeline's tasks, e.g. tasks: [{id: hello, type: "
                    + "shell, command: echo hello}]");
            return out;
        }
        if (!node.isArray()) {
            problem(path, "tasks must be a list (each item starting with `- id: ...`), got " + Values.describe(node));
            return out;
        }
        if (node.isEmpty()) {
            problem(path, "tasks is empty; a pipeline needs at least one task");
            return out;
        }
        if (node.size() > MAX_TASKS) {
            problem(path, "the pipeline has " + node.size() + " tasks; at most " + MAX_TASKS + " are allowed: map one "
                    + "task over a list (mapOver, docs/mapping.md) instead of writing many alike, or split the "
                    + "pipeline and chain the parts with assets (docs/assets.md)");
            return out;
        }
        for (int i = 0; i < node.size(); i++) {
            RawTask task = task(node.get(i), Pointer.child(path, i));
            if (task != null) {
                out.add(task);
            }
        }
        return out;
    }

    private RawTask task(JsonNode node, String path) {
        if (!node.isObject()) {
            problem(path, "a task must be a mapping with at least `id` and `type`, got " + Values.describe(node));
            return null;
        }
        String id = taskId(node, path);
        TaskType type = taskType(node, path, id);
        if (type != null) {
            List<String> allowed = Stream.concat(TASK_KEYS.stream(), type.keys().stream()).toList();
            unknownKeys(node, path, allowed, "a " + type.name() + " task");
        }
        List<Dependency> dependsOn = dependsOn(node.get("dependsOn"), Pointer.child(path, "dependsOn"));
        RetryPolicy retry = node.has("retries") ? retry(node.get("retries"), Pointer.child(path, "retries")) : null;
        Duration timeout = node.has("timeout")
                ? duration(node.get("timeout"), Pointer.child(path, "timeout"), true) : null;
        String queue = node.has("queue") ? queue(node.get("queue"), Pointer.child(path, "queue")) : null;
        Duration startTimeout = node.has("startTimeout")
                ? duration(node.get("startTimeout"), Pointer.child(path, "startTimeout"), true) : null;
        TaskOptions options = TaskControlFlow.read(node, path, TaskOptions.DEFAULTS, problems);
        outlets.put(id, Assets.outlets(node.get(Assets.OUTLETS), Pointer.child(path, Assets.OUTLETS), problems));
        if (node.has(MapOverOption.KEY)) {
            // kept (as null) even when invalid, so that the task's {{ map.item }} is not reported as well
            mapOver.put(path, MapOverOption.read(node, path, problems));
            options = options.withMapOver(mapOver.get(path));
        }
        Map<String, Object> config = new LinkedHashMap<>();
        if (type != null) {
            for (String key : type.keys()) {
                if (node.has(key)) {
                    config.put(key, Values.toJava(node.get(key)));
                }
            }
            int before = problems.size();
            type.check(config, path, problems);
            if (problems.size() == before) {
                // Types check their own keys; this catches what a type let through but JSON cannot store.
                config.forEach((k, v) -> Values.checkStorable(v, Pointer.child(path, k), problems));
            }
        }
        return new RawTask(path, id, type == null ? null : type.name(), dependsOn, config, retry, timeout,
                queue, startTimeout, options);
    }

    private String taskId(JsonNode node, String path) {
        JsonNode idNode = node.get("id");
        if (idNode == null) {
            problem(path, "the task has no `id`; give it one made of letters, digits, _ and -, e.g. id: train");
            return null;
        }
        if (!idNode.isTextual()) {
            problem(Pointer.child(path, "id"), "a task id must be a string, got " + Values.describe(idNode) + "; "
                    + (idNode.isValueNode() && !idNode.isNull() ? "quote it, e.g. id: \"" + idNode.asText() + "\""
                    : "e.g. id: train"));
            return null;
        }
        String id = idNode.textValue();
        if (!TASK_ID.matcher(id).matches()) {
            String fixed = id.replaceAll("[^A-Za-z0-9_-]+", "-").replaceAll("^-+|-+$", "");
            problem(Pointer.child(path, "id"), "`" + id + "` is not a valid task id; use only letters, digits, _ and "
                    + "-, e.g. " + (fixed.isEmpty() ? "train" : fixed));
            return null;
        }
        return id;
    }

    private TaskType taskType(JsonNode node, String path, String id) {
        JsonNode typeNode = node.get("type");
        String known = String.join(", ", TaskTypes.names());
        if (typeNode == null) {
            problem(path, "task " + (id == null ? "" : "`" + id + "` ") + "has no `type`; known types: " + known);
            return null;
        }
        Optional<TaskType> type = typeNode.isTextual() ? TaskTypes.find(typeNode.textValue()) : Optional.empty();
        if (type.isEmpty()) {
            problem(Pointer.child(path, "type"), "unknown task type " + Values.describe(typeNode) + "; known types: "
                    + known + suggestion(typeNode.asText(), TaskTypes.names()));
            return null;
        }
        return type.get();
    }

    private List<Dependency> dependsOn(JsonNode node, String path) {
        List<Dependency> out = new ArrayList<>();
        if (node == null) {
            return out;
        }
        if (!node.isArray()) {
            problem(path, "dependsOn must be a list of task ids, e.g. dependsOn: [prepare], got "
                    + Values.describe(node) + (node.isTextual() ? "; write dependsOn: [" + node.textValue() + "]" : ""));
            return out;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode dep = node.get(i);
            String depPath = Pointer.child(path, i);
            if (dep.isTextual()) {
                out.add(new Dependency(dep.textValue(), depPath));
            } else {
                problem(depPath, "dependsOn entries must be task ids (strings), got " + Values.describe(dep));
            }
        }
        return out;
    }

    // ---- shared values ---------------------------------------------------------------------------------------

    private RetryPolicy retry(JsonNode node, String path) {
        String forms = "write retries: 3, or retries: {count: 3, initialDelay: 10s, backoff: 2, maxDelay: 5m, "
                + "jitter: 0.1}";
        if (node.isNumber()) {
            Integer count = retryCount(node, path);
            return count == null ? null : retryPolicy(count, DEFAULT_INITIAL_DELAY, DEFAULT_BACKOFF,
                    DEFAULT_MAX_DELAY, DEFAULT_JITTER);
        }
        if (!node.isObject()) {
            problem(path, "retries must be a number of retries or a mapping, got " + Values.describe(node) + "; "
                    + forms);
            return null;
        }
        unknownKeys(node, path, RETRY_KEYS, "retries");
        int before = problems.size();
        Integer count = null;
        if (!node.has("count")) {
            problem(path, "retries needs `count`, the number of retries after the first attempt; " + forms);
        } else {
            count = retryCount(node.get("count"), Pointer.child(path, "count"));
        }
        Duration initialDelay = node.has("initialDelay")
                ? duration(node.get("initialDelay"), Pointer.child(path, "initialDelay"), false)
                : DEFAULT_INITIAL_DELAY;
        Double backoff = node.has("backoff") ? number(node.get("backoff"), Pointer.child(path, "backoff"), 1.0,
                Double.MAX_VALUE, "the factor each further delay grows by, at least 1 (1 keeps delays constant)")
                : Double.valueOf(DEFAULT_BACKOFF);
        Duration maxDelay = node.has("maxDelay")
                ? duration(node.get("maxDelay"), Pointer.child(path, "maxDelay"), false) : DEFAULT_MAX_DELAY;
        Double jitter = node.has("jitter") ? number(node.get("jitter"), Pointer.child(path, "jitter"), 0.0, 1.0,
                "the fraction by which delays are randomly spread, from 0 to 1") : Double.valueOf(DEFAULT_JITTER);
        if (problems.size() > before) {
            return null;
        }
        return retryPolicy(count, initialDelay, backoff, maxDelay, jitter);
    }

    private static RetryPolicy retryPolicy(int count, Duration initialDelay, double backoff, Duration maxDelay,
                                           double jitter) {
        // With no retries the delay settings mean nothing; one value keeps equal behaviour equal (and hashed alike).
        return count == 0 ? RetryPolicy.NONE : new RetryPolicy(count, initialDelay, backoff, maxDelay, jitter);
    }

    private Integer retryCount(JsonNode node, String path) {
        Optional<Long> n = integer(node);
        if (n.isEmpty() || n.get() < 0 || n.get() > MAX_RETRIES) {
            problem(path, "the retry count must be a whole number from 0 to " + MAX_RETRIES + " (retries after the "
                    + "first attempt), got " + Values.describe(node));
            return null;
        }
        return n.get().intValue();
    }

    private Double number(JsonNode node, String path, double min, double max, String meaning) {
        if (!node.isNumber() || !Double.isFinite(node.doubleValue()) || node.doubleValue() < min
                || node.doubleValue() > max) {
            problem(path, "expected " + meaning + ", got " + Values.describe(node));
            return null;
        }
        return node.doubleValue();
    }

    /** Whole numbers, including {@code 3.0}: JSON Schema counts those as integers too. */
    private static Optional<Long> integer(JsonNode node) {
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return Optional.of(node.longValue());
        }
        if (node.isFloatingPointNumber()) {
            double d = node.doubleValue();
            if (Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 0x1p63) {
                return Optional.of((long) d);
            }
        }
        return Optional.empty();
    }

    private Duration duration(JsonNode node, String path, boolean positive) {
        if (!node.isTextual()) {
            problem(path, "expected a duration, got " + Values.describe(node) + "; "
                    + (node.isNumber() ? "durations need a unit, e.g. " + node.asText() + "s" : Durations.HELP));
            return null;
        }
        Durations.Result result = Durations.parse(node.textValue());
        if (result instanceof Durations.Result.Invalid invalid) {
            problem(path, invalid.reason());
            return null;
        }
        Duration d = result.value().orElseThrow();
        if (positive && d.isZero()) {
            problem(path, "a timeout must be longer than zero, e.g. 30m");
            return null;
        }
        return d;
    }

    private String queue(JsonNode node, String path) {
        if (!node.isTextual() || !QUEUE.matcher(node.textValue()).matches()) {
            problem(path, "a queue name must be lowercase letters, digits, _ and -, starting with a letter or digit "
                    + "(e.g. default, gpu), got " + Values.describe(node));
            return null;
        }
        return node.textValue();
    }

    private String optionalString(JsonNode parent, String parentPath, String key) {
        JsonNode node = parent.get(key);
        if (node == null) {
            return null;
        }
        if (!node.isTextual()) {
            problem(Pointer.child(parentPath, key), key + " must be a string, got " + Values.describe(node)
                    + "; quote it or remove the key");
            return null;
        }
        return node.textValue();
    }

    private void unknownKeys(JsonNode node, String path, List<String> allowed, String where) {
        for (Map.Entry<String, JsonNode> e : fields(node)) {
            if (!allowed.contains(e.getKey())) {
                problem(Pointer.child(path, e.getKey()), "unknown key `" + e.getKey() + "`"
                        + suggestion(e.getKey(), allowed) + "; " + where + " allows: " + String.join(", ", allowed));
            }
        }
    }

    /** "did you mean" for near misses: different case or separators ({@code depends_on}), or a typo or two. */
    static String suggestion(String given, List<String> candidates) {
        String folded = fold(given);
        for (String c : candidates) {
            if (fold(c).equals(folded)) {
                return "; did you mean `" + c + "`?";
            }
        }
        for (String c : candidates) {
            if (editDistance(given.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT)) <= 2 && c.length() > 2) {
                return "; did you mean `" + c + "`?";
            }
        }
        return "";
    }

    private static String fold(String s) {
        return s.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    // ---- the task graph --------------------------------------------------------------------------------------

    /**
     * Reports duplicate ids, unknown and self dependencies and cycles.
     *
     * @return the first task declared under each id
     */
    private Map<String, RawTask> checkTaskGraph(List<RawTask> tasks) {
        Map<String, RawTask> byId = new LinkedHashMap<>();
        for (RawTask t : tasks) {
            if (t.id() == null) {
                continue;
            }
            RawTask first = byId.putIfAbsent(t.id(), t);
            if (first != null) {
                problem(Pointer.child(t.path(), "id"), "duplicate task id `" + t.id() + "`, already used by "
                        + first.path() + "; task ids must be unique within a pipeline, rename one of them");
            }
        }
        String known = String.join(", ", byId.keySet());
        for (RawTask t : tasks) {
            Set<String> seen = new HashSet<>();
            for (Dependency d : t.dependsOn()) {
                if (d.taskId().equals(t.id())) {
                    problem(d.path(), "task `" + t.id() + "` depends on itself; remove `" + d.taskId()
                            + "` from its dependsOn");
                } else if (!byId.containsKey(d.taskId())) {
                    problem(d.path(), "unknown task `" + d.taskId() + "` in dependsOn; known tasks: " + known
                            + suggestion(d.taskId(), List.copyOf(byId.keySet())));
                } else if (!seen.add(d.taskId())) {
                    problem(d.path(), "`" + d.taskId() + "` is listed twice in dependsOn; remove one");
                }
            }
        }
        reportCycles(byId);
        return byId;
    }

    /** Finds strongly connected components (Tarjan, iteratively so long chains cannot overflow the stack). */
    private void reportCycles(Map<String, RawTask> byId) {
        List<RawTask> nodes = List.copyOf(byId.values());
        Map<String, Integer> number = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            number.put(nodes.get(i).id(), i);
        }
        List<List<Integer>> edges = new ArrayList<>();
        for (RawTask t : nodes) {
            edges.add(t.dependsOn().stream().map(Dependency::taskId).filter(d -> !d.equals(t.id()))
                    .map(number::get).filter(java.util.Objects::nonNull).distinct().toList());
        }
        int n = nodes.size();
        int[] index = new int[n];
        int[] low = new int[n];
        boolean[] onStack = new boolean[n];
        java.util.Arrays.fill(index, -1);
        Deque<Integer> stack = new ArrayDeque<>();
        List<List<Integer>> components = new ArrayList<>();
        int counter = 0;
        for (int start = 0; start < n; start++) {
            if (index[start] != -1) {
                continue;
            }
            Deque<int[]> calls = new ArrayDeque<>();
            index[start] = low[start] = counter++;
            stack.push(start);
            onStack[start] = true;
            calls.push(new int[] {start, 0});
            while (!calls.isEmpty()) {
                int[] frame = calls.peek();
                int u = frame[0];
                if (frame[1] < edges.get(u).size()) {
                    int w = edges.get(u).get(frame[1]++);
                    if (index[w] == -1) {
                        index[w] = low[w] = counter++;
                        stack.push(w);
                        onStack[w] = true;
                        calls.push(new int[] {w, 0});
                    } else if (onStack[w]) {
                        low[u] = Math.min(low[u], index[w]);
                    }
                } else {
                    calls.pop();
                    if (!calls.isEmpty()) {
                        int parent = calls.peek()[0];
                        low[parent] = Math.min(low[parent], low[u]);
                    }
                    if (low[u] == index[u]) {
                        List<Integer> component = new ArrayList<>();
                        int w;
                        do {
                            w = stack.pop();
                            onStack[w] = false;
                            component.add(w);
                        } while (w != u);
                        if (component.size() > 1) {
                            components.add(component);
                        }
                    }
                }
            }
        }
        components.stream()
                .map(c -> c.stream().mapToInt(Integer::intValue).min().orElseThrow())
                .sorted()
                .forEach(first -> reportCycle(first, components.stream().filter(c -> c.contains(first)).findFirst()
                        .map(Set::copyOf).orElseThrow(), nodes, edges));
    }

    /** Names the shortest cycle through {@code first} inside its component, starting at the first-declared task. */
    private void reportCycle(int first, Set<Integer> component, List<RawTask> nodes, List<List<Integer>> edges) {
        Map<Integer, Integer> parent = new HashMap<>();
        Deque<Integer> queue = new ArrayDeque<>(List.of(first));
        parent.put(first, -1);
        int last = -1;
        while (!queue.isEmpty() && last == -1) {
            int u = queue.poll();
            for (int w : edges.get(u)) {
                if (w == first) {
                    last = u;
                    break;
                }
                if (component.contains(w) && !parent.containsKey(w)) {
                    parent.put(w, u);
                    queue.add(w);
                }
            }
        }
        List<String> cycle = new ArrayList<>();
        for (int v = last; v != -1; v = parent.get(v)) {
            cycle.add(nodes.get(v).id());
        }
        Collections.reverse(cycle);
        cycle.add(nodes.get(first).id());
        RawTask start = nodes.get(first);
        String next = cycle.get(1);
        String path = start.dependsOn().stream().filter(d -> d.taskId().equals(next)).findFirst()
                .map(Dependency::path).orElse(start.path());
        if (cycle.size() > MAX_CYCLE_NAMES) {
            // A message naming thousands of tasks helps nobody; its two ends show where to look.
            int omitted = cycle.size() - MAX_CYCLE_NAMES;
            List<String> shown = new ArrayList<>(cycle.subList(0, MAX_CYCLE_NAMES / 2));
            shown.add("... (" + omitted + " more)");
            shown.addAll(cycle.subList(cycle.size() - MAX_CYCLE_NAMES / 2, cycle.size()));
            cycle = shown;
        }
        problem(path, "dependency cycle " + String.join(" -> ", cycle) + " (each task depends on the next), so none "
                + "of them could ever start; remove one of these dependencies");
    }

    // ---- templates -------------------------------------------------------------------------------------------

    private void checkTemplates(List<RawTask> tasks, Map<String, RawTask> byId, Set<String> parameters) {
        List<String> known = List.copyOf(byId.keySet());
        Set<String> declared = new LinkedHashSet<>(parameters);
        for (RawTask t : tasks) {
            Upstream upstream = new Upstream(t, byId);
            String mapOverExpression = mapOver.get(t.path());
            TemplateChecker.Scope scope = new TemplateChecker.Scope(t.id(), declared, known, upstream::contains,
                    mapOver.containsKey(t.path()));
            t.config().forEach((k, v) -> templates(v, Pointer.child(t.path(), k),
                    scope.secrets(SecretUse.problem(t.type(), k))));
            TaskControlFlow.checkWhen(t.options().when(), t.path(), t.id(), declared, known, upstream::contains,
                    problems);
            if (mapOverExpression != null && t.id() != null) {
                MapOverOption.check(mapOverExpression, t.path(), t.id(), declared, known, upstream::contains,
                        problems);
            }
        }
    }

    /** A task's transitive dependencies, computed on first use: most tasks never read another task's outputs. */
    private static final class Upstream {
        private final RawTask task;
        private final Map<String, RawTask> byId;
        private Set<String> ids;

        Upstream(RawTask task, Map<String, RawTask> byId) {
            this.task = task;
            this.byId = byId;
        }

        boolean contains(String taskId) {
            if (ids == null) {
                ids = new HashSet<>();
                Deque<String> todo = task.dependsOn().stream().map(Dependency::taskId)
                        .collect(Collectors.toCollection(ArrayDeque::new));
                while (!todo.isEmpty()) {
                    String d = todo.poll();
                    RawTask dep = byId.get(d);
                    if (dep != null && ids.add(d)) {
                        dep.dependsOn().forEach(x -> todo.add(x.taskId()));
                    }
                }
            }
            return ids.contains(taskId);
        }
    }

    private void templates(Object value, String path, TemplateChecker.Scope scope) {
        if (value instanceof String s) {
            TemplateChecker.check(s, path, scope, problems);
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                templates(list.get(i), Pointer.child(path, i), scope);
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> templates(v, Pointer.child(path, String.valueOf(k)), scope));
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private void problem(String path, String message) {
        problems.add(new SpecProblem(path, message));
    }

    private static Iterable<Map.Entry<String, JsonNode>> fields(JsonNode node) {
        return node.properties();
    }

    private static List<String> typeNameList() {
        return Stream.of(ParameterType.values()).map(ParameterType::specName).toList();
    }

    private static String typeNames() {
        return String.join(", ", typeNameList());
    }

    @SafeVarargs
    private static <T> T first(T... candidates) {
        for (T c : candidates) {
            if (c != null) {
                return c;
            }
        }
        throw new IllegalStateException("no fallback");
    }
}

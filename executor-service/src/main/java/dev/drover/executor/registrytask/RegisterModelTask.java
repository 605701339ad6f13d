package dev.drover.executor.registrytask;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.executor.task.LogSink;
import dev.drover.executor.task.LogStream;
import dev.drover.executor.task.TaskInvocation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Task type {@code register_model}: {@code POST /api/v1/models/{model}/versions} with
 * {@code createModelIfMissing: true}, so the first run of a pipeline creates the model and every run adds a version.
 *
 * <p>Config: {@code model}, {@code artifact} (required); {@code metrics} (name to number), {@code params},
 * {@code tags}, {@code description}, {@code code_version}, {@code feature_set: {name, version}}. The version's lineage
 * is the run, the task, the code version and the feature set. Outputs: {@code model}, {@code version},
 * {@code artifact}.
 */
final class RegisterModelTask implements RegistryTask {
    static final String TYPE = "register_model";

    /** The code version when the task does not set one; looked up only when needed (it may run git). */
    private final Supplier<Optional<String>> defaultCodeVersion;

    RegisterModelTask(Supplier<Optional<String>> defaultCodeVersion) {
        this.defaultCodeVersion = defaultCodeVersion;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public RegistryRequest prepare(TaskInvocation inv, LogSink logs) throws TaskFailure {
        return request(inv, defaultCodeVersion);
    }

    /** The request for an attempt's config. */
    static RegistryRequest request(TaskInvocation inv, Supplier<Optional<String>> defaultCodeVersion)
            throws TaskFailure {
        RenderedConfig c = new RenderedConfig(inv.config());
        String model = c.requiredString("model");
        String artifact = c.requiredString("artifact");
        Map<String, Double> metrics = c.numberMap("metrics");
        Map<String, String> params = c.scalarMap("params");
        Map<String, String> tags = c.scalarMap("tags");
        Optional<String> description = c.optionalString("description");
        Optional<String> codeVersion = c.optionalString("code_version");
        if (codeVersion.isEmpty()) {
            codeVersion = defaultCodeVersion.get();
        }

        ObjectNode body = RegistryProtocol.JSON.createObjectNode();
        body.put("artifactLocation", artifact);
        description.ifPresent(d -> body.put("description", d));
        ObjectNode paramsNode = body.putObject("params");
        params.forEach(paramsNode::put);
        ObjectNode metricsNode = body.putObject("metrics");
        metrics.forEach(metricsNode::put);
        ObjectNode lineage = body.putObject("lineage");
        lineage.put("runId", inv.runId());
        lineage.put("taskId", inv.taskId());
        codeVersion.ifPresent(v -> lineage.put("codeVersion", v));
        if (c.has("feature_set")) {
            Map<String, Object> fs = c.map("feature_set");
            RenderedConfig fsConfig = new RenderedConfig(fs);
            ObjectNode featureSet = lineage.putObject("featureSet");
            featureSet.put("name", fsConfig.optionalString("name").orElseThrow(() ->
                    new TaskFailure("config `feature_set.name` is required when feature_set is given")));
            featureSet.put("version", RenderedConfig.version("feature_set.version", fs.get("version")));
        }
        ObjectNode tagsNode = body.putObject("tags");
        tags.forEach(tagsNode::put);
        body.put("createModelIfMissing", true);
        return new RegistryRequest("/api/v1/models/" + RegistryProtocol.segment(model) + "/versions", body,
                "register a version of model " + model + " (artifact " + artifact + ")");
    }

    @Override
    public Map<String, Object> outputs(RegistryRequest request, JsonNode answer, LogSink logs) throws TaskFailure {
        Map<String, Object> out = outputs(answer);
        logs.line(LogStream.SYSTEM, "registered " + out.get("model") + " version " + out.get("version"));
        return out;
    }

    /** {@code model}, {@code version} and {@code artifact} from the registry's version answer. */
    static Map<String, Object> outputs(JsonNode answer) throws TaskFailure {
        JsonNode version = answer.path("version");
        if (!version.canConvertToLong() || !version.isIntegralNumber()) {
            throw new TaskFailure("the registry's answer has no version number: " + answer);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", answer.path("modelName").asText());
        out.put("version", version.longValue());
        out.put("artifact", answer.path("artifactLocation").asText());
        return out;
    }
}

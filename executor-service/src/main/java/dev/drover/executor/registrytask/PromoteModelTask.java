package dev.drover.executor.registrytask;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.executor.task.LogSink;
import dev.drover.executor.task.LogStream;
import dev.drover.executor.task.TaskInvocation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Task type {@code promote_model}: {@code POST /api/v1/models/{model}/promotions}, which moves the alias to the
 * version only if its metric beats the alias holder's by the margins given.
 *
 * <p>Config: {@code model}, {@code version}, {@code metric} (required); {@code direction} ({@code greater} or
 * {@code smaller}, default greater), {@code min_improvement} and {@code min_relative_improvement} (default 0),
 * {@code alias} (default {@value #DEFAULT_ALIAS}).
 *
 * <p>Measured on shared data: with {@code challenger_value}, the registry compares what the run measured instead of
 * the versions' registered metrics (which come from different test sets): {@code champion_version} and
 * {@code champion_value} are the holder the run measured on the same data (empty: no holder), {@code evaluation_data}
 * what both were measured on, {@code drift_report_id} the drift report that caused the retrain (empty: none); the run
 * is recorded as this task's run. The alias history then names all of them.
 *
 * <p>A declined promotion is a successful task: the run goes on, and the outputs say what happened
 * ({@code outcome} PROMOTED, DECLINED or PENDING_APPROVAL; {@code promoted}; {@code alias}; {@code version};
 * {@code challenger_value}; {@code champion_version} and {@code champion_value}, null without a champion;
 * {@code reason}; {@code request_id} of the approval request when the alias is protected, else null).
 */
final class PromoteModelTask implements RegistryTask {
    static final String TYPE = "promote_model";
    static final String DEFAULT_ALIAS = "champion";
    private static final List<String> DIRECTIONS = List.of("greater", "smaller");
    /** UNCHANGED: the version already holds the alias (e.g. a retried attempt whose first try promoted it). */
    private static final List<String> OUTCOMES = List.of("PROMOTED", "DECLINED", "PENDING_APPROVAL", "UNCHANGED");

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public RegistryRequest prepare(TaskInvocation inv, LogSink logs) throws TaskFailure {
        return request(inv);
    }

    /** The request for an attempt's config. */
    static RegistryRequest request(TaskInvocation inv) throws TaskFailure {
        RenderedConfig c = new RenderedConfig(inv.config());
        String model = c.requiredString("model");
        long version = c.version("version");
        String metric = c.requiredString("metric");
        String direction = c.optionalString("direction").orElse("greater");
        if (!DIRECTIONS.contains(direction)) {
            throw new TaskFailure("config `direction` must be greater or smaller, got `" + direction + "`");
        }
        double minImprovement = nonNegative(c, "min_improvement");
        double minRelativeImprovement = nonNegative(c, "min_relative_improvement");
        String alias = c.optionalString("alias").orElse(DEFAULT_ALIAS);

        ObjectNode body = RegistryProtocol.JSON.createObjectNode();
        body.put("version", version);
        body.put("metric", metric);
        body.put("direction", direction);
        body.put("minAbsoluteImprovement", minImprovement);
        body.put("minRelativeImprovement", minRelativeImprovement);
        body.put("alias", alias);
        Optional<Double> challengerValue = c.optionalNumber("challenger_value");
        if (challengerValue.isPresent()) {
            ObjectNode measured = body.putObject("measured");
            measured.put("challengerValue", challengerValue.get());
            Optional<Double> championValue = c.optionalNumber("champion_value");
            boolean holder = c.optionalString("champion_version").filter(s -> !s.isBlank()).isPresent();
            if (holder != championValue.isPresent()) {
                throw new TaskFailure("config `champion_version` and `champion_value` go together: give both (the "
                        + "alias holder measured on the same data) or neither (no version holds the alias)");
            }
            if (holder) {
                measured.put("championVersion", c.version("champion_version"));
                measured.put("championValue", championValue.get());
            }
            c.optionalString("evaluation_data").filter(s -> !s.isBlank())
                    .ifPresent(d -> measured.put("evaluationData", d));
            c.optionalString("drift_report_id").filter(s -> !s.isBlank())
                    .ifPresent(d -> measured.put("driftReportId", d));
            measured.put("runId", inv.runId());
        }
        return new RegistryRequest("/api/v1/models/" + RegistryProtocol.segment(model) + "/promotions", body,
                "promote " + model + " version " + version + " to " + alias + " if its " + metric + " is "
                        + direction);
    }

    private static double nonNegative(RenderedConfig c, String key) throws TaskFailure {
        double d = c.optionalNumber(key).orElse(0.0);
        if (d < 0) {
            throw new TaskFailure("config `" + key + "` must be 0 or more, got " + d);
        }
        return d;
    }

    @Override
    public Map<String, Object> outputs(RegistryRequest request, JsonNode answer, LogSink logs) throws TaskFailure {
        Map<String, Object> out = outputs(answer, request.body().path("version").longValue());
        logs.line(LogStream.SYSTEM, "promotion of version " + out.get("version") + " to " + out.get("alias") + ": "
                + out.get("outcome") + " (" + out.get("reason") + ")");
        return out;
    }

    /** The outputs from the registry's promotion answer; {@code requested} is the version asked about. */
    static Map<String, Object> outputs(JsonNode answer, long requested) throws TaskFailure {
        String outcome = answer.path("outcome").asText("");
        if (!OUTCOMES.contains(outcome)) {
            throw new TaskFailure("the registry's promotion answer has outcome `" + outcome + "`, expected one of "
                    + String.join(", ", OUTCOMES) + ": " + answer);
        }
        JsonNode evaluation = answer.path("evaluation");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("outcome", outcome);
        out.put("promoted", outcome.equals("PROMOTED") || outcome.equals("UNCHANGED"));
        out.put("alias", answer.path("alias").asText());
        JsonNode challenger = evaluation.path("challengerVersion");
        out.put("version", challenger.isIntegralNumber() ? challenger.longValue() : requested);
        out.put("challenger_value", number(evaluation.path("challengerValue")));
        out.put("champion_version", evaluation.path("holderVersion").isIntegralNumber()
                ? evaluation.path("holderVersion").longValue() : null);
        out.put("champion_value", number(evaluation.path("holderValue")));
        out.put("reason", evaluation.path("explanation").isTextual() ? evaluation.path("explanation").asText()
                : outcome.toLowerCase(java.util.Locale.ROOT));
        out.put("measured", evaluation.path("measured").asBoolean(false));
        JsonNode request = answer.path("request").path("requestId");
        out.put("request_id", request.isValueNode() && !request.isNull() ? request.asText() : null);
        return out;
    }

    private static Double number(JsonNode node) {
        return node.isNumber() ? node.doubleValue() : null;
    }
}

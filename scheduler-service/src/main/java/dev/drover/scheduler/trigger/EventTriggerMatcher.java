package dev.drover.scheduler.trigger;

import dev.drover.scheduler.core.SchedulerCommand.RequestRun;
import dev.drover.platform.expression.Expressions;
import dev.drover.scheduler.pipeline.EventTriggers;
import dev.drover.scheduler.pipeline.PipelineSpec;
import dev.drover.scheduler.pipeline.Trigger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decides, without side effects, what an external event means for one pipeline: which of its event triggers (in the
 * order declared) is the first whose type matches and whose filter holds, and the run it asks for.
 *
 * <p>The run id is a hash of the event's source and id, so every delivery of an event (a redelivered record, a
 * re-POST after a timeout) asks for the same run, and the scheduler refuses all but the first ({@code RUN_EXISTS}).
 */
public final class EventTriggerMatcher {
    /** The trigger name runs started by events carry. */
    public static final String TRIGGER = "event";
    /** Who runs started by events are requested by: {@code event:<source>}. */
    public static final String REQUESTED_BY_PREFIX = "event:";
    private static final Expressions EXPRESSIONS = EventTriggers.EXPRESSIONS;

    private EventTriggerMatcher() {
    }

    /** What an event means for one pipeline. */
    public sealed interface Outcome {
        /** The pipeline. */
        String pipelineId();
    }

    /** A trigger matched: run the pipeline with these parameters. */
    public record Matched(String pipelineId, String runId, Map<String, Object> parameters) implements Outcome {
    }

    /** No trigger of the pipeline matched (none of the type, or every filter was false). */
    public record NotMatched(String pipelineId) implements Outcome {
    }

    /** A filter or a parameter failed to evaluate; the reason says which and why. No run is requested. */
    public record Failed(String pipelineId, String reason) implements Outcome {
    }

    /** Evaluates the pipeline's event triggers against the event. */
    public static Outcome evaluate(PipelineSpec spec, ExternalEvent event) {
        Map<String, Object> variables = event.expressionVariables();
        for (int i = 0; i < spec.triggers().size(); i++) {
            if (!(spec.triggers().get(i) instanceof Trigger.Event trigger) || !trigger.type().equals(event.type())) {
                continue;
            }
            String where = "triggers[" + i + "] of pipeline " + spec.id();
            if (trigger.filter() != null) {
                boolean pass;
                try {
                    pass = EXPRESSIONS.test(trigger.filter(), variables);
                } catch (Expressions.ExpressionException e) {
                    return new Failed(spec.id(), "filter of " + where + ": " + e.getMessage());
                }
                if (!pass) {
                    continue;
                }
            }
            Map<String, Object> parameters = new LinkedHashMap<>();
            for (Map.Entry<String, String> p : trigger.parameters().entrySet()) {
                try {
                    parameters.put(p.getKey(), EXPRESSIONS.evaluate(p.getValue(), variables));
                } catch (Expressions.ExpressionException e) {
                    return new Failed(spec.id(), "parameter " + p.getKey() + " of " + where + ": " + e.getMessage());
                }
            }
            return new Matched(spec.id(), runId(spec.id(), event), parameters);
        }
        return new NotMatched(spec.id());
    }

    /** The run request of a match. */
    public static RequestRun request(Matched match, ExternalEvent event) {
        return new RequestRun(commandId(match.pipelineId(), event), match.pipelineId(), match.runId(),
                match.parameters(), TRIGGER, REQUESTED_BY_PREFIX + event.source());
    }

    /** The run an event asks for in a pipeline: the same for every delivery of the event. */
    public static String runId(String pipelineId, ExternalEvent event) {
        return pipelineId + ".event-" + digest(event.source() + "\n" + event.id()).substring(0, 16);
    }

    /** The command id of an event's run request in a pipeline. */
    public static String commandId(String pipelineId, ExternalEvent event) {
        return "event/" + digest(event.source() + "\n" + event.id()) + "/" + pipelineId;
    }

    private static String digest(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}

package dev.drover.ui.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.ui.api.DroverApi;
import dev.drover.ui.graph.GraphLayout;
import dev.drover.ui.run.RunViews.Attempt;
import dev.drover.ui.run.RunViews.Bar;
import dev.drover.ui.run.RunViews.HistoryEvent;
import dev.drover.ui.run.RunViews.LogLine;
import dev.drover.ui.run.RunViews.Task;
import dev.drover.ui.web.States;
import dev.drover.ui.web.Viewer;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns the scheduler API's answers about a run into the run pages' views. */
@Singleton
public class RunReads {
    private final DroverApi api;
    private final GraphLayout layout;

    public RunReads(DroverApi api, GraphLayout layout) {
        this.api = api;
        this.layout = layout;
    }

    /** The run, as of at least {@code position} (a write's place in the log; null: as the read model has it). */
    public RunViews.Run run(Viewer viewer, String runId, String position) {
        JsonNode r = api.read(viewer.token(), "/api/v1/runs/" + DroverApi.encode(runId)
                + (position == null || position.isEmpty() ? "" : "?position=" + DroverApi.encode(position)));
        String pipelineId = r.path("pipelineId").asText();
        int revision = r.path("revision").asInt();
        List<Task> tasks = new ArrayList<>();
        Map<String, String> states = new LinkedHashMap<>();
        for (JsonNode t : r.path("tasks")) {
            List<Attempt> attempts = new ArrayList<>();
            for (JsonNode a : t.path("attempts")) {
                attempts.add(new Attempt(a.path("attempt").asInt(), a.path("status").asText(),
                        a.path("type").asText(""), a.path("executorId").asText(null), a.path("startedAt").asText(null),
                        a.path("finishedAt").asText(null), a.path("durationMs").isNumber()
                        ? a.path("durationMs").asLong() : null,
                        a.path("exitCode").isNumber() ? a.path("exitCode").asInt() : null,
                        a.path("message").asText(null),
                        a.path("outputs").isMissingNode() || a.path("outputs").isNull() ? null
                                : a.path("outputs").toPrettyString()));
            }
            String taskId = t.path("taskId").asText();
            states.put(taskId, t.path("status").asText());
            tasks.add(new Task(taskId, t.path("status").asText(), t.path("attempt").asInt(), attempts));
        }
        return new RunViews.Run(runId, pipelineId, revision, r.path("status").asText(), r.path("trigger").asText(""),
                r.path("requestedBy").asText(""), r.path("startedAt").asText(null), r.path("finishedAt").asText(null),
                r.path("durationMs").isNumber() ? r.path("durationMs").asLong() : null, r.path("reason").asText(null),
                r.path("parameters").toString(), layout.of(pipelineId + "@" + revision,
                () -> specOf(viewer, pipelineId, revision)), states, tasks,
                gantt(tasks, r.path("startedAt").asText(null), r.path("finishedAt").asText(null)),
                viewer.mayOperate(pipelineId));
    }

    private JsonNode specOf(Viewer viewer, String pipelineId, int revision) {
        for (JsonNode rev : api.read(viewer.token(), "/api/v1/pipelines/" + DroverApi.encode(pipelineId)
                + "/revisions")) {
            if (rev.path("revision").asInt() == revision) {
                return rev.path("spec");
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    /** Each attempt that started, as a bar over the run's span (until now while it runs). */
    static List<Bar> gantt(List<Task> tasks, String runStart, String runEnd) {
        if (runStart == null) {
            return List.of();
        }
        long start = Instant.parse(runStart).toEpochMilli();
        long end = runEnd != null ? Instant.parse(runEnd).toEpochMilli() : System.currentTimeMillis();
        for (Task t : tasks) {
            for (Attempt a : t.attempts()) {
                if (a.finishedAt() != null) {
                    end = Math.max(end, Instant.parse(a.finishedAt()).toEpochMilli());
                }
            }
        }
        double span = Math.max(1, end - start);
        List<Bar> bars = new ArrayList<>();
        for (Task t : tasks) {
            for (Attempt a : t.attempts()) {
                if (a.startedAt() == null) {
                    continue;
                }
                long s = Instant.parse(a.startedAt()).toEpochMilli();
                long f = a.finishedAt() != null ? Instant.parse(a.finishedAt()).toEpochMilli() : end;
                double left = Math.max(0, (s - start) / span);
                double width = Math.max(0.004, (f - s) / span);
                bars.add(new Bar(t.taskId(), a.attempt(), a.status(), round(left * 100),
                        round(Math.min(width, 1 - left) * 100), t.taskId() + " #" + a.attempt() + " · "
                        + States.words(a.status()) + " · " + States.duration(f - s)));
            }
        }
        return bars;
    }

    private static double round(double percent) {
        return Math.round(percent * 100) / 100.0;
    }

    public List<HistoryEvent> history(Viewer viewer, String runId) {
        List<HistoryEvent> out = new ArrayList<>();
        JsonNode events = api.read(viewer.token(), "/api/v1/runs/" + DroverApi.encode(runId) + "/events");
        for (JsonNode e : events.isArray() ? events : events.path("items")) {
            out.add(new HistoryEvent(e.path("eventId").asText(), e.path("type").asText(), e.path("at").asText(null),
                    e.path("taskId").asText(null), e.path("attempt").isNumber() ? e.path("attempt").asInt() : null,
                    e.path("causationId").asText(null), e.path("detail").asText(null),
                    e.path("requestedBy").asText(null)));
        }
        return out;
    }

    /** Up to {@code limit} log lines after {@code afterSeq}. */
    public List<LogLine> log(Viewer viewer, String runId, String taskId, int attempt, long afterSeq, int limit) {
        JsonNode l = api.read(viewer.token(), "/api/v1/runs/" + DroverApi.encode(runId) + "/tasks/"
                + DroverApi.encode(taskId) + "/attempts/" + attempt + "/logs?limit=" + limit
                + (afterSeq >= 0 ? "&afterSeq=" + afterSeq : ""));
        List<LogLine> lines = new ArrayList<>();
        for (JsonNode line : l.path("lines")) {
            lines.add(new LogLine(line.path("seq").asLong(), line.path("at").asText(null),
                    line.path("stream").asText(""), line.path("line").asText("")));
        }
        return lines;
    }
}

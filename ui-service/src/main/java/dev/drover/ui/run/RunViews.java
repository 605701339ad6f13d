package dev.drover.ui.run;

import dev.drover.ui.graph.TaskGraph;

import java.util.List;
import java.util.Map;

/** What the run pages show, read from the scheduler's API. */
public final class RunViews {

    private RunViews() {
    }

    /** One attempt of a task. */
    public record Attempt(int attempt, String status, String type, String executorId, String startedAt,
                          String finishedAt, Long durationMs, Integer exitCode, String message, String outputs) {
    }

    /** A task of the run with its attempts (latest last). */
    public record Task(String taskId, String status, int attempt, List<Attempt> attempts) {
        public Attempt latest() {
            return attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
        }
    }

    /** A Gantt bar: a task attempt's start and length as fractions of the run's span. */
    public record Bar(String taskId, int attempt, String status, double left, double width, String label) {
    }

    /** An event of the run's history: what happened, to what, caused by what and by whom. */
    public record HistoryEvent(String eventId, String type, String at, String taskId, Integer attempt,
                               String causationId, String detail, String requestedBy) {
    }

    /** The run page's live part: state, graph coloured by task state, tasks, Gantt chart. */
    public record Run(String runId, String pipelineId, int revision, String status, String trigger,
                      String requestedBy, String startedAt, String finishedAt, Long durationMs, String reason,
                      String parameters, TaskGraph graph, Map<String, String> taskStates, List<Task> tasks,
                      List<Bar> gantt, boolean mayOperate) {
        public boolean finished() {
            return !"RUNNING".equals(status);
        }

        public String stateOf(String taskId) {
            return taskStates.get(taskId);
        }
    }

    /** A log line. */
    public record LogLine(long seq, String at, String stream, String line) {
    }

    /** An attempt's log page. */
    public record AttemptLog(String runId, String taskId, int attempt, String status, List<LogLine> lines,
                             long lastSeq, boolean live) {
    }
}

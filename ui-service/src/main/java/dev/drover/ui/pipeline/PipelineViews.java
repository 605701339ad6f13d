package dev.drover.ui.pipeline;

import dev.drover.ui.graph.TaskGraph;

import java.util.List;

/** What the pipeline pages show, read from the scheduler's API. */
public final class PipelineViews {

    private PipelineViews() {
    }

    /** A run as a coloured square: its id, state and start. */
    public record RunChip(String runId, String status, String startedAt) {
    }

    /** A row of the pipeline list. */
    public record Row(String id, String description, boolean paused, long running, long failed,
                      List<RunChip> recentRuns) {
    }

    /** One cell of the grid: a task in a run (null state: the run has no such task). */
    public record Cell(String taskId, String status, int attempt) {
    }

    /** One column of the grid: a run and its cells in the order of {@link Grid#taskIds()}. */
    public record GridRun(String runId, String status, String startedAt, String trigger, List<Cell> cells) {
    }

    /** Airflow's grid: the latest runs (oldest left, newest right, as time reads) × tasks. */
    public record Grid(List<String> taskIds, List<GridRun> runs) {
    }

    /** A declared run parameter as the trigger form shows it, with what was entered and what was wrong with it. */
    public record Field(String name, String type, String description, String value, boolean required, String error) {
        public String inputType() {
            return switch (type) {
                case "integer", "number" -> "number";
                case "boolean" -> "checkbox";
                default -> "text";
            };
        }

        public String step() {
            return "integer".equals(type) ? "1" : "any";
        }
    }

    /** A revision in the list, newest first. */
    public record Revision(int revision, String registeredBy, String registeredAt, String specHash) {
    }

    /** A backfill and how far it got. */
    public record Backfill(String id, String status, String rangeStart, String rangeEnd, int intervals, int started,
                           int succeeded, int failed) {
        public int percent() {
            return intervals == 0 ? 100 : Math.round(100f * (succeeded + failed) / intervals);
        }
    }

    /** The pipeline page. */
    public record Page(String id, String description, int latestRevision, boolean paused, String pausedBy,
                       String schedule, String nextRunAt, TaskGraph graph, Grid grid, List<Revision> revisions,
                       List<Backfill> backfills, List<String> triggers, boolean mayOperate) {
    }
}

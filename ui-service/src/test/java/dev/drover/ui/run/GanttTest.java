package dev.drover.ui.run;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The Gantt chart's bars: each started attempt placed on the run's span. */
class GanttTest {

    private static RunViews.Attempt attempt(int n, String status, String start, String end) {
        return new RunViews.Attempt(n, status, "shell", "e1", start, end, null, null, null, null);
    }

    @Test
    void barsArePlacedOnTheRunsSpan() {
        List<RunViews.Task> tasks = List.of(
                new RunViews.Task("a", "SUCCEEDED", 1, List.of(attempt(1, "SUCCEEDED", "2026-01-01T00:00:00Z",
                        "2026-01-01T00:00:10Z"))),
                new RunViews.Task("b", "SUCCEEDED", 2, List.of(
                        attempt(1, "FAILED", "2026-01-01T00:00:10Z", "2026-01-01T00:00:15Z"),
                        attempt(2, "SUCCEEDED", "2026-01-01T00:00:15Z", "2026-01-01T00:00:20Z"))),
                new RunViews.Task("c", "PENDING", 0, List.of()));
        List<RunViews.Bar> bars = RunReads.gantt(tasks, "2026-01-01T00:00:00Z", "2026-01-01T00:00:20Z");
        assertThat(bars).extracting(RunViews.Bar::taskId).containsExactly("a", "b", "b");
        assertThat(bars.get(0).left()).isEqualTo(0.0);
        assertThat(bars.get(0).width()).isEqualTo(50.0);
        assertThat(bars.get(1).left()).isEqualTo(50.0);
        assertThat(bars.get(2).left()).isEqualTo(75.0);
        assertThat(bars.get(2).width()).isEqualTo(25.0);
        assertThat(bars.get(1).label()).contains("b #1", "failed", "5.0 s");
    }
}

package dev.drover.scheduler.core;

import dev.drover.scheduler.pipeline.RetryPolicy;
import dev.drover.scheduler.pipeline.TaskSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The decider's tunables: defaults, the start timeout a task gets, and settings that cannot work. */
class SchedulerSettingsTest {

    static TaskSpec task(Duration startTimeout) {
        return new TaskSpec("a", "noop", List.of(), Map.of(), RetryPolicy.NONE, Duration.ofHours(1), "gpu",
                startTimeout);
    }

    @Test
    void theDefaultStartTimeoutIsTenMinutes() {
        assertThat(SchedulerSettings.defaults().startTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(new SchedulerSettings(Duration.ofSeconds(5)).startTimeout()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void aTasksOwnStartTimeoutWinsOverTheSchedulers() {
        SchedulerSettings settings = new SchedulerSettings(Duration.ofSeconds(15), Duration.ofMinutes(30));

        assertThat(settings.startTimeoutOf(task(Duration.ofMinutes(2)))).isEqualTo(Duration.ofMinutes(2));
        assertThat(settings.startTimeoutOf(task(null))).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void aStartTimeoutThatCannotWorkNamesThePropertyToFix() {
        assertThatThrownBy(() -> new SchedulerSettings(Duration.ofSeconds(15), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("drover.scheduler.start-timeout must be a whole number of milliseconds longer than zero, "
                        + "e.g. 10m; got PT0S");
        assertThatThrownBy(() -> new SchedulerSettings(Duration.ofSeconds(15), Duration.ofMinutes(-1)))
                .hasMessageStartingWith("drover.scheduler.start-timeout must be");
        assertThatThrownBy(() -> new SchedulerSettings(Duration.ofSeconds(15), Duration.ofNanos(1_500_000)))
                .hasMessageContaining("whole number of milliseconds");
        assertThatThrownBy(() -> new SchedulerSettings(Duration.ofSeconds(15), null))
                .hasMessageEndingWith("got null");
        assertThatThrownBy(() -> new SchedulerSettings(Duration.ZERO))
                .hasMessageStartingWith("drover.scheduler.lease-duration must be");
    }
}

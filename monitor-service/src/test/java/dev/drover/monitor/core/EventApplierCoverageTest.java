package dev.drover.monitor.core;

import dev.drover.monitor.core.MonitorEvent.AlertRaised;
import dev.drover.monitor.core.MonitorEvent.DegradationDetected;
import dev.drover.monitor.core.MonitorEvent.DriftReportRecorded;
import dev.drover.monitor.core.MonitorEvent.MonitorCommandRejected;
import dev.drover.monitor.core.MonitorEvent.MonitoringConfigured;
import dev.drover.monitor.core.MonitorEvent.PerformanceRecorded;
import dev.drover.monitor.core.MonitorEvent.RetrainAwaitingLabels;
import dev.drover.monitor.core.MonitorEvent.RetrainRequested;
import dev.drover.monitor.core.MonitorEvent.RetrainRunLinked;
import dev.drover.monitor.core.MonitorEvent.RetrainSuppressed;
import dev.drover.monitor.core.MonitorEvent.RollbackRequested;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static dev.drover.monitor.core.MonitorFixtures.ALICE;
import static dev.drover.monitor.core.MonitorFixtures.FEATURES;
import static dev.drover.monitor.core.MonitorFixtures.HOOK;
import static dev.drover.monitor.core.MonitorFixtures.MODEL;
import static dev.drover.monitor.core.MonitorFixtures.configured;
import static dev.drover.monitor.core.MonitorFixtures.minutes;
import static dev.drover.monitor.core.MonitorFixtures.report;
import static dev.drover.monitor.core.MonitorFixtures.results;
import static dev.drover.monitor.core.MonitorFixtures.retrainRequested;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Every event the monitor can log has an applier: adding an event to {@link MonitorEvent} without teaching
 * {@link MonitoredModelState#apply} about it fails here (first because this test has no example of it, then because
 * applying the example fails or changes nothing). The events logged only for the record — rejections, suppressed
 * retrains, alerts — must change nothing.
 */
class EventApplierCoverageTest {

    /** Configured, one drifted report that requested a retrain. */
    static List<MonitorEvent> background() {
        return List.of(configured(), report(1, results(2, 2), minutes(10)), retrainRequested(1, minutes(10)));
    }

    static final Map<Class<?>, MonitorEvent> EXAMPLES = examples(
            new MonitoringConfigured(MODEL, new MonitoringPolicy(TumblingWindow.ofDuration(Duration.ofHours(1)), 0.4,
                    Map.of(), Duration.ZERO, null, List.of()), ALICE, minutes(11)),
            report(2, results(0, 2), minutes(20)),
            new RetrainRequested(MODEL, "churn/w-2", "drift", 3, FEATURES, minutes(80)),
            new RetrainSuppressed(MODEL, "churn/w-2", "churn/w-1", minutes(70), minutes(20)),
            new RetrainAwaitingLabels(MODEL, "churn/w-2", "drift", 200, 1000, minutes(20)),
            new MonitorEvent.RetrainDeclined(MODEL, "churn/w-2", "retrain", "retrain.2", "not better", minutes(140),
                    minutes(90)),
            new PerformanceRecorded(MODEL, "w-1", 3, "auc", 0.9, 100, 0.9, minutes(20)),
            new DegradationDetected(MODEL, "w-1", 3, "auc", MetricDirection.GREATER, 0.8, 0.9, 0.1, 0.11, "worse",
                    minutes(20)),
            new RollbackRequested(MODEL, 3, "worse", minutes(20)),
            new AlertRaised(MODEL, AlertKind.ROLLBACK, "rolled back", List.of(HOOK), minutes(20)),
            new RetrainRunLinked(MODEL, "churn/w-1", "retrain", "retrain.1", minutes(12)),
            new MonitorCommandRejected(MODEL, "c-9", RejectionCode.STALE_WINDOW, "old window"));

    static final Set<Class<?>> RECORD_ONLY = Set.of(RetrainSuppressed.class, AlertRaised.class,
            MonitorCommandRejected.class);

    /** Every concrete event type, found through the sealed hierarchy. */
    static Set<Class<?>> eventClasses() {
        Set<Class<?>> out = new LinkedHashSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>(List.of(MonitorEvent.class));
        while (!todo.isEmpty()) {
            Class<?> c = todo.poll();
            if (c.isSealed()) {
                todo.addAll(List.of(c.getPermittedSubclasses()));
            } else if (!c.isInterface()) {
                out.add(c);
            }
        }
        return out;
    }

    @Test
    void the_hierarchy_is_found() {
        assertThat(eventClasses()).contains(MonitoringConfigured.class, MonitorCommandRejected.class)
                .hasSizeGreaterThanOrEqualTo(10).allMatch(MonitorEvent.class::isAssignableFrom);
    }

    @Test
    void every_event_type_has_an_example_here() {
        assertThat(EXAMPLES.keySet()).as("add an example of each new monitor event to %s",
                getClass().getSimpleName()).containsExactlyInAnyOrderElementsOf(eventClasses());
    }

    @TestFactory
    Stream<DynamicTest> every_event_is_applied() {
        return eventClasses().stream().filter(EXAMPLES::containsKey).map(type -> DynamicTest.dynamicTest(
                type.getSimpleName(), () -> {
                    MonitoredModelState state = new MonitoredModelState(MODEL);
                    background().forEach(state::apply);
                    StateView before = StateView.of(state);

                    assertThatCode(() -> state.apply(EXAMPLES.get(type))).doesNotThrowAnyException();
                    if (RECORD_ONLY.contains(type)) {
                        assertThat(StateView.of(state)).as("%s is logged for the record and changes nothing",
                                type.getSimpleName()).isEqualTo(before);
                    } else {
                        assertThat(StateView.of(state)).as("applying %s changes the state", type.getSimpleName())
                                .isNotEqualTo(before);
                    }
                }));
    }

    @Test
    void an_event_of_another_model_is_not_applied() {
        MonitoredModelState state = new MonitoredModelState("other");

        assertThatCode(() -> state.apply(configured())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("event for model churn applied to other");
    }

    @Test
    void events_before_configuration_mean_a_broken_log() {
        MonitoredModelState state = new MonitoredModelState(MODEL);

        assertThatCode(() -> state.apply(report(1, results(1, 1), minutes(1))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("before monitoring was configured");
    }

    private static Map<Class<?>, MonitorEvent> examples(MonitorEvent... events) {
        Map<Class<?>, MonitorEvent> out = new LinkedHashMap<>();
        for (MonitorEvent e : events) {
            out.put(e.getClass(), e);
        }
        return out;
    }
}

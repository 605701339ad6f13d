package dev.drover.monitor.core;

import dev.drover.monitor.core.MonitorCommand.RecordRetrainRun;
import dev.drover.monitor.core.MonitorCommand.RecordRunFailed;
import dev.drover.monitor.core.MonitorEvent.RetrainRequested;
import dev.drover.monitor.core.MonitorEvent.RollbackRequested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.drover.monitor.core.MonitorFixtures.ALICE;
import static dev.drover.monitor.core.MonitorFixtures.MODEL;
import static dev.drover.monitor.core.MonitorFixtures.POLICY;
import static dev.drover.monitor.core.MonitorFixtures.configure;
import static dev.drover.monitor.core.MonitorFixtures.minutes;
import static dev.drover.monitor.core.MonitorFixtures.performance;
import static dev.drover.monitor.core.MonitorFixtures.recordWindow;
import static dev.drover.monitor.core.MonitorFixtures.results;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live and replay are the same code: deciding a whole story step by step while applying each decision to a live
 * state must leave exactly the state that folding the same log into a fresh state gives — after every step, since a
 * restart can happen between any two decisions. And a restarted monitor decides the next command as the live one
 * would have.
 */
class ReplayTest {

    /** The monitor loop for one model, without Kafka: decide, apply, append. */
    static final class LiveModel {
        final MonitorDecider decider = new MonitorDecider();
        final MonitoredModelState state = new MonitoredModelState(MODEL);
        final List<MonitorEvent> log = new ArrayList<>();

        List<MonitorEvent> decide(MonitorCommand command, Instant now) {
            List<MonitorEvent> events = decider.decide(state, command, now).events();
            for (MonitorEvent e : events) {
                state.apply(e);
                log.add(e);
            }
            assertThat(StateView.of(state)).as("live state after %s", command).isEqualTo(StateView.of(fold(log)));
            return events;
        }
    }

    static MonitoredModelState fold(List<MonitorEvent> log) {
        MonitoredModelState s = new MonitoredModelState(MODEL);
        log.forEach(s::apply);
        return s;
    }

    @Test
    void folding_the_log_gives_the_state_the_live_decisions_left() {
        LiveModel live = new LiveModel();
        live.decide(recordWindow(1, results(1, 2)), minutes(1)); // refused: not configured
        live.decide(configure(POLICY), minutes(2));
        live.decide(recordWindow(1, results(0, 4)), minutes(10));
        live.decide(recordWindow(2, results(3, 4)), minutes(20)); // retrain requested
        live.decide(recordWindow(3, results(4, 4)), minutes(30)); // suppressed
        live.decide(recordWindow(3, results(4, 4)), minutes(31)); // refused: duplicate
        live.decide(new RecordRetrainRun("c-run", MODEL, "churn/w-2", "retrain", "retrain.1"), minutes(32));
        live.decide(new RecordRunFailed("c-fail", MODEL, "retrain", "retrain.1", "exit 1"), minutes(40));
        live.decide(performance("w-3", 3, 0.89, 0.90), minutes(41));
        live.decide(performance("w-4", 3, 0.70, 0.90), minutes(51)); // rollback requested
        live.decide(performance("w-5", 3, 0.60, 0.90), minutes(61)); // degraded again: no second rollback
        live.decide(configure(new MonitoringPolicy(POLICY.window(), 0.25, Map.of(), Duration.ofMinutes(30),
                POLICY.degradation(), List.of())), minutes(62));
        live.decide(recordWindow(4, results(1, 4)), minutes(85)); // 25 % now drifts; cooldown over: requested

        assertThat(live.log).filteredOn(RetrainRequested.class::isInstance).hasSize(2);
        assertThat(live.log).filteredOn(RollbackRequested.class::isInstance).hasSize(1);
        MonitoredModelState replayed = fold(live.log);
        assertThat(replayed.retrainRuns()).containsOnlyKeys("churn/w-2", "churn/w-4");
        assertThat(replayed.rolledBackVersions()).containsExactly(3);
        assertThat(replayed.configuredBy()).isEqualTo(ALICE);
    }

    @Test
    void a_restarted_monitor_keeps_the_cooldown() {
        LiveModel live = new LiveModel();
        live.decide(configure(POLICY), minutes(0));
        live.decide(recordWindow(1, results(2, 2)), minutes(10));

        MonitoredModelState restarted = fold(live.log);
        List<MonitorEvent> afterRestart = new MonitorDecider().decide(restarted, recordWindow(2, results(2, 2)),
                minutes(20)).events();

        assertThat(afterRestart).isEqualTo(live.decide(recordWindow(2, results(2, 2)), minutes(20)));
        assertThat(afterRestart).noneMatch(RetrainRequested.class::isInstance);
    }
}

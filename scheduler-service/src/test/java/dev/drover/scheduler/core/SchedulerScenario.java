package dev.drover.scheduler.core;

import dev.drover.scheduler.core.SchedulerEvent.CommandRejected;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Given/when/then for the scheduler's decider: {@code given} past events (folded with {@link SchedulerState#apply},
 * the same code that evolves the live state), {@code when} a command arrives at a moment, {@code then} exactly these
 * events, or a rejection, or nothing.
 *
 * <pre>{@code
 * given(registered(spec), runStarted(RUN), dispatched(RUN, "a", 1, T0))
 *         .when(reportStarted(RUN, "a", 1, EXECUTOR), seconds(1))
 *         .then(started(RUN, "a", 1, EXECUTOR, seconds(1)));
 * }</pre>
 */
final class SchedulerScenario {
    private final SchedulerDecider decider = new SchedulerDecider(SchedulerSettings.defaults());
    private final SchedulerState state = new SchedulerState();
    private final List<SchedulerEvent> history = new ArrayList<>();
    private SchedulerCommand command;
    private Decision decision;
    private boolean applied;

    private SchedulerScenario() {
    }

    /** Starts a scenario from these past events (none: an empty partition). */
    static SchedulerScenario given(SchedulerEvent... events) {
        return new SchedulerScenario().and(events);
    }

    /** Starts a scenario from these past events. */
    static SchedulerScenario given(List<? extends SchedulerEvent> events) {
        return given(events.toArray(SchedulerEvent[]::new));
    }

    /** More past events. */
    SchedulerScenario and(SchedulerEvent... events) {
        if (decision != null) {
            throw new IllegalStateException("given comes before when");
        }
        for (SchedulerEvent e : events) {
            state.apply(e);
            history.add(e);
        }
        return this;
    }

    /** Decides {@code command}, taken by the scheduler at {@code now}. */
    SchedulerScenario when(SchedulerCommand command, Instant now) {
        StateView before = StateView.of(state);
        this.command = command;
        this.decision = decider.decide(state, command, now);
        // decide is pure: whatever it concluded, the state it read must be untouched
        assertThat(StateView.of(state)).as("state after decide (decide must not change it)").isEqualTo(before);
        return this;
    }

    /** Exactly these events, in this order. */
    SchedulerScenario then(SchedulerEvent... expected) {
        assertThat(decided().events()).as("events decided from %s", command).containsExactly(expected);
        return this;
    }

    /** A rejection with this code (the message is for people; {@link #rejection()} gives it to tests that care). */
    SchedulerScenario thenRejected(RejectionCode code) {
        CommandRejected rejection = rejection();
        assertThat(rejection.code()).as("rejection of %s (%s)", command, rejection.message()).isEqualTo(code);
        assertThat(rejection.commandId()).isEqualTo(command.commandId());
        assertThat(rejection.pipelineId()).isEqualTo(command.pipelineId());
        assertThat(rejection.message()).as("a rejection says why").isNotBlank();
        return this;
    }

    /** No events at all: nothing to do, nothing to log. */
    SchedulerScenario thenNothing() {
        assertThat(decided().events()).as("events decided from %s", command).isEmpty();
        return this;
    }

    /** The rejection decided, failing the test if the decision is not one. */
    CommandRejected rejection() {
        assertThat(decided().rejection()).as("a rejection of %s, decided: %s", command, decision.events())
                .isPresent();
        return decision.rejection().orElseThrow();
    }

    /** The decided events, for the rare test that cannot spell them out in full. */
    List<SchedulerEvent> events() {
        return decided().events();
    }

    /** The messages to other aggregates the loop would send with the decided events ({@link PoolProtocol}). */
    List<SchedulerCommand> outgoing() {
        if (applied) {
            throw new IllegalStateException("outgoing is worked out on the state before the events are applied");
        }
        return PoolProtocol.outgoing(state, command, decided().events());
    }

    /** The state after applying the decided events too, as the live scheduler would. */
    SchedulerState stateAfter() {
        if (!applied) {
            decided().events().forEach(state::apply);
            applied = true;
        }
        return state;
    }

    private Decision decided() {
        if (decision == null) {
            throw new IllegalStateException("then comes after when");
        }
        return decision;
    }
}

package dev.drover.monitor.core;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Given/when/then for the monitor's decider: {@code given} past events (folded with
 * {@link MonitoredModelState#apply}, the same code that evolves the live state), {@code when} a command arrives at a
 * moment, {@code then} exactly these events, or a rejection.
 *
 * <pre>{@code
 * given(configured()).when(window("w-1", drifted(2), steady(1)), T1)
 *         .then(report(...), retrainRequested(...), alert(...));
 * }</pre>
 */
final class Scenario {
    private final MonitoredModelState state;
    private MonitorCommand command;
    private Decision decision;
    private boolean applied;

    private Scenario(List<MonitorEvent> history) {
        state = new MonitoredModelState(MonitorFixtures.MODEL);
        history.forEach(state::apply);
    }

    static Scenario given(MonitorEvent... history) {
        return new Scenario(List.of(history));
    }

    static Scenario given(List<MonitorEvent> history) {
        return new Scenario(history);
    }

    /** Decides {@code command}, taken by the monitor at {@code now}. */
    Scenario when(MonitorCommand command, Instant now) {
        StateView before = StateView.of(state);
        this.command = command;
        this.decision = new MonitorDecider().decide(state, command, now);
        assertThat(StateView.of(state)).as("state after decide (decide must not change it)").isEqualTo(before);
        return this;
    }

    /** Exactly these events, in this order. */
    Scenario then(MonitorEvent... expected) {
        assertThat(decided().events()).as("events decided from %s", command).containsExactly(expected);
        return this;
    }

    /** A rejection with this code whose message contains every one of {@code fragments}. */
    Scenario thenRejected(RejectionCode code, String... fragments) {
        MonitorEvent.MonitorCommandRejected rejection = rejection();
        assertThat(rejection.code()).as("rejection of %s (%s)", command, rejection.message()).isEqualTo(code);
        assertThat(rejection.commandId()).isEqualTo(command.commandId());
        assertThat(rejection.modelName()).isEqualTo(command.modelName());
        assertThat(rejection.message()).as("a rejection says why").isNotBlank().contains(fragments);
        return this;
    }

    MonitorEvent.MonitorCommandRejected rejection() {
        assertThat(decided().rejection()).as("a rejection of %s, decided: %s", command, decision.events())
                .isPresent();
        return decision.rejection().orElseThrow();
    }

    /** The decided events, for the test that inspects one part of them. */
    List<MonitorEvent> events() {
        return decided().events();
    }

    /** The decided event of this type (exactly one). */
    <T extends MonitorEvent> T only(Class<T> type) {
        List<MonitorEvent> matching = decided().events().stream().filter(type::isInstance).toList();
        assertThat(matching).as("%s among %s", type.getSimpleName(), decided().events()).hasSize(1);
        return type.cast(matching.get(0));
    }

    /** The event types decided, in order. */
    List<Class<?>> types() {
        return decided().events().stream().<Class<?>>map(Object::getClass).toList();
    }

    /** The state after applying the decided events too, as the live monitor would. */
    MonitoredModelState stateAfter() {
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

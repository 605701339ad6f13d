package dev.drover.registry.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Given/when/then for a registry decider: {@code given} past events (folded with the aggregate's {@code apply}, the
 * same code that evolves the live state), {@code when} a command arrives at a moment, {@code then} exactly these
 * events, or a rejection, or nothing. Built for one aggregate by {@link ModelFixtures#given} and
 * {@link FeatureSetFixtures#given}.
 *
 * <pre>{@code
 * given(created(), registered(1), registered(2), moved(CHAMPION, null, 1))
 *         .when(setAlias(CHAMPION, 2), T1)
 *         .then(moved(CHAMPION, 1, 2, T1));
 * }</pre>
 */
final class Scenario<C, E, S> {

    /** How to fold, decide and compare one kind of aggregate. */
    record Aggregate<C, E, S>(Supplier<S> fresh, BiConsumer<S, E> apply, Decide<C, E, S> decide,
                              Function<S, Object> view, Function<C, String> commandId) {
    }

    /** The decider's signature. */
    interface Decide<C, E, S> {
        Decision<E> decide(S state, C command, Instant now);
    }

    private final Aggregate<C, E, S> aggregate;
    private final S state;
    private C command;
    private Decision<E> decision;
    private boolean applied;

    Scenario(Aggregate<C, E, S> aggregate, List<? extends E> history) {
        this.aggregate = aggregate;
        this.state = aggregate.fresh().get();
        history.forEach(e -> aggregate.apply().accept(state, e));
    }

    /** Decides {@code command}, taken by the registry at {@code now}. */
    Scenario<C, E, S> when(C command, Instant now) {
        Object before = aggregate.view().apply(state);
        this.command = command;
        this.decision = aggregate.decide().decide(state, command, now);
        // decide is pure: whatever it concluded, the state it read must be untouched
        assertThat(aggregate.view().apply(state)).as("state after decide (decide must not change it)")
                .isEqualTo(before);
        return this;
    }

    /** Exactly these events, in this order. */
    @SafeVarargs
    final Scenario<C, E, S> then(E... expected) {
        assertThat(decided().events()).as("events decided from %s", command).containsExactly(expected);
        return this;
    }

    /** A rejection with this code (the message is for people; {@link #rejection()} gives it to tests that care). */
    Scenario<C, E, S> thenRejected(RejectionCode code) {
        Rejection rejection = rejection();
        assertThat(rejection.code()).as("rejection of %s (%s)", command, rejection.message()).isEqualTo(code);
        assertThat(rejection.commandId()).isEqualTo(aggregate.commandId().apply(command));
        assertThat(rejection.message()).as("a rejection says why").isNotBlank();
        return this;
    }

    /** A rejection with this code whose message contains every one of {@code fragments}. */
    Scenario<C, E, S> thenRejected(RejectionCode code, String... fragments) {
        thenRejected(code);
        assertThat(rejection().message()).contains(fragments);
        return this;
    }

    /** No events at all: nothing to do, nothing to log. */
    Scenario<C, E, S> thenNothing() {
        assertThat(decided().events()).as("events decided from %s", command).isEmpty();
        return this;
    }

    /** The rejection decided, failing the test if the decision is not one. */
    Rejection rejection() {
        assertThat(decided().rejection()).as("a rejection of %s, decided: %s", command, decision.events())
                .isPresent();
        return decision.rejection().orElseThrow();
    }

    /** The decided events, for the test that inspects one part of them. */
    List<E> events() {
        return new ArrayList<>(decided().events());
    }

    /** The only event decided, cast to what the test expects. */
    <T extends E> T single(Class<T> type) {
        assertThat(decided().events()).as("events decided from %s", command).hasSize(1)
                .first().isInstanceOf(type);
        return type.cast(decided().events().get(0));
    }

    /** The state after applying the decided events too, as the live registry would. */
    S stateAfter() {
        if (!applied) {
            decided().events().forEach(e -> aggregate.apply().accept(state, e));
            applied = true;
        }
        return state;
    }

    private Decision<E> decided() {
        if (decision == null) {
            throw new IllegalStateException("then comes after when");
        }
        return decision;
    }
}

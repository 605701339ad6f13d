package dev.drover.registry.core;

import dev.drover.registry.core.FeatureSetCommand.RegisterFeatureSetVersion;
import dev.drover.registry.core.ModelCommand.ApproveAliasChange;
import dev.drover.registry.core.ModelCommand.CreateModel;
import dev.drover.registry.core.ModelCommand.DeleteModelTag;
import dev.drover.registry.core.ModelCommand.DeleteVersionTag;
import dev.drover.registry.core.ModelCommand.RegisterVersion;
import dev.drover.registry.core.ModelCommand.RejectAliasChange;
import dev.drover.registry.core.ModelCommand.SetAlias;
import dev.drover.registry.core.ModelCommand.SetModelTag;
import dev.drover.registry.core.ModelCommand.SetVersionTag;
import dev.drover.registry.core.ModelEvent.AliasChangeRequested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.drover.registry.core.FeatureSetFixtures.DATA;
import static dev.drover.registry.core.FeatureSetFixtures.FEATURE_SET;
import static dev.drover.registry.core.FeatureSetFixtures.SCHEMA;
import static dev.drover.registry.core.FeatureSetFixtures.STATS;
import static dev.drover.registry.core.ModelFixtures.ALICE;
import static dev.drover.registry.core.ModelFixtures.AUC;
import static dev.drover.registry.core.ModelFixtures.BOB;
import static dev.drover.registry.core.ModelFixtures.CHAMPION;
import static dev.drover.registry.core.ModelFixtures.MODEL;
import static dev.drover.registry.core.ModelFixtures.seconds;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live and replay are the same code: deciding a whole story step by step while applying each decision to a live
 * state must leave exactly the state that folding the same log into a fresh state gives — after every step, since a
 * restart can happen between any two decisions.
 */
class ReplayTest {

    /** The registry loop for one model, without Kafka: decide, apply, append. */
    static final class LiveModel {
        final ModelDecider decider = new ModelDecider();
        final RegisteredModelState state = new RegisteredModelState(MODEL);
        final List<ModelEvent> log = new ArrayList<>();
        int commands;

        List<ModelEvent> decide(ModelCommand command, Instant now) {
            commands++;
            List<ModelEvent> events = decider.decide(state, command, now).events();
            for (ModelEvent e : events) {
                state.apply(e);
                log.add(e);
            }
            assertThat(ModelView.of(state)).as("live state after %s", command).isEqualTo(ModelView.of(fold(log)));
            return events;
        }

        String id() {
            return "cmd-" + (commands + 1);
        }

        RegisterVersion register(double auc, String by) {
            return new RegisterVersion(id(), MODEL, "s3://models/churn/" + (commands + 1), null, Map.of("lr", "0.1"),
                    Map.of("auc", auc), new Lineage("train." + commands, "train", "abc123",
                    new FeatureSetRef(FEATURE_SET, 1)), null, true, by);
        }
    }

    static RegisteredModelState fold(List<ModelEvent> log) {
        RegisteredModelState s = new RegisteredModelState(MODEL);
        log.forEach(s::apply);
        return s;
    }

    private long t;

    private Instant next() {
        return seconds(++t);
    }

    @Test
    void folding_the_model_log_gives_the_state_the_live_decisions_left() {
        LiveModel live = new LiveModel();
        live.decide(new CreateModel(live.id(), MODEL, "predicts churn", null, ALICE), next());
        live.decide(live.register(0.80, "pipeline-a"), next());
        live.decide(new CreateModel(live.id(), MODEL, "dup", Map.of(), ALICE), next()); // refused: exists
        live.decide(live.register(0.78, "pipeline-b"), next());
        live.decide(live.register(0.86, "pipeline-a"), next());
        live.decide(new ModelCommand.UpdateModelDescription(live.id(), MODEL, "predicts churn in 30 days", ALICE),
                next());
        live.decide(new ModelCommand.UpdateVersionDescription(live.id(), MODEL, 2, "retrained", ALICE), next());
        live.decide(new ModelCommand.UpdateVersionDescription(live.id(), MODEL, 2, "retrained", ALICE),
                next()); // refused: unchanged
        live.decide(new SetModelTag(live.id(), MODEL, "owner", "growth", ALICE), next());
        live.decide(new SetModelTag(live.id(), MODEL, "tmp", "x", ALICE), next());
        live.decide(new DeleteModelTag(live.id(), MODEL, "tmp", ALICE), next());
        live.decide(new SetVersionTag(live.id(), MODEL, 1, "validated", "true", ALICE), next());
        live.decide(new SetVersionTag(live.id(), MODEL, 2, "validated", "false", ALICE), next());
        live.decide(new DeleteVersionTag(live.id(), MODEL, 2, "validated", ALICE), next());

        live.decide(ModelFixtures.promote(1, AUC), next()); // no champion yet: 1 takes it
        live.decide(new ModelCommand.PromoteIfBetter(live.id(), MODEL, null, 2, AUC, "promote-task"), next());
        live.decide(new ModelCommand.ProtectAlias(live.id(), MODEL, CHAMPION, "serves traffic", BOB), next());
        String promotion = live.id();
        live.decide(new ModelCommand.PromoteIfBetter(promotion, MODEL, null, 3, AUC, ALICE), next()); // request
        live.decide(new ApproveAliasChange(live.id(), MODEL, promotion, "self", ALICE), next()); // refused
        live.decide(new ApproveAliasChange(live.id(), MODEL, promotion, "good numbers", BOB), next());
        String manual = live.id();
        live.decide(new SetAlias(manual, MODEL, CHAMPION, 2, "try 2", ALICE), next()); // request
        live.decide(new RejectAliasChange(live.id(), MODEL, manual, "2 is worse", BOB), next());
        String rollback = live.id();
        live.decide(new ModelCommand.RollbackAlias(rollback, MODEL, CHAMPION, "3 misbehaves", ALICE), next());
        live.decide(new ApproveAliasChange(live.id(), MODEL, rollback, "agreed", BOB), next());
        live.decide(new ModelCommand.UnprotectAlias(live.id(), MODEL, CHAMPION, "done", BOB), next());

        live.decide(new SetAlias(live.id(), MODEL, "staging", 3, null, ALICE), next());
        live.decide(new ModelCommand.DeleteAlias(live.id(), MODEL, "staging", "oops", ALICE), next());
        live.decide(new ModelCommand.RollbackAlias(live.id(), MODEL, "staging", null, ALICE), next());
        live.decide(new ModelCommand.TransitionStage(live.id(), MODEL, 1, ModelStage.PRODUCTION, false, ALICE),
                next());
        live.decide(new ModelCommand.TransitionStage(live.id(), MODEL, 3, ModelStage.PRODUCTION, true, ALICE),
                next());

        for (int i = 0; i < 4; i++) {
            live.decide(live.register(0.7 + i / 100.0, "pipeline-b"), next());
        }
        live.decide(new ModelCommand.SetRetentionPolicy(live.id(), MODEL, new RetentionPolicy(2, Duration.ZERO),
                ALICE), next());
        List<ModelEvent> archived = live.decide(new ModelCommand.ApplyRetention(live.id(), MODEL, "timer"), next());
        List<ModelEvent> again = live.decide(new ModelCommand.ApplyRetention(live.id(), MODEL, "timer"), next());

        assertThat(ModelView.of(fold(live.log))).isEqualTo(ModelView.of(live.state));
        // the story is the one intended, and it exercised every applier
        assertThat(live.log).filteredOn(e -> e instanceof AliasChangeRequested).hasSize(3);
        assertThat(live.state.champion().orElseThrow().version()).isEqualTo(1);
        assertThat(live.state.aliasVersion("staging")).contains(3);
        assertThat(live.state.versions()).extracting(ModelVersionState::version)
                .containsExactly(1, 2, 3, 4, 5, 6, 7);
        assertThat(archived).singleElement().isInstanceOfSatisfying(ModelEvent.VersionsArchived.class,
                a -> assertThat(a.versions()).containsExactly(2, 4, 5));
        assertThat(again).isEmpty();
        Set<Class<?>> kinds = live.log.stream().map(Object::getClass).collect(Collectors.toSet());
        assertThat(kinds).containsAll(EventApplierCoverageTest.eventClasses(ModelEvent.class));
    }

    @Test
    void folding_the_feature_set_log_gives_the_live_state() {
        FeatureSetDecider decider = new FeatureSetDecider();
        FeatureSetState live = new FeatureSetState(FEATURE_SET);
        List<FeatureSetEvent> log = new ArrayList<>();
        List<RegisterFeatureSetVersion> commands = List.of(
                new RegisterFeatureSetVersion("c-1", FEATURE_SET, "jan", SCHEMA, DATA, STATS, ALICE),
                new RegisterFeatureSetVersion("c-2", FEATURE_SET, "bad", SCHEMA, DATA, null, ALICE),
                new RegisterFeatureSetVersion("c-3", FEATURE_SET, "feb", SCHEMA, DATA + "-feb", STATS, ALICE));
        for (RegisterFeatureSetVersion c : commands) {
            for (FeatureSetEvent e : decider.decide(live, c, next()).events()) {
                live.apply(e);
                log.add(e);
            }
        }
        FeatureSetState replayed = new FeatureSetState(FEATURE_SET);
        log.forEach(replayed::apply);

        assertThat(List.copyOf(replayed.versions())).isEqualTo(List.copyOf(live.versions()));
        assertThat(live.versions()).extracting(FeatureSetVersion::version).containsExactly(1, 2);
        assertThat(log.stream().map(Object::getClass).collect(Collectors.toSet()))
                .containsAll(EventApplierCoverageTest.eventClasses(FeatureSetEvent.class));
    }

    @Test
    void replaying_the_log_twice_gives_equal_states() {
        LiveModel live = new LiveModel();
        live.decide(live.register(0.8, ALICE), next());
        live.decide(new SetAlias(live.id(), MODEL, CHAMPION, 1, null, ALICE), next());

        assertThat(ModelView.of(fold(live.log))).isEqualTo(ModelView.of(fold(live.log)));
    }
}

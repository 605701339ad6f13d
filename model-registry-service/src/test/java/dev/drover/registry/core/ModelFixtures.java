package dev.drover.registry.core;

import dev.drover.registry.core.ModelCommand.ApplyRetention;
import dev.drover.registry.core.ModelCommand.ApproveAliasChange;
import dev.drover.registry.core.ModelCommand.CreateModel;
import dev.drover.registry.core.ModelCommand.DeleteAlias;
import dev.drover.registry.core.ModelCommand.PromoteIfBetter;
import dev.drover.registry.core.ModelCommand.ProtectAlias;
import dev.drover.registry.core.ModelCommand.RegisterVersion;
import dev.drover.registry.core.ModelCommand.RejectAliasChange;
import dev.drover.registry.core.ModelCommand.RollbackAlias;
import dev.drover.registry.core.ModelCommand.SetAlias;
import dev.drover.registry.core.ModelCommand.SetRetentionPolicy;
import dev.drover.registry.core.ModelCommand.TransitionStage;
import dev.drover.registry.core.ModelCommand.UnprotectAlias;
import dev.drover.registry.core.ModelEvent.AliasChangeRequested;
import dev.drover.registry.core.ModelEvent.AliasDeleted;
import dev.drover.registry.core.ModelEvent.AliasMoved;
import dev.drover.registry.core.ModelEvent.AliasProtected;
import dev.drover.registry.core.ModelEvent.ModelCreated;
import dev.drover.registry.core.ModelEvent.RetentionPolicySet;
import dev.drover.registry.core.ModelEvent.VersionRegistered;
import dev.drover.registry.core.ModelEvent.VersionStageTransitioned;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The nouns of the model registry's given/when/then tests: one short factory per event (past tense) and per command
 * (imperative), filled with the defaults every test shares. Past events happen at {@link #T0} plus a few seconds;
 * commands are taken at {@link #NOW}. Alice asks, Bob reviews.
 */
final class ModelFixtures {
    static final String MODEL = "churn";
    static final String CHAMPION = ModelCommand.CHAMPION;
    static final String ALICE = "alice";
    static final String BOB = "bob";
    static final String CMD = "cmd-1";
    static final String REQUEST = "req-1";
    static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    static final Instant NOW = T0.plus(Duration.ofDays(1));
    static final Lineage LINEAGE = new Lineage("train.7", "train", "3f2c9e1", new FeatureSetRef("churn-features", 2));
    static final PromotionCriteria AUC = new PromotionCriteria("auc", MetricDirection.GREATER, 0, 0);

    static final Scenario.Aggregate<ModelCommand, ModelEvent, RegisteredModelState> AGGREGATE =
            new Scenario.Aggregate<>(() -> new RegisteredModelState(MODEL), RegisteredModelState::apply,
                    new ModelDecider()::decide, ModelView::of, ModelCommand::commandId);

    private ModelFixtures() {
    }

    /** Starts a scenario from these past events of {@link #MODEL} (none: a name nobody has used). */
    static Scenario<ModelCommand, ModelEvent, RegisteredModelState> given(ModelEvent... history) {
        return new Scenario<>(AGGREGATE, List.of(history));
    }

    static Scenario<ModelCommand, ModelEvent, RegisteredModelState> given(List<ModelEvent> history) {
        return new Scenario<>(AGGREGATE, history);
    }

    static RegisteredModelState fold(List<ModelEvent> history) {
        RegisteredModelState s = new RegisteredModelState(MODEL);
        history.forEach(s::apply);
        return s;
    }

    static Instant seconds(long s) {
        return T0.plusSeconds(s);
    }

    // ---- events

    static ModelCreated created() {
        return new ModelCreated(MODEL, "predicts churn", Map.of(), ALICE, T0);
    }

    /** Version {@code n}, registered at {@code T0 + n s}, with an auc of {@code auc}. */
    static VersionRegistered registered(int n, double auc) {
        return registered(n, Map.of("auc", auc), seconds(n));
    }

    /** Version {@code n} with an auc of 0.8. */
    static VersionRegistered registered(int n) {
        return registered(n, 0.8);
    }

    static VersionRegistered registered(int n, Map<String, Double> metrics, Instant at) {
        return new VersionRegistered(MODEL, n, "s3://models/churn/" + n, null, Map.of("lr", "0.1"), metrics,
                LINEAGE, Map.of(), ALICE, at);
    }

    /** The model and versions 1 … {@code n}, each with auc 0.8. */
    static List<ModelEvent> withVersions(int n) {
        List<ModelEvent> out = new java.util.ArrayList<>();
        out.add(created());
        for (int i = 1; i <= n; i++) {
            out.add(registered(i));
        }
        return out;
    }

    static ModelEvent[] withVersions(int n, ModelEvent... more) {
        List<ModelEvent> out = withVersions(n);
        out.addAll(List.of(more));
        return out.toArray(ModelEvent[]::new);
    }

    /** Alice set {@code alias} from {@code previous} to {@code version}, with reason "because", in the past. */
    static AliasMoved moved(String alias, Integer previous, int version) {
        return moved(alias, previous, version, seconds(100));
    }

    static AliasMoved moved(String alias, Integer previous, int version, Instant at) {
        return new AliasMoved(MODEL, alias, previous, version, AliasMoveKind.SET, "because", null, null, ALICE, at);
    }

    static AliasMoved rolledBack(String alias, Integer previous, int version, String reason, Instant at) {
        return new AliasMoved(MODEL, alias, previous, version, AliasMoveKind.ROLLBACK, reason, null, null, ALICE, at);
    }

    static AliasDeleted deleted(String alias, int previous, Instant at) {
        return new AliasDeleted(MODEL, alias, previous, "because", ALICE, at);
    }

    static AliasProtected protectedAlias(String alias) {
        return new AliasProtected(MODEL, alias, "production traffic", BOB, seconds(50));
    }

    /** Alice asked (request {@link #REQUEST}) to set {@code alias} from {@code previous} to {@code version}. */
    static AliasChangeRequested requested(String alias, Integer previous, int version) {
        return new AliasChangeRequested(MODEL, REQUEST, alias, previous, version, AliasMoveKind.SET, "because", null,
                ALICE, seconds(200));
    }

    static VersionStageTransitioned staged(int version, ModelStage from, ModelStage to) {
        return new VersionStageTransitioned(MODEL, version, from, to, ALICE, seconds(300));
    }

    static RetentionPolicySet policySet(RetentionPolicy policy) {
        return new RetentionPolicySet(MODEL, policy, ALICE, seconds(400));
    }

    // ---- commands (id CMD, asked by Alice unless a test says otherwise)

    static CreateModel createModel() {
        return new CreateModel(CMD, MODEL, "predicts churn", Map.of("team", "growth"), ALICE);
    }

    static RegisterVersion registerVersion(Map<String, Double> metrics) {
        return new RegisterVersion(CMD, MODEL, "s3://models/churn/new", "nightly", Map.of("lr", "0.1"), metrics,
                LINEAGE, Map.of("data", "2030-01"), false, ALICE);
    }

    static SetAlias setAlias(String alias, int version) {
        return new SetAlias(CMD, MODEL, alias, version, "because", ALICE);
    }

    static DeleteAlias deleteAlias(String alias) {
        return new DeleteAlias(CMD, MODEL, alias, "because", ALICE);
    }

    static ProtectAlias protect(String alias) {
        return new ProtectAlias(CMD, MODEL, alias, "production traffic", BOB);
    }

    static UnprotectAlias unprotect(String alias) {
        return new UnprotectAlias(CMD, MODEL, alias, "migration", BOB);
    }

    static ApproveAliasChange approve(String requestId, String by) {
        return new ApproveAliasChange(CMD, MODEL, requestId, "looks good", by);
    }

    static RejectAliasChange rejectChange(String requestId, String by) {
        return new RejectAliasChange(CMD, MODEL, requestId, "not now", by);
    }

    static RollbackAlias rollback(String alias) {
        return new RollbackAlias(CMD, MODEL, alias, null, ALICE);
    }

    static TransitionStage transition(int version, ModelStage stage, boolean archiveExisting) {
        return new TransitionStage(CMD, MODEL, version, stage, archiveExisting, ALICE);
    }

    static PromoteIfBetter promote(int challenger, PromotionCriteria criteria) {
        return new PromoteIfBetter(CMD, MODEL, null, challenger, criteria, ALICE);
    }

    static SetRetentionPolicy setPolicy(RetentionPolicy policy) {
        return new SetRetentionPolicy(CMD, MODEL, policy, ALICE);
    }

    static ApplyRetention applyRetention() {
        return new ApplyRetention(CMD, MODEL, "retention-timer");
    }
}

package dev.drover.registry.readmodel;

import dev.drover.registry.core.Feature;
import dev.drover.registry.core.FeatureSchema;
import dev.drover.registry.core.FeatureSetCommand;
import dev.drover.registry.core.FeatureSetCommand.RegisterFeatureSetVersion;
import dev.drover.registry.core.FeatureSetDecider;
import dev.drover.registry.core.FeatureSetRef;
import dev.drover.registry.core.FeatureSetState;
import dev.drover.registry.core.FeatureStatistics.CategoricalStatistics;
import dev.drover.registry.core.FeatureStatistics.NumericStatistics;
import dev.drover.registry.core.FeatureType;
import dev.drover.registry.core.Lineage;
import dev.drover.registry.core.MetricDirection;
import dev.drover.registry.core.ModelCommand;
import dev.drover.registry.core.ModelCommand.ApproveAliasChange;
import dev.drover.registry.core.ModelCommand.CreateModel;
import dev.drover.registry.core.ModelCommand.DeleteAlias;
import dev.drover.registry.core.ModelCommand.DeleteModelTag;
import dev.drover.registry.core.ModelCommand.DeleteVersionTag;
import dev.drover.registry.core.ModelCommand.PromoteIfBetter;
import dev.drover.registry.core.ModelCommand.ProtectAlias;
import dev.drover.registry.core.ModelCommand.RegisterVersion;
import dev.drover.registry.core.ModelCommand.RejectAliasChange;
import dev.drover.registry.core.ModelCommand.RollbackAlias;
import dev.drover.registry.core.ModelCommand.SetAlias;
import dev.drover.registry.core.ModelCommand.SetModelTag;
import dev.drover.registry.core.ModelCommand.SetRetentionPolicy;
import dev.drover.registry.core.ModelCommand.SetVersionTag;
import dev.drover.registry.core.ModelCommand.TransitionStage;
import dev.drover.registry.core.ModelCommand.UnprotectAlias;
import dev.drover.registry.core.ModelDecider;
import dev.drover.registry.core.ModelEvent;
import dev.drover.registry.core.ModelStage;
import dev.drover.registry.core.PromotionCriteria;
import dev.drover.registry.core.Quantile;
import dev.drover.registry.core.ReferenceStatistics;
import dev.drover.registry.core.RegisteredModelState;
import dev.drover.registry.core.RetentionPolicy;
import dev.drover.registry.wire.EventEnvelope;
import dev.drover.registry.wire.RegistryKeys;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Registry histories for read-model tests, decided by the real core: each command is decided against the state the
 * previous ones left (as the decision loop does) and its events are wrapped in envelopes the way the loop wraps them
 * ({@code <commandId>#<index>}, correlation id {@code corr-<commandId>}). Commands are taken one second apart from
 * {@link #T0}.
 */
final class RegistryStory {
    static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    static final String ALICE = "alice";
    static final String BOB = "bob";
    static final FeatureSchema SCHEMA = new FeatureSchema(List.of(new Feature("tenure", FeatureType.NUMERIC),
            new Feature("plan", FeatureType.CATEGORICAL)));
    static final ReferenceStatistics STATS = new ReferenceStatistics(100, Map.of(
            "tenure", new NumericStatistics(List.of(0.0, 12.0, 60.0), List.of(60L, 38L),
                    List.of(new Quantile(0.0, 0.0), new Quantile(0.5, 10.5), new Quantile(1.0, 60.0)), 2),
            "plan", new CategoricalStatistics(Map.of("basic", 55L, "pro", 40L), 5)));

    private final ModelDecider modelDecider = new ModelDecider();
    private final FeatureSetDecider featureSetDecider = new FeatureSetDecider();
    private final Map<String, RegisteredModelState> models = new HashMap<>();
    private final Map<String, FeatureSetState> featureSets = new HashMap<>();
    private final List<EventEnvelope> envelopes = new ArrayList<>();
    private final String prefix;
    private int commands;

    /** @param prefix makes command ids unique to this story (the log is shared with other tests) */
    RegistryStory(String prefix) {
        this.prefix = prefix;
    }

    /** Every envelope decided so far, in log order. */
    List<EventEnvelope> envelopes() {
        return List.copyOf(envelopes);
    }

    /** A fresh command id. */
    String nextId() {
        return prefix + "-c" + (++commands);
    }

    Instant now() {
        return T0.plusSeconds(commands);
    }

    /** Decides a model command and returns its envelopes. */
    List<EventEnvelope> model(ModelCommand command) {
        RegisteredModelState state = models.computeIfAbsent(command.modelName(), RegisteredModelState::new);
        List<ModelEvent> events = modelDecider.decide(state, command, now()).events();
        events.forEach(e -> {
            if (!(e instanceof ModelEvent.ModelCommandRejected)) {
                state.apply(e);
            }
        });
        return wrap(command.commandId(), RegistryKeys.model(command.modelName()), new ArrayList<>(events));
    }

    /** Decides a feature-set command and returns its envelopes. */
    List<EventEnvelope> featureSet(FeatureSetCommand command) {
        FeatureSetState state = featureSets.computeIfAbsent(command.featureSetName(), FeatureSetState::new);
        var events = featureSetDecider.decide(state, command, now()).events();
        events.forEach(state::apply);
        return wrap(command.commandId(), RegistryKeys.featureSet(command.featureSetName()), new ArrayList<>(events));
    }

    private List<EventEnvelope> wrap(String commandId, String key, List<Object> events) {
        List<EventEnvelope> out = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            out.add(new EventEnvelope(commandId + "#" + i, now(), key, commandId, "corr-" + commandId, i,
                    events.size(), events.get(i)));
        }
        envelopes.addAll(out);
        return out;
    }

    /**
     * One model and one feature set whose histories hold every kind of event. Where the model ends up:
     * <ul>
     *   <li>tags {@code {owner: alice}}; versions 1 (Staging, then Archived when 2 entered Staging with
     *       archiveExistingVersions; alias champion) and 2 (Production, tag {@code validated=yes}, no alias);
     *       retention: keep 1, and versions newer than 30 days;</li>
     *   <li>champion: set to 1, promoted to 2, protected, rolled back to 1 on Bob's approval; a second request
     *       (to 2) rejected by Bob; unprotected; a losing promotion of 1 declined;</li>
     *   <li>staging: set to 2, then deleted;</li>
     *   <li>one rejected command (MODEL_EXISTS); the feature set has version 1 and one rejected registration.</li>
     * </ul>
     */
    static RegistryStory everyEventType(String prefix, String model, String featureSet) {
        RegistryStory s = new RegistryStory(prefix);
        PromotionCriteria auc = new PromotionCriteria("auc", MetricDirection.GREATER, 0.01, 0);
        s.model(new CreateModel(s.nextId(), model, "predicts churn", Map.of("team", "risk"), ALICE));
        s.model(new RegisterVersion(s.nextId(), model, "s3://models/churn/1", "first", Map.of("depth", "4"),
                Map.of("auc", 0.80), new Lineage("train.1", "train", "abc123", new FeatureSetRef(featureSet, 1)),
                Map.of("k", "v"), false, ALICE));
        s.model(new RegisterVersion(s.nextId(), model, "s3://models/churn/2", null, Map.of("depth", "6"),
                Map.of("auc", 0.85, "loss", 0.3), null, Map.of(), false, ALICE));
        s.model(new SetModelTag(s.nextId(), model, "owner", "alice", ALICE));
        s.model(new DeleteModelTag(s.nextId(), model, "team", ALICE));
        s.model(new SetVersionTag(s.nextId(), model, 2, "validated", "yes", ALICE));
        s.model(new DeleteVersionTag(s.nextId(), model, 1, "k", ALICE));
        s.model(new TransitionStage(s.nextId(), model, 1, ModelStage.STAGING, false, ALICE));
        s.model(new SetAlias(s.nextId(), model, "champion", 1, "first champion", ALICE));
        s.model(new PromoteIfBetter(s.nextId(), model, "champion", 2, auc, ALICE));
        s.model(new PromoteIfBetter(s.nextId(), model, "champion", 1, auc, ALICE)); // declined
        s.model(new ProtectAlias(s.nextId(), model, "champion", "serving", ALICE));
        String rollback = s.nextId();
        s.model(new RollbackAlias(rollback, model, "champion", "v2 misbehaves", ALICE));
        s.model(new ApproveAliasChange(s.nextId(), model, rollback, "agreed", BOB));
        String second = s.nextId();
        s.model(new SetAlias(second, model, "champion", 2, "try again", ALICE));
        s.model(new RejectAliasChange(s.nextId(), model, second, "not yet", BOB));
        s.model(new UnprotectAlias(s.nextId(), model, "champion", "done", ALICE));
        s.model(new SetAlias(s.nextId(), model, "staging", 2, null, ALICE));
        s.model(new DeleteAlias(s.nextId(), model, "staging", "cleanup", ALICE));
        s.model(new TransitionStage(s.nextId(), model, 2, ModelStage.STAGING, true, ALICE)); // archives 1
        s.model(new TransitionStage(s.nextId(), model, 2, ModelStage.PRODUCTION, false, ALICE));
        s.model(new SetRetentionPolicy(s.nextId(), model, new RetentionPolicy(1, Duration.ofDays(30)), ALICE));
        s.model(new CreateModel(s.nextId(), model, "again", Map.of(), ALICE)); // rejected: MODEL_EXISTS
        s.featureSet(new RegisterFeatureSetVersion(s.nextId(), featureSet, "January", SCHEMA,
                "s3://features/jan", STATS, ALICE));
        s.featureSet(new RegisterFeatureSetVersion(s.nextId(), featureSet, "broken", SCHEMA, "s3://features/bad",
                new ReferenceStatistics(100, Map.of()), ALICE)); // rejected: statistics missing
        return s;
    }
}

package dev.drover.registry.wire;

import dev.drover.registry.core.AliasMoveKind;
import dev.drover.registry.core.Approval;
import dev.drover.registry.core.Feature;
import dev.drover.registry.core.FeatureSchema;
import dev.drover.registry.core.FeatureSetCommand;
import dev.drover.registry.core.FeatureSetEvent;
import dev.drover.registry.core.FeatureSetRef;
import dev.drover.registry.core.FeatureStatistics;
import dev.drover.registry.core.FeatureType;
import dev.drover.registry.core.Lineage;
import dev.drover.registry.core.MetricDirection;
import dev.drover.registry.core.ModelCommand;
import dev.drover.registry.core.ModelEvent;
import dev.drover.registry.core.ModelStage;
import dev.drover.registry.core.PromotionCriteria;
import dev.drover.registry.core.PromotionEvaluation;
import dev.drover.registry.core.Quantile;
import dev.drover.registry.core.ReferenceStatistics;
import dev.drover.registry.core.RejectionCode;
import dev.drover.registry.core.RetentionPolicy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every registry command and event, each twice: with every optional part set ({@link #fullCommands()},
 * {@link #fullEvents()}) and with every optional part null or empty ({@link #sparseCommands()},
 * {@link #sparseEvents()}). Instants are whole milliseconds, as the loop writes them.
 */
final class RegistryWireSamples {
    static final String MODEL = "churn";
    static final String FEATURE_SET = "churn-features";
    static final Instant T = Instant.parse("2030-05-06T07:08:09.123Z");

    static final Lineage LINEAGE = new Lineage("train.7", "train", "3f2c9e1", new FeatureSetRef(FEATURE_SET, 2));
    static final PromotionCriteria CRITERIA = new PromotionCriteria("auc", MetricDirection.GREATER, 0.01, 0.02);
    static final RetentionPolicy POLICY = new RetentionPolicy(5, Duration.ofDays(30).plusMillis(1));
    static final FeatureSchema SCHEMA = new FeatureSchema(List.of(new Feature("age", FeatureType.NUMERIC),
            new Feature("plan", FeatureType.CATEGORICAL), new Feature("churned", FeatureType.BINARY)));
    static final ReferenceStatistics STATS = new ReferenceStatistics(100, Map.of(
            "age", new FeatureStatistics.NumericStatistics(List.of(18.0, 40.0, 90.5), List.of(60L, 38L),
                    List.of(new Quantile(0.5, 35.0), new Quantile(0.99, 88.25)), 2),
            "plan", new FeatureStatistics.CategoricalStatistics(Map.of("basic", 70L, "pro", 25L), 5),
            "churned", new FeatureStatistics.CategoricalStatistics(Map.of("true", 12L, "false", 88L), 0)));
    /** A statistics-free numeric feature (no values at all) and no categories: empty lists and maps. */
    static final ReferenceStatistics EMPTY_STATS = new ReferenceStatistics(0, Map.of(
            "age", new FeatureStatistics.NumericStatistics(List.of(), List.of(), List.of(), 0),
            "plan", new FeatureStatistics.CategoricalStatistics(Map.of(), 0)));
    static final PromotionEvaluation WON = PromotionEvaluation.evaluate(CRITERIA, 3, 0.91, 2, 0.85)
            .measuredBy(new dev.drover.registry.core.MeasuredComparison(0.91, 2, 0.85,
                    "/data/churn/labeled/perf-p0-9.csv", "churn-training.drift-1", "churn/w-p0-0"));
    static final PromotionEvaluation FIRST = PromotionEvaluation.evaluate(CRITERIA, 1, 0.8, null, null);

    private RegistryWireSamples() {
    }

    static List<Object> fullCommands() {
        return List.of(
                new ModelCommand.CreateModel("c-1", MODEL, "predicts churn", Map.of("team", "growth", "tier", "1"),
                        "alice"),
                new ModelCommand.RegisterVersion("c-2", MODEL, "s3://models/churn/3", "nightly",
                        Map.of("lr", "0.1", "epochs", "3"), Map.of("auc", 0.91, "loss", -1.5e-7), LINEAGE,
                        Map.of("data", "2030-01"), true, "pipeline:train"),
                new ModelCommand.SetAlias("c-3", MODEL, "champion", 3, "better auc", "alice"),
                new ModelCommand.DeleteAlias("c-4", MODEL, "staging", "not used", "alice"),
                new ModelCommand.ProtectAlias("c-5", MODEL, "champion", "serves traffic", "bob"),
                new ModelCommand.UnprotectAlias("c-6", MODEL, "champion", "migration", "bob"),
                new ModelCommand.ApproveAliasChange("c-7", MODEL, "c-3", "looks good", "bob"),
                new ModelCommand.RejectAliasChange("c-8", MODEL, "c-3", "not now", "bob"),
                new ModelCommand.RollbackAlias("c-9", MODEL, "champion", "3 misbehaves", "alice"),
                new ModelCommand.UpdateModelDescription("c-10", MODEL, "predicts churn in 30 days", "alice"),
                new ModelCommand.UpdateVersionDescription("c-11", MODEL, 3, "retrained", "alice"),
                new ModelCommand.SetModelTag("c-12", MODEL, "owner", "growth", "alice"),
                new ModelCommand.DeleteModelTag("c-13", MODEL, "owner", "alice"),
                new ModelCommand.SetVersionTag("c-14", MODEL, 3, "validated", "true", "alice"),
                new ModelCommand.DeleteVersionTag("c-15", MODEL, 3, "validated", "alice"),
                new ModelCommand.TransitionStage("c-16", MODEL, 3, ModelStage.PRODUCTION, true, "alice"),
                new ModelCommand.PromoteIfBetter("c-17", MODEL, "prod", 3, CRITERIA, "pipeline:promote",
                        new dev.drover.registry.core.MeasuredComparison(0.91, 2, 0.85,
                                "/data/churn/labeled/perf-p0-9.csv", "churn-training.drift-1", "churn/w-p0-0")),
                new ModelCommand.SetRetentionPolicy("c-18", MODEL, POLICY, "alice"),
                new ModelCommand.ApplyRetention("c-19", MODEL, "retention-timer"),
                new FeatureSetCommand.RegisterFeatureSetVersion("c-20", FEATURE_SET, "january", SCHEMA,
                        "s3://data/churn/2030-01", STATS, "pipeline:features"));
    }

    /**
     * Every optional part null or empty — and the values a caller may send that the decider will refuse (a null
     * tag value, a null metric, a feature without a type, statistics missing for a feature) survive the trip, so
     * that the decider can say what is wrong.
     */
    static List<Object> sparseCommands() {
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("owner", null);
        Map<String, Double> nullMetric = new HashMap<>();
        nullMetric.put("auc", null);
        Map<String, FeatureStatistics> nullStats = new HashMap<>();
        nullStats.put("age", null);
        Map<String, Long> nullCount = new HashMap<>();
        nullCount.put("basic", null);
        nullStats.put("plan", new FeatureStatistics.CategoricalStatistics(nullCount, -1));
        return List.of(
                new ModelCommand.CreateModel("c-1", MODEL, null, nullValue, null),
                new ModelCommand.RegisterVersion("c-2", MODEL, null, null, Map.of(), nullMetric,
                        new Lineage(null, null, null, new FeatureSetRef(null, 0)), Map.of(), false, null),
                new ModelCommand.SetAlias("c-3", MODEL, null, 0, null, null),
                new ModelCommand.DeleteAlias("c-4", MODEL, null, null, null),
                new ModelCommand.ProtectAlias("c-5", MODEL, null, null, null),
                new ModelCommand.UnprotectAlias("c-6", MODEL, null, null, null),
                new ModelCommand.ApproveAliasChange("c-7", MODEL, null, null, null),
                new ModelCommand.RejectAliasChange("c-8", MODEL, null, null, null),
                new ModelCommand.RollbackAlias("c-9", MODEL, null, null, null),
                new ModelCommand.UpdateModelDescription("c-10", MODEL, null, null),
                new ModelCommand.UpdateVersionDescription("c-11", MODEL, -1, null, null),
                new ModelCommand.SetModelTag("c-12", MODEL, null, null, null),
                new ModelCommand.DeleteModelTag("c-13", MODEL, null, null),
                new ModelCommand.SetVersionTag("c-14", MODEL, 1, null, null, null),
                new ModelCommand.DeleteVersionTag("c-15", MODEL, 1, null, null),
                new ModelCommand.TransitionStage("c-16", MODEL, 1, null, false, null),
                new ModelCommand.PromoteIfBetter("c-17", MODEL, null, 1,
                        new PromotionCriteria(null, null, Double.NaN, Double.NEGATIVE_INFINITY), null),
                new ModelCommand.SetRetentionPolicy("c-18", MODEL, null, null),
                new ModelCommand.ApplyRetention("c-19", MODEL, null),
                new FeatureSetCommand.RegisterFeatureSetVersion("c-20", FEATURE_SET, null,
                        new FeatureSchema(List.of(new Feature(null, null))), null,
                        new ReferenceStatistics(-1, nullStats), null));
    }

    /** The same commands with no nested value at all (no lineage, criteria, policy, schema, statistics). */
    static List<Object> commandsWithoutNestedValues() {
        return List.of(
                new ModelCommand.RegisterVersion("c-2", MODEL, "s3://m", null, null, null, null, null, false, "a"),
                new ModelCommand.PromoteIfBetter("c-17", MODEL, null, 1, null, "a"),
                new FeatureSetCommand.RegisterFeatureSetVersion("c-20", FEATURE_SET, null, null, null, null, "a"));
    }

    static List<Object> fullEvents() {
        return List.of(
                new ModelEvent.ModelCreated(MODEL, "predicts churn", Map.of("team", "growth"), "alice", T),
                new ModelEvent.VersionRegistered(MODEL, 3, "s3://models/churn/3", "nightly", Map.of("lr", "0.1"),
                        Map.of("auc", 0.91, "tiny", 4.9e-324), LINEAGE, Map.of("data", "2030-01"), "alice", T),
                new ModelEvent.ModelDescriptionUpdated(MODEL, "predicts churn in 30 days", "alice", T),
                new ModelEvent.VersionDescriptionUpdated(MODEL, 3, "retrained", "alice", T),
                new ModelEvent.ModelTagSet(MODEL, "owner", "growth", "alice", T),
                new ModelEvent.ModelTagDeleted(MODEL, "owner", "alice", T),
                new ModelEvent.VersionTagSet(MODEL, 3, "validated", "true", "alice", T),
                new ModelEvent.VersionTagDeleted(MODEL, 3, "validated", "alice", T),
                new ModelEvent.VersionStageTransitioned(MODEL, 3, ModelStage.STAGING, ModelStage.PRODUCTION, "alice",
                        T),
                new ModelEvent.VersionsArchived(MODEL, List.of(1, 2, 4), "retention policy", "timer", T),
                new ModelEvent.RetentionPolicySet(MODEL, POLICY, "alice", T),
                new ModelEvent.AliasProtected(MODEL, "champion", "serves traffic", "bob", T),
                new ModelEvent.AliasUnprotected(MODEL, "champion", "migration", "bob", T),
                new ModelEvent.AliasChangeRequested(MODEL, "c-17", "champion", 2, 3, AliasMoveKind.PROMOTION,
                        WON.explanation(), WON, "alice", T),
                new ModelEvent.AliasChangeApproved(MODEL, "c-17", "champion", "good numbers", "bob", T),
                new ModelEvent.AliasChangeRejected(MODEL, "c-17", "champion", "not now", "bob", T),
                new ModelEvent.AliasMoved(MODEL, "champion", 2, 3, AliasMoveKind.PROMOTION, WON.explanation(), WON,
                        new Approval("c-17", "bob", "good numbers"), "alice", T),
                new ModelEvent.AliasDeleted(MODEL, "staging", 2, "not used", "alice", T),
                new ModelEvent.PromotionDeclined(MODEL, "champion",
                        PromotionEvaluation.evaluate(CRITERIA, 4, 0.7, 3, 0.91), "worse", "alice", T),
                new ModelEvent.ModelCommandRejected(MODEL, "c-9", RejectionCode.SELF_REVIEW,
                        "alice asked for this change and cannot approve it; another principal must"),
                new FeatureSetEvent.FeatureSetVersionRegistered(FEATURE_SET, 2, "january", SCHEMA,
                        "s3://data/churn/2030-01", STATS, "alice", T),
                new FeatureSetEvent.FeatureSetCommandRejected(FEATURE_SET, "c-20", RejectionCode.INVALID_ARGUMENT,
                        "feature 'age': statistics are null"));
    }

    static List<Object> sparseEvents() {
        return List.of(
                new ModelEvent.ModelCreated(MODEL, null, Map.of(), null, T),
                new ModelEvent.VersionRegistered(MODEL, 1, "s3://models/churn/1", null, Map.of(), Map.of(),
                        Lineage.NONE, Map.of(), null, T),
                new ModelEvent.ModelDescriptionUpdated(MODEL, null, null, T),
                new ModelEvent.VersionDescriptionUpdated(MODEL, 1, null, null, T),
                new ModelEvent.ModelTagSet(MODEL, "owner", "", null, T),
                new ModelEvent.ModelTagDeleted(MODEL, "owner", null, T),
                new ModelEvent.VersionTagSet(MODEL, 1, "validated", "", null, T),
                new ModelEvent.VersionTagDeleted(MODEL, 1, "validated", null, T),
                new ModelEvent.VersionStageTransitioned(MODEL, 1, ModelStage.NONE, ModelStage.ARCHIVED, null, T),
                new ModelEvent.VersionsArchived(MODEL, List.of(), null, null, T),
                new ModelEvent.RetentionPolicySet(MODEL, new RetentionPolicy(0, Duration.ZERO), null, T),
                new ModelEvent.AliasProtected(MODEL, "champion", null, null, T),
                new ModelEvent.AliasUnprotected(MODEL, "champion", null, null, T),
                new ModelEvent.AliasChangeRequested(MODEL, "c-3", "champion", null, 1, AliasMoveKind.SET, null, null,
                        null, T),
                new ModelEvent.AliasChangeApproved(MODEL, "c-3", "champion", null, null, T),
                new ModelEvent.AliasChangeRejected(MODEL, "c-3", "champion", null, null, T),
                new ModelEvent.AliasMoved(MODEL, "champion", null, 1, AliasMoveKind.ROLLBACK, null, null,
                        new Approval("c-3", null, null), null, T),
                new ModelEvent.AliasDeleted(MODEL, "staging", null, null, null, T),
                new ModelEvent.PromotionDeclined(MODEL, "champion", FIRST, null, null, T),
                new ModelEvent.ModelCommandRejected(MODEL, "c-9", RejectionCode.UNCHANGED, ""),
                new FeatureSetEvent.FeatureSetVersionRegistered(FEATURE_SET, 1, null,
                        new FeatureSchema(List.of()), "s3://data", EMPTY_STATS, null, T),
                new FeatureSetEvent.FeatureSetCommandRejected(FEATURE_SET, "c-20", RejectionCode.INVALID_NAME,
                        "names must not contain '/'"));
    }

    /** Every concrete type under a sealed root, found through {@code getPermittedSubclasses()}. */
    static Set<Class<?>> concreteTypes(Class<?> root) {
        Set<Class<?>> out = new LinkedHashSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>(List.of(root));
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
}

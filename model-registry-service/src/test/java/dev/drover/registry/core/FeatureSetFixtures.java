package dev.drover.registry.core;

import dev.drover.registry.core.FeatureSetCommand.RegisterFeatureSetVersion;
import dev.drover.registry.core.FeatureSetEvent.FeatureSetVersionRegistered;
import dev.drover.registry.core.FeatureStatistics.CategoricalStatistics;
import dev.drover.registry.core.FeatureStatistics.NumericStatistics;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.drover.registry.core.ModelFixtures.ALICE;
import static dev.drover.registry.core.ModelFixtures.CMD;

/**
 * The nouns of the feature-set tests: a schema of one numeric, one categorical and one binary feature over 100 rows,
 * with statistics that fit it, and factories for variations.
 */
final class FeatureSetFixtures {
    static final String FEATURE_SET = "churn-features";
    static final String DATA = "s3://features/churn/2030-01-01";

    static final FeatureSchema SCHEMA = new FeatureSchema(List.of(
            new Feature("tenure", FeatureType.NUMERIC),
            new Feature("plan", FeatureType.CATEGORICAL),
            new Feature("churned", FeatureType.BINARY)));

    static final NumericStatistics TENURE = new NumericStatistics(List.of(0.0, 12.0, 24.0, 60.0),
            List.of(40L, 30L, 28L), List.of(new Quantile(0.0, 0.0), new Quantile(0.5, 14.0), new Quantile(1.0, 60.0)),
            2);
    static final CategoricalStatistics PLAN = new CategoricalStatistics(Map.of("basic", 50L, "pro", 45L), 5);
    static final CategoricalStatistics CHURNED = new CategoricalStatistics(Map.of("0", 80L, "1", 20L), 0);
    static final ReferenceStatistics STATS = new ReferenceStatistics(100,
            Map.of("tenure", TENURE, "plan", PLAN, "churned", CHURNED));

    static final Scenario.Aggregate<FeatureSetCommand, FeatureSetEvent, FeatureSetState> AGGREGATE =
            new Scenario.Aggregate<>(() -> new FeatureSetState(FEATURE_SET), FeatureSetState::apply,
                    new FeatureSetDecider()::decide, s -> List.copyOf(s.versions()),
                    FeatureSetCommand::commandId);

    private FeatureSetFixtures() {
    }

    static Scenario<FeatureSetCommand, FeatureSetEvent, FeatureSetState> given(FeatureSetEvent... history) {
        return new Scenario<>(AGGREGATE, List.of(history));
    }

    static FeatureSetVersionRegistered versionRegistered(int version, Instant at) {
        return new FeatureSetVersionRegistered(FEATURE_SET, version, null, SCHEMA, DATA, STATS, ALICE, at);
    }

    static RegisterFeatureSetVersion register(FeatureSchema schema, ReferenceStatistics statistics) {
        return new RegisterFeatureSetVersion(CMD, FEATURE_SET, "January snapshot", schema, DATA, statistics, ALICE);
    }

    static RegisterFeatureSetVersion register() {
        return register(SCHEMA, STATS);
    }

    /** {@link #STATS} with one feature's statistics replaced. */
    static ReferenceStatistics statsWith(String feature, FeatureStatistics stats) {
        Map<String, FeatureStatistics> features = new java.util.HashMap<>(STATS.features());
        features.put(feature, stats);
        return new ReferenceStatistics(STATS.rowCount(), features);
    }
}

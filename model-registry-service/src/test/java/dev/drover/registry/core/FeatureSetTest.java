package dev.drover.registry.core;

import dev.drover.registry.core.FeatureSetCommand.RegisterFeatureSetVersion;
import dev.drover.registry.core.FeatureSetEvent.FeatureSetVersionRegistered;
import dev.drover.registry.core.FeatureStatistics.CategoricalStatistics;
import dev.drover.registry.core.FeatureStatistics.NumericStatistics;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.drover.registry.core.FeatureSetFixtures.CHURNED;
import static dev.drover.registry.core.FeatureSetFixtures.DATA;
import static dev.drover.registry.core.FeatureSetFixtures.FEATURE_SET;
import static dev.drover.registry.core.FeatureSetFixtures.PLAN;
import static dev.drover.registry.core.FeatureSetFixtures.SCHEMA;
import static dev.drover.registry.core.FeatureSetFixtures.STATS;
import static dev.drover.registry.core.FeatureSetFixtures.TENURE;
import static dev.drover.registry.core.FeatureSetFixtures.given;
import static dev.drover.registry.core.FeatureSetFixtures.register;
import static dev.drover.registry.core.FeatureSetFixtures.statsWith;
import static dev.drover.registry.core.FeatureSetFixtures.versionRegistered;
import static dev.drover.registry.core.ModelFixtures.ALICE;
import static dev.drover.registry.core.ModelFixtures.CMD;
import static dev.drover.registry.core.ModelFixtures.NOW;
import static dev.drover.registry.core.ModelFixtures.seconds;
import static org.assertj.core.api.Assertions.assertThat;

/** Feature-set versions: numbered from the state, with statistics that must describe exactly their schema. */
class FeatureSetTest {

    static NumericStatistics numeric(List<Double> edges, List<Long> counts, List<Quantile> quantiles, long missing) {
        return new NumericStatistics(edges, counts, quantiles, missing);
    }

    @Test
    void the_first_version_is_1_and_creates_the_feature_set() {
        FeatureSetState state = given()
                .when(register(), NOW)
                .then(new FeatureSetVersionRegistered(FEATURE_SET, 1, "January snapshot", SCHEMA, DATA, STATS, ALICE,
                        NOW))
                .stateAfter();

        assertThat(state.exists()).isTrue();
        FeatureSetVersion v = state.latest().orElseThrow();
        assertThat(v.version()).isEqualTo(1);
        assertThat(v.schema().feature("plan")).contains(new Feature("plan", FeatureType.CATEGORICAL));
        assertThat(v.statistics().rowCount()).isEqualTo(100);
        assertThat(v.statistics().features().get("tenure")).isEqualTo(TENURE);
        assertThat(v.dataLocation()).isEqualTo(DATA);
        assertThat(v.registeredBy()).isEqualTo(ALICE);
        assertThat(v.registeredAt()).isEqualTo(NOW);
    }

    @Test
    void the_next_version_follows_the_latest() {
        FeatureSetState state = given(versionRegistered(1, seconds(1)), versionRegistered(2, seconds(2)))
                .when(register(), NOW)
                .then(new FeatureSetVersionRegistered(FEATURE_SET, 3, "January snapshot", SCHEMA, DATA, STATS, ALICE,
                        NOW))
                .stateAfter();

        assertThat(state.versions()).extracting(FeatureSetVersion::version).containsExactly(1, 2, 3);
        assertThat(state.version(2)).isPresent();
        assertThat(state.version(4)).isEmpty();
    }

    @Test
    void an_invalid_name_is_refused() {
        Decision<FeatureSetEvent> d = new FeatureSetDecider().decide(new FeatureSetState("a/b"),
                new RegisterFeatureSetVersion(CMD, "a/b", null, SCHEMA, DATA, STATS, ALICE), NOW);

        assertThat(d.rejection().orElseThrow().code()).isEqualTo(RejectionCode.INVALID_NAME);
    }

    @Test
    void a_missing_data_location_is_refused() {
        given()
                .when(new RegisterFeatureSetVersion(CMD, FEATURE_SET, null, SCHEMA, " ", STATS, ALICE), NOW)
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "dataLocation is required");
    }

    @Test
    void an_empty_schema_is_refused() {
        given()
                .when(register(new FeatureSchema(List.of()), STATS), NOW)
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "at least one feature");
    }

    @Test
    void duplicate_or_untyped_features_are_refused() {
        FeatureSchema schema = new FeatureSchema(List.of(new Feature("tenure", FeatureType.NUMERIC),
                new Feature("tenure", FeatureType.NUMERIC), new Feature("plan", null), new Feature(" ", null)));

        given()
                .when(register(schema, STATS), NOW)
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "feature 'tenure' twice", "feature 'plan' needs a type",
                        "schema feature 3 needs a name");
    }

    @Test
    void missing_statistics_are_refused() {
        given()
                .when(register(SCHEMA, null), NOW)
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "statistics are required");
    }

    @Test
    void a_feature_without_statistics_is_refused() {
        ReferenceStatistics stats = new ReferenceStatistics(100, Map.of("tenure", TENURE, "plan", PLAN));

        given()
                .when(register(SCHEMA, stats), NOW)
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "feature 'churned' has no statistics");
    }

    @Test
    void statistics_of_a_feature_not_in_the_schema_are_refused() {
        given()
                .when(register(SCHEMA, statsWith("age", TENURE)), NOW)
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "statistics for 'age', which is not a feature");
    }

    @Test
    void a_numeric_feature_needs_a_histogram_not_category_counts() {
        given()
                .when(register(SCHEMA, statsWith("tenure", PLAN)), NOW)
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "feature 'tenure': it is numeric");
    }

    @Test
    void a_categorical_feature_needs_category_counts_not_a_histogram() {
        given()
                .when(register(SCHEMA, statsWith("plan", TENURE)), NOW)
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "feature 'plan': it is categorical");
    }

    @Test
    void a_binary_feature_has_at_most_two_categories() {
        CategoricalStatistics three = new CategoricalStatistics(Map.of("0", 50L, "1", 40L, "maybe", 10L), 0);

        given()
                .when(register(SCHEMA, statsWith("churned", three)), NOW)
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "binary", "at most two categories, not 3");
    }

    @Test
    void a_negative_row_count_is_refused() {
        given()
                .when(register(SCHEMA, new ReferenceStatistics(-1, STATS.features())), NOW)
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "rowCount must be >= 0");
    }

    @Test
    void negative_counts_are_refused() {
        given()
                .when(register(SCHEMA, statsWith("tenure",
                        numeric(List.of(0.0, 1.0, 2.0), List.of(5L, -1L), List.of(), 0))), NOW)
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "the count of bin 1 is -1");
    }

    @Test
    void negative_category_counts_and_missing_counts_are_refused() {
        given()
                .when(register(SCHEMA, statsWith("plan", new CategoricalStatistics(Map.of("basic", -3L), -1))), NOW)
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "the count of category 'basic' is -3",
                        "missingCount must be >= 0");
    }

    @Test
    void bin_edges_must_strictly_increase() {
        given()
                .when(register(SCHEMA, statsWith("tenure",
                        numeric(List.of(0.0, 10.0, 10.0), List.of(5L, 5L), List.of(), 0))), NOW)
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "bin edges must strictly increase");
    }

    @Test
    void bin_edges_must_be_finite() {
        given()
                .when(register(SCHEMA, statsWith("tenure",
                        numeric(List.of(0.0, Double.POSITIVE_INFINITY), List.of(5L), List.of(), 0))), NOW)
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "edges must be finite");
    }

    @Test
    void there_is_one_count_per_bin() {
        given()
                .when(register(SCHEMA, statsWith("tenure",
                        numeric(List.of(0.0, 1.0, 2.0), List.of(5L), List.of(), 0))), NOW)
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "3 bin edges make 2 bins, but there are 1 counts");
    }

    @Test
    void a_numeric_feature_with_values_needs_a_histogram() {
        given()
                .when(register(SCHEMA, statsWith("tenure", numeric(List.of(), List.of(), List.of(), 0))), NOW)
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "a histogram is required");
    }

    @Test
    void a_single_edge_is_not_a_histogram() {
        given()
                .when(register(SCHEMA, statsWith("tenure", numeric(List.of(3.0), List.of(), List.of(), 0))), NOW)
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "at least two bin edges");
    }

    @Test
    void a_numeric_feature_with_no_values_at_all_needs_no_histogram() {
        given()
                .when(register(SCHEMA, statsWith("tenure", numeric(List.of(), List.of(), List.of(), 100))), NOW)
                .single(FeatureSetVersionRegistered.class);
    }

    @Test
    void counts_plus_missing_cannot_exceed_the_rows() {
        given()
                .when(register(SCHEMA, statsWith("plan", new CategoricalStatistics(Map.of("basic", 60L, "pro", 45L),
                        5))), NOW)
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "add up to 110, more than the 100 rows");
    }

    @Test
    void quantile_probabilities_lie_between_0_and_1() {
        given()
                .when(register(SCHEMA, statsWith("tenure", numeric(TENURE.binEdges(), TENURE.binCounts(),
                        List.of(new Quantile(1.5, 3.0)), 2))), NOW)
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "within [0, 1]");
    }

    @Test
    void quantile_probabilities_strictly_increase() {
        given()
                .when(register(SCHEMA, statsWith("tenure", numeric(TENURE.binEdges(), TENURE.binCounts(),
                        List.of(new Quantile(0.5, 3.0), new Quantile(0.5, 4.0)), 2))), NOW)
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "probabilities must strictly increase");
    }

    @Test
    void quantile_values_never_decrease() {
        given()
                .when(register(SCHEMA, statsWith("tenure", numeric(TENURE.binEdges(), TENURE.binCounts(),
                        List.of(new Quantile(0.25, 5.0), new Quantile(0.75, 4.0)), 2))), NOW)
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "quantile values must not decrease");
    }

    @Test
    void quantile_values_are_finite() {
        given()
                .when(register(SCHEMA, statsWith("tenure", numeric(TENURE.binEdges(), TENURE.binCounts(),
                        List.of(new Quantile(0.5, Double.NaN)), 2))), NOW)
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "values must be finite");
    }

    @Test
    void too_many_categories_are_refused() {
        Map<String, Long> counts = new java.util.HashMap<>();
        for (int i = 0; i <= FeatureSetRules.MAX_CATEGORIES; i++) {
            counts.put("c" + i, 0L);
        }

        given()
                .when(register(SCHEMA, statsWith("plan", new CategoricalStatistics(counts, 0))), NOW)
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "at most 10000 are allowed");
    }

    @Test
    void every_problem_is_reported_at_once() {
        ReferenceStatistics stats = new ReferenceStatistics(100, Map.of(
                "tenure", numeric(List.of(2.0, 1.0), List.of(1L), List.of(), 0),
                "plan", TENURE,
                "extra", CHURNED));

        String message = given()
                .when(register(SCHEMA, stats), NOW)
                .rejection().message();

        assertThat(message).contains("feature 'churned' has no statistics", "'extra'", "feature 'plan': it is",
                "feature 'tenure': bin edges must strictly increase");
    }
}

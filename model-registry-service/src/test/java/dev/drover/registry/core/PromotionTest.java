package dev.drover.registry.core;

import dev.drover.registry.core.ModelCommand.PromoteIfBetter;
import dev.drover.registry.core.ModelEvent.AliasMoved;
import dev.drover.registry.core.ModelEvent.PromotionDeclined;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.drover.registry.core.ModelFixtures.ALICE;
import static dev.drover.registry.core.ModelFixtures.AUC;
import static dev.drover.registry.core.ModelFixtures.CHAMPION;
import static dev.drover.registry.core.ModelFixtures.CMD;
import static dev.drover.registry.core.ModelFixtures.MODEL;
import static dev.drover.registry.core.ModelFixtures.NOW;
import static dev.drover.registry.core.ModelFixtures.created;
import static dev.drover.registry.core.ModelFixtures.given;
import static dev.drover.registry.core.ModelFixtures.moved;
import static dev.drover.registry.core.ModelFixtures.promote;
import static dev.drover.registry.core.ModelFixtures.registered;
import static dev.drover.registry.core.ModelFixtures.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Champion/challenger: the challenger takes the alias only if it beats the champion by the declared margins. */
class PromotionTest {
    static final PromotionCriteria AUC_BY_001 = new PromotionCriteria("auc", MetricDirection.GREATER, 0.01, 0);
    static final PromotionCriteria AUC_BY_5_PERCENT = new PromotionCriteria("auc", MetricDirection.GREATER, 0, 0.05);
    static final PromotionCriteria RMSE = new PromotionCriteria("rmse", MetricDirection.SMALLER, 0.5, 0);

    static ModelEvent[] champion(double championAuc, double challengerAuc) {
        return new ModelEvent[]{created(), registered(1, championAuc), registered(2, challengerAuc),
                moved(CHAMPION, null, 1)};
    }

    @Test
    void with_no_champion_yet_the_challenger_takes_the_alias() {
        PromotionEvaluation evaluation = PromotionEvaluation.evaluate(AUC, 1, 0.8, null, null);

        AliasMoved m = given(created(), registered(1, 0.8))
                .when(promote(1, AUC), NOW)
                .then(new AliasMoved(MODEL, CHAMPION, null, 1, AliasMoveKind.PROMOTION, evaluation.explanation(),
                        evaluation, null, ALICE, NOW))
                .single(AliasMoved.class);

        assertThat(m.evaluation().promote()).isTrue();
        assertThat(m.evaluation().championVersion()).isNull();
        assertThat(m.reason()).contains("no version holds the alias yet");
    }

    @Test
    void a_better_challenger_takes_the_alias_and_the_event_has_the_numbers() {
        AliasMoved m = given(champion(0.80, 0.85))
                .when(promote(2, AUC_BY_001), NOW)
                .single(AliasMoved.class);

        assertThat(m.kind()).isEqualTo(AliasMoveKind.PROMOTION);
        assertThat(m.previousVersion()).isEqualTo(1);
        assertThat(m.version()).isEqualTo(2);
        assertThat(m.by()).isEqualTo(ALICE);
        PromotionEvaluation e = m.evaluation();
        assertThat(e.championVersion()).isEqualTo(1);
        assertThat(e.championValue()).isEqualTo(0.80);
        assertThat(e.challengerVersion()).isEqualTo(2);
        assertThat(e.challengerValue()).isEqualTo(0.85);
        assertThat(e.absoluteImprovement()).isEqualTo(0.05);
        assertThat(e.relativeImprovement()).isCloseTo(0.0625, within(1e-12));
        assertThat(e.criteria()).isEqualTo(AUC_BY_001);
        assertThat(m.reason()).isEqualTo(e.explanation())
                .contains("version 2 wins on auc", "0.85 against 0.8 of version 1", "improvement 0.05", "6.25%");
    }

    @Test
    void a_worse_challenger_is_declined_with_the_numbers_and_why() {
        PromotionDeclined d = given(champion(0.80, 0.78))
                .when(promote(2, AUC), NOW)
                .single(PromotionDeclined.class);

        assertThat(d.alias()).isEqualTo(CHAMPION);
        assertThat(d.evaluation().promote()).isFalse();
        assertThat(d.evaluation().absoluteImprovement()).isEqualTo(-0.02);
        assertThat(d.reason()).isEqualTo(d.evaluation().explanation()).contains("is not better", "improvement -0.02");
        assertThat(d.by()).isEqualTo(ALICE);
        assertThat(d.at()).isEqualTo(NOW);
    }

    @Test
    void a_declined_promotion_leaves_the_champion_in_place() {
        RegisteredModelState state = given(champion(0.80, 0.78)).when(promote(2, AUC), NOW).stateAfter();

        assertThat(state.champion().orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void an_equal_value_is_not_better_even_with_zero_margins() {
        given(champion(0.80, 0.80))
                .when(promote(2, AUC), NOW)
                .single(PromotionDeclined.class);
    }

    @Test
    void better_but_below_the_absolute_margin_is_declined() {
        PromotionDeclined d = given(champion(0.80, 0.805))
                .when(promote(2, AUC_BY_001), NOW)
                .single(PromotionDeclined.class);

        assertThat(d.reason()).contains("better but not by enough", "required: at least 0.01");
    }

    @Test
    void better_but_below_the_relative_margin_is_declined() {
        PromotionDeclined d = given(champion(0.80, 0.83))
                .when(promote(2, AUC_BY_5_PERCENT), NOW)
                .single(PromotionDeclined.class);

        assertThat(d.evaluation().relativeImprovement()).isCloseTo(0.0375, within(1e-12));
        assertThat(d.reason()).contains("3.75%", "5%");
    }

    @Test
    void exactly_the_relative_margin_is_enough() {
        given(champion(0.80, 0.84))
                .when(promote(2, AUC_BY_5_PERCENT), NOW)
                .single(AliasMoved.class);
    }

    @Test
    void margins_are_compared_in_decimal_so_a_typed_threshold_is_met_exactly() {
        // in binary floating point 0.3 - 0.2 is 0.09999999999999998, which would miss a 0.1 margin
        given(champion(0.2, 0.3))
                .when(promote(2, new PromotionCriteria("auc", MetricDirection.GREATER, 0.1, 0)), NOW)
                .single(AliasMoved.class);
    }

    @Test
    void smaller_is_better_metrics_compare_the_other_way() {
        ModelEvent[] history = {created(), registered(1, Map.of("rmse", 10.0), seconds(1)),
                registered(2, Map.of("rmse", 9.4), seconds(2)), moved(CHAMPION, null, 1)};

        AliasMoved m = given(history).when(promote(2, RMSE), NOW).single(AliasMoved.class);

        assertThat(m.evaluation().absoluteImprovement()).isEqualTo(0.6);
        assertThat(m.reason()).contains("smaller is better");
    }

    @Test
    void smaller_is_better_with_too_small_a_gain_is_declined() {
        ModelEvent[] history = {created(), registered(1, Map.of("rmse", 10.0), seconds(1)),
                registered(2, Map.of("rmse", 9.6), seconds(2)), moved(CHAMPION, null, 1)};

        given(history).when(promote(2, RMSE), NOW).single(PromotionDeclined.class);
    }

    @Test
    void against_a_champion_value_of_zero_any_gain_meets_the_relative_margin() {
        PromotionEvaluation e = given(champion(0.0, 0.01))
                .when(promote(2, AUC_BY_5_PERCENT), NOW)
                .single(AliasMoved.class).evaluation();

        assertThat(e.relativeImprovement()).isNull();
    }

    @Test
    void another_alias_than_champion_can_be_promoted() {
        AliasMoved m = given(created(), registered(1, 0.8), registered(2, 0.9), moved("shadow", null, 1))
                .when(new PromoteIfBetter(CMD, MODEL, "shadow", 2, AUC, ALICE), NOW)
                .single(AliasMoved.class);

        assertThat(m.alias()).isEqualTo("shadow");
    }

    @Test
    void a_challenger_without_the_metric_is_refused() {
        given(created(), registered(1, Map.of("loss", 0.3), seconds(1)))
                .when(promote(1, AUC), NOW)
                .thenRejected(RejectionCode.MISSING_METRIC, "no metric 'auc'", "it has: loss");
    }

    @Test
    void a_champion_without_the_metric_is_refused() {
        given(created(), registered(1, Map.of("loss", 0.3), seconds(1)), registered(2, 0.9), moved(CHAMPION, null, 1))
                .when(promote(2, AUC), NOW)
                .thenRejected(RejectionCode.MISSING_METRIC, "version 1, which holds 'champion'");
    }

    @Test
    void the_champion_challenging_itself_changes_nothing() {
        given(champion(0.8, 0.9))
                .when(promote(1, AUC), NOW)
                .thenRejected(RejectionCode.UNCHANGED, "already holds 'champion'");
    }

    @Test
    void an_unknown_challenger_is_refused() {
        given(champion(0.8, 0.9))
                .when(promote(5, AUC), NOW)
                .thenRejected(RejectionCode.VERSION_NOT_FOUND);
    }

    @Test
    void invalid_criteria_are_refused_with_every_problem() {
        given(champion(0.8, 0.9))
                .when(promote(2, new PromotionCriteria(" ", null, -1, Double.NaN)), NOW)
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "metric is required", "direction is required",
                        "minAbsoluteImprovement", "minRelativeImprovement");
    }

    @Test
    void missing_criteria_are_refused() {
        given(champion(0.8, 0.9))
                .when(promote(2, null), NOW)
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "criteria are required");
    }

    @Test
    void promoting_to_a_reserved_alias_is_refused() {
        given(champion(0.8, 0.9))
                .when(new PromoteIfBetter(CMD, MODEL, "latest", 2, AUC, ALICE), NOW)
                .thenRejected(RejectionCode.INVALID_ALIAS);
    }
}

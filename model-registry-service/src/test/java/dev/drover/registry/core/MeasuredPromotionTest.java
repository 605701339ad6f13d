package dev.drover.registry.core;

import dev.drover.registry.core.ModelCommand.PromoteIfBetter;
import dev.drover.registry.core.ModelEvent.AliasMoved;
import dev.drover.registry.core.ModelEvent.PromotionDeclined;
import org.junit.jupiter.api.Test;

import static dev.drover.registry.core.ModelFixtures.ALICE;
import static dev.drover.registry.core.ModelFixtures.AUC;
import static dev.drover.registry.core.ModelFixtures.CHAMPION;
import static dev.drover.registry.core.ModelFixtures.CMD;
import static dev.drover.registry.core.ModelFixtures.MODEL;
import static dev.drover.registry.core.ModelFixtures.NOW;
import static dev.drover.registry.core.ModelFixtures.created;
import static dev.drover.registry.core.ModelFixtures.given;
import static dev.drover.registry.core.ModelFixtures.moved;
import static dev.drover.registry.core.ModelFixtures.registered;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A promotion judged on what a retraining run measured on shared data: the registered metrics come from each
 * version's own test split, so they are not what decides; the record names the data, the run and the drift report.
 */
class MeasuredPromotionTest {
    static final String DATA = "/data/churn/labeled/perf-p0-1500.csv";

    /** Version 1 (registered AUC 0.90 on its own split) holds the alias; version 2 registered only 0.80. */
    static ModelEvent[] championWithTheBetterRegisteredMetric() {
        return new ModelEvent[]{created(), registered(1, 0.90), registered(2, 0.80), moved(CHAMPION, null, 1)};
    }

    static PromoteIfBetter measured(double challenger, Integer championVersion, Double champion) {
        return new PromoteIfBetter(CMD, MODEL, CHAMPION, 2, AUC, ALICE, new MeasuredComparison(challenger,
                championVersion, champion, DATA, "churn-training.drift-1", "churn/w-p0-0"));
    }

    @Test
    void the_measured_values_decide_not_the_registered_ones_and_the_move_names_data_run_and_report() {
        AliasMoved m = given(championWithTheBetterRegisteredMetric())
                .when(measured(0.84, 1, 0.71), NOW)
                .single(AliasMoved.class);

        PromotionEvaluation e = m.evaluation();
        assertThat(e.measured()).isTrue();
        assertThat(e.challengerValue()).isEqualTo(0.84);
        assertThat(e.championValue()).as("the champion's score on the same recent rows").isEqualTo(0.71);
        assertThat(e.evaluationData()).isEqualTo(DATA);
        assertThat(e.runId()).isEqualTo("churn-training.drift-1");
        assertThat(e.driftReportId()).isEqualTo("churn/w-p0-0");
        assertThat(m.reason()).contains("version 2 wins on auc", "0.84 against 0.71 of version 1",
                "both measured on " + DATA, "by run churn-training.drift-1", "drift report churn/w-p0-0");
    }

    @Test
    void a_challenger_worse_on_the_shared_data_is_declined_whatever_its_registered_metric() {
        PromotionDeclined d = given(created(), registered(1, 0.70), registered(2, 0.95), moved(CHAMPION, null, 1))
                .when(measured(0.70, 1, 0.72), NOW)
                .single(PromotionDeclined.class);

        assertThat(d.evaluation().measured()).isTrue();
        assertThat(d.reason()).contains("is not better", "0.7 against 0.72");
    }

    @Test
    void a_measurement_of_a_champion_that_no_longer_holds_the_alias_is_refused() {
        given(created(), registered(1, 0.9), registered(2, 0.8), registered(3, 0.8), moved(CHAMPION, null, 3))
                .when(measured(0.84, 1, 0.71), NOW)
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "compares with version 1 but version 3 holds 'champion'");
        given(championWithTheBetterRegisteredMetric())
                .when(measured(0.84, 1, null), NOW)
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "give its measured value");
    }

    @Test
    void without_a_holder_the_measured_challenger_takes_the_alias() {
        AliasMoved m = given(created(), registered(1, 0.5), registered(2, 0.5))
                .when(measured(0.6, null, null), NOW)
                .single(AliasMoved.class);
        assertThat(m.version()).isEqualTo(2);
        assertThat(m.evaluation().measured()).isTrue();
    }
}

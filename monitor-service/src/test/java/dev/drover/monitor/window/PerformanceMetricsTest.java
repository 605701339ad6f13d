package dev.drover.monitor.window;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The metrics against their definitions, and the values a label or prediction may take. */
class PerformanceMetricsTest {

    @Test
    void aucByRanksIsTheShareOfCorrectlyOrderedPairsWithTiesAsHalves() {
        Random random = new Random(11);
        for (int round = 0; round < 20; round++) {
            int n = 2 + random.nextInt(300);
            double[] scores = new double[n];
            boolean[] truths = new boolean[n];
            for (int i = 0; i < n; i++) {
                scores[i] = random.nextInt(10) / 10.0;
                truths[i] = random.nextDouble() < 0.3 + scores[i] / 2;
            }
            double pairs = 0;
            double wins = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (truths[i] && !truths[j]) {
                        pairs++;
                        wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                    }
                }
            }
            double auc = PerformanceMetrics.auc(scores, truths, n);
            if (pairs == 0) {
                assertThat(auc).isNaN();
            } else {
                assertThat(auc).isCloseTo(wins / pairs, within(1e-12));
            }
        }
    }

    @Test
    void labelsAndPredictionsAreReadAsTruthsScoresAndClasses() {
        assertThat(PerformanceMetrics.truth(true)).isTrue();
        assertThat(PerformanceMetrics.truth(0.0)).isFalse();
        assertThat(PerformanceMetrics.truth("1")).isTrue();
        assertThat(PerformanceMetrics.truth(0.3)).as("not a binary truth").isNull();
        assertThat(PerformanceMetrics.score(Double.NaN)).isNull();
        assertThat(PerformanceMetrics.score(false)).isEqualTo(0.0);
        assertThat(PerformanceMetrics.correct(0.7, true)).isTrue();
        assertThat(PerformanceMetrics.correct(0.2, true)).isFalse();
        assertThat(PerformanceMetrics.correct("pro", "pro")).isTrue();
        assertThat(PerformanceMetrics.correct(2.0, 3.0)).isFalse();
    }
}

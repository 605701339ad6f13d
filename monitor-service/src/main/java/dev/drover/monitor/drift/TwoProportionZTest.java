package dev.drover.monitor.drift;

import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * The two-sided z-test for two independent proportions, as Evidently runs it for binary features: with
 * {@code p1 = x1 / n1} (reference), {@code p2 = x2 / n2} (current) and the pooled {@code P = (x1 + x2) / (n1 + n2)},
 * {@code z = (p1 - p2) / sqrt(P (1 - P) (1/n1 + 1/n2))} and the p-value is {@code 2 P(Z >= |z|)} for a standard
 * normal Z. (Evidently writes {@code 2 (1 - Φ(|z|))}; the survival function is the same number without the loss of
 * precision for small p-values.) When both samples hold only one and the same category ({@code P} is 0 or 1) there
 * is no difference to test: z = 0, p-value 1.
 */
public final class TwoProportionZTest {
    private static final NormalDistribution STANDARD_NORMAL = NormalDistribution.of(0, 1);

    private TwoProportionZTest() {
    }

    /**
     * @param referenceHits how many reference values are the counted category, of {@code referenceTotal}
     * @param currentHits   how many current values are that category, of {@code currentTotal}
     */
    public static TestStatistic test(long referenceHits, long referenceTotal, long currentHits, long currentTotal) {
        if (referenceTotal < 1 || currentTotal < 1) {
            throw new IllegalArgumentException("the z-test needs values in both samples (reference " + referenceTotal
                    + ", current " + currentTotal + ")");
        }
        if (referenceHits < 0 || referenceHits > referenceTotal || currentHits < 0 || currentHits > currentTotal) {
            throw new IllegalArgumentException("hits must lie between 0 and the sample size, not " + referenceHits
                    + " of " + referenceTotal + " and " + currentHits + " of " + currentTotal);
        }
        double p1 = (double) referenceHits / referenceTotal;
        double p2 = (double) currentHits / currentTotal;
        double pooled = (double) (referenceHits + currentHits) / (referenceTotal + currentTotal);
        double variance = pooled * (1 - pooled) * (1.0 / referenceTotal + 1.0 / currentTotal);
        if (!(variance > 0)) {
            return new TestStatistic(0, 1);
        }
        double z = (p1 - p2) / Math.sqrt(variance);
        return new TestStatistic(z, Math.min(1, 2 * STANDARD_NORMAL.survivalProbability(Math.abs(z))));
    }
}

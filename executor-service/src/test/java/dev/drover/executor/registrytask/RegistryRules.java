package dev.drover.executor.registrytask;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the registry's {@code FeatureSetRules} demand of one feature's statistics, restated for the executor's tests
 * (the executor does not depend on the registry service): counts add up, edges strictly increase with one more edge
 * than counts, quantiles lie in [0, 1] with values that never decrease, binary features have at most two categories.
 */
final class RegistryRules {
    private RegistryRules() {
    }

    static void assertAccepted(FeatureProfile f, long rowCount) {
        assertThat(f.missing()).as("%s missing", f.name()).isBetween(0L, rowCount);
        if (f instanceof FeatureProfile.Numeric n) {
            List<Double> edges = n.edges();
            if (n.missing() < rowCount) {
                assertThat(edges).as("%s: a feature with values needs a histogram", f.name()).hasSizeGreaterThan(1);
            }
            assertThat(edges).as("%s edges", f.name()).isSorted().doesNotHaveDuplicates()
                    .allSatisfy(e -> assertThat(Double.isFinite(e)).isTrue());
            if (!edges.isEmpty()) {
                assertThat(n.counts()).hasSize(edges.size() - 1);
            }
            assertThat(n.counts().stream().mapToLong(Long::longValue).sum() + n.missing()).isEqualTo(rowCount);
            double previousP = -1;
            double previousValue = Double.NEGATIVE_INFINITY;
            for (FeatureProfile.Quantile q : n.quantiles()) {
                assertThat(q.p()).isBetween(0.0, 1.0).isGreaterThan(previousP);
                assertThat(q.value()).isGreaterThanOrEqualTo(previousValue);
                previousP = q.p();
                previousValue = q.value();
            }
        } else if (f instanceof FeatureProfile.Categorical c) {
            if (c.type() == FeatureType.BINARY) {
                assertThat(c.categories()).hasSizeLessThanOrEqualTo(2);
            }
            assertThat(c.categories().values().stream().mapToLong(Long::longValue).sum() + c.missing())
                    .isEqualTo(rowCount);
        }
    }
}

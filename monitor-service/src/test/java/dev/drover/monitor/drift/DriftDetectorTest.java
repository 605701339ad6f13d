package dev.drover.monitor.drift;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Default methods, thresholds, overrides and the dataset verdict. */
class DriftDetectorTest {
    private final SplittableRandom random = new SplittableRandom(7);

    @Test
    void defaultsFollowEvidentlyByKindAndReferenceSize() {
        assertThat(DriftMethod.defaultFor(FeatureKind.NUMERIC, 1_000)).isEqualTo(DriftMethod.KS);
        assertThat(DriftMethod.defaultFor(FeatureKind.NUMERIC, 1_001)).isEqualTo(DriftMethod.WASSERSTEIN);
        assertThat(DriftMethod.defaultFor(FeatureKind.CATEGORICAL, 500)).isEqualTo(DriftMethod.CHI_SQUARE);
        assertThat(DriftMethod.defaultFor(FeatureKind.CATEGORICAL, 5_000)).isEqualTo(DriftMethod.JENSEN_SHANNON);
        assertThat(DriftMethod.defaultFor(FeatureKind.BINARY, 500)).isEqualTo(DriftMethod.Z_TEST);
        assertThat(DriftMethod.defaultFor(FeatureKind.BINARY, 5_000)).isEqualTo(DriftMethod.JENSEN_SHANNON);
    }

    @Test
    void aShiftedNumericFeatureDriftsAndAnUnchangedOneDoesNot() {
        NumericReference reference = NumericReference.ofValues(normal(5_000, 0, 1));
        Map<String, FeatureReference> references = Map.of("moved", reference, "still", reference);
        Map<String, FeatureWindow> windows = Map.of("moved", numeric(reference, normal(5_000, 0.5, 1)),
                "still", numeric(reference, normal(5_000, 0, 1)));

        DatasetDrift drift = DriftDetector.detect(references, windows, DriftSettings.defaults());

        assertThat(drift.features()).extracting(FeatureDrift::feature, FeatureDrift::method, FeatureDrift::drifted)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("moved", DriftMethod.WASSERSTEIN, true),
                        org.assertj.core.groups.Tuple.tuple("still", DriftMethod.WASSERSTEIN, false));
        assertThat(drift.features().get(0).statistic()).isBetween(0.4, 0.6);
        assertThat(drift.features().get(0).pValue()).isNull();
        assertThat(drift.driftedShare()).isEqualTo(0.5);
        assertThat(drift.drifted()).as("half the features reach the default share of 0.5").isTrue();
        assertThat(DriftDetector.detect(references, windows, new DriftSettings(Map.of(), 0.75)).drifted()).isFalse();
    }

    @Test
    void overridesChangeTheMethodAndTheThreshold() {
        NumericReference reference = NumericReference.ofValues(normal(5_000, 0, 1));
        NumericWindow window = numeric(reference, normal(5_000, 0.2, 1));
        DriftSettings settings = new DriftSettings(Map.of("x", new DriftSettings.FeatureOverride(DriftMethod.KS,
                0.01)), 0.5);

        FeatureDrift drift = DriftDetector.detect(Map.of("x", reference), Map.of("x", window), settings)
                .features().get(0);

        assertThat(drift.method()).isEqualTo(DriftMethod.KS);
        assertThat(drift.threshold()).isEqualTo(0.01);
        assertThat(drift.pValue()).isNotNull().isLessThan(0.01);
        assertThat(drift.drifted()).isTrue();
    }

    @Test
    void aCategoryTheReferenceNeverSawIsDrift() {
        CategoricalReference reference = new CategoricalReference(FeatureKind.CATEGORICAL,
                Map.of("red", 300L, "green", 200L, "blue", 100L));
        CategoricalWindow window = categorical(Map.of("red", 30, "green", 20, "blue", 10, "purple", 1));

        FeatureDrift drift = DriftDetector.detect(Map.of("colour", reference), Map.of("colour", window),
                DriftSettings.defaults()).features().get(0);

        assertThat(drift.method()).isEqualTo(DriftMethod.CHI_SQUARE);
        assertThat(drift.pValue()).isZero();
        assertThat(drift.drifted()).isTrue();
    }

    @Test
    void binaryFeaturesUseTheZTestAndRejectAThirdCategory() {
        CategoricalReference reference = new CategoricalReference(FeatureKind.BINARY, Map.of("yes", 300L, "no", 500L));
        FeatureDrift same = DriftDetector.detect(Map.of("b", reference), Map.of("b", categorical(Map.of("yes", 31,
                "no", 49))), DriftSettings.defaults()).features().get(0);
        assertThat(same.method()).isEqualTo(DriftMethod.Z_TEST);
        assertThat(same.drifted()).isFalse();
        FeatureDrift moved = DriftDetector.detect(Map.of("b", reference), Map.of("b", categorical(Map.of("yes", 60,
                "no", 40))), DriftSettings.defaults()).features().get(0);
        assertThat(moved.drifted()).isTrue();

        assertThatThrownBy(() -> DriftDetector.detect(Map.of("b", reference), Map.of("b", categorical(Map.of(
                "yes", 1, "no", 1, "maybe", 1))), DriftSettings.defaults()))
                .hasMessageContaining("3 categories").hasMessageContaining("CHI_SQUARE");
    }

    @Test
    void badSettingsSayWhatToChoose() {
        CategoricalReference reference = new CategoricalReference(FeatureKind.CATEGORICAL, Map.of("a", 10L));
        DriftSettings ks = new DriftSettings(Map.of("c", new DriftSettings.FeatureOverride(DriftMethod.KS, null)),
                0.5);
        assertThatThrownBy(() -> DriftDetector.detect(Map.of("c", reference), Map.of("c", categorical(Map.of("a",
                1))), ks)).hasMessageContaining("PSI, JENSEN_SHANNON, CHI_SQUARE");
        assertThatThrownBy(() -> new DriftSettings(Map.of("c", new DriftSettings.FeatureOverride(DriftMethod.KS,
                5.0)), 0.5)).hasMessageContaining("significance level in (0, 1)");
        assertThatThrownBy(() -> new DriftSettings(Map.of(), 0)).hasMessageContaining("(0, 1]");
    }

    @Test
    void featuresWithoutValuesAreSkippedWithTheReason() {
        NumericReference reference = NumericReference.ofValues(normal(5_000, 0, 1));
        NumericWindow empty = new NumericWindow(reference);
        empty.add(Double.NaN);

        DatasetDrift drift = DriftDetector.detect(Map.of("x", reference, "y", reference), Map.of("x", empty),
                DriftSettings.defaults());

        assertThat(drift.features()).isEmpty();
        assertThat(drift.skipped()).containsEntry("y", "no window").containsKey("x");
        assertThat(drift.skipped().get("x")).contains("the window has 0 values");
        assertThat(empty.missingCount()).isEqualTo(1);
        assertThat(drift.drifted()).isFalse();
    }

    private static NumericWindow numeric(NumericReference reference, double[] values) {
        NumericWindow w = new NumericWindow(reference);
        w.addAll(values, 0, values.length);
        return w;
    }

    private static CategoricalWindow categorical(Map<String, Integer> counts) {
        CategoricalWindow w = new CategoricalWindow();
        new HashMap<>(counts).forEach((k, n) -> {
            for (int i = 0; i < n; i++) {
                w.add(k);
            }
        });
        return w;
    }

    private double[] normal(int n, double mean, double sd) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double u = 1 - random.nextDouble();
            out[i] = mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
        }
        return out;
    }
}

package dev.drover.executor.registrytask;

import dev.drover.executor.registrytask.CsvProfiler.Requested;
import dev.drover.executor.registrytask.CsvProfiler.Spec;
import dev.drover.executor.registrytask.FeatureProfile.Categorical;
import dev.drover.executor.registrytask.FeatureProfile.Numeric;
import dev.drover.executor.registrytask.FeatureProfile.Quantile;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CsvProfilerTest {
    private static final Spec ALL = new Spec(List.of(), Set.of(), 4);

    @Test
    void infersTypesAndComputesEveryFeaturesStatistics() throws TaskFailure {
        String csv = """
                id,age,plan,churned,score
                a,20,basic,yes,0
                b,30,pro,no,1
                c,,basic,no,1
                d,40,team,yes,0
                e,60,basic,no,
                """;

        DatasetProfile p = profile(csv, new Spec(List.of(), Set.of("id"), 4));

        assertThat(p.rowCount()).isEqualTo(5);
        assertThat(p.features()).extracting(FeatureProfile::name, FeatureProfile::type).containsExactly(
                org.assertj.core.groups.Tuple.tuple("age", FeatureType.NUMERIC),
                org.assertj.core.groups.Tuple.tuple("plan", FeatureType.CATEGORICAL),
                org.assertj.core.groups.Tuple.tuple("churned", FeatureType.BINARY),
                // 0/1 parse as numbers: numeric unless declared BINARY
                org.assertj.core.groups.Tuple.tuple("score", FeatureType.NUMERIC));
        Numeric age = (Numeric) p.features().get(0);
        assertThat(age.missing()).isEqualTo(1);
        assertThat(age.edges()).containsExactly(20.0, 30.0, 40.0, 50.0, 60.0);
        assertThat(age.counts()).containsExactly(1L, 1L, 1L, 1L);
        // four values: every one is recorded, at its rank over n - 1
        assertThat(age.quantiles()).containsExactly(new Quantile(0.0, 20), new Quantile(1.0 / 3, 30),
                new Quantile(2.0 / 3, 40), new Quantile(1.0, 60));
        assertThat(((Categorical) p.features().get(1)).categories())
                .containsExactly(Map.entry("basic", 3L), Map.entry("pro", 1L), Map.entry("team", 1L));
        assertThat(((Categorical) p.features().get(2)).categories())
                .containsExactly(Map.entry("no", 3L), Map.entry("yes", 2L));
        Numeric score = (Numeric) p.features().get(3);
        assertThat(score.missing()).isEqualTo(1);
        assertThat(score.edges()).containsExactly(0.0, 0.25, 0.5, 0.75, 1.0);
        assertThat(score.counts()).containsExactly(2L, 0L, 0L, 2L);
        assertThat(p.features()).allSatisfy(f -> RegistryRules.assertAccepted(f, p.rowCount()));
    }

    @Test
    void declaredFeaturesAreProfiledInTheirOrderWithTheirTypes() throws TaskFailure {
        String csv = "a,b,c\n1,x,0\n2,y,1\n3,x,1\n";

        DatasetProfile p = profile(csv, new Spec(List.of(new Requested("c", FeatureType.BINARY),
                new Requested("a", FeatureType.CATEGORICAL), new Requested("b", null)), Set.of(), 10));

        assertThat(p.features()).extracting(FeatureProfile::name).containsExactly("c", "a", "b");
        assertThat(p.features().get(0)).isEqualTo(new Categorical("c", FeatureType.BINARY, 0,
                new java.util.TreeMap<>(Map.of("0", 1L, "1", 2L))));
        assertThat(p.features().get(1)).isEqualTo(new Categorical("a", FeatureType.CATEGORICAL, 0,
                new java.util.TreeMap<>(Map.of("1", 1L, "2", 1L, "3", 1L))));
        assertThat(p.features().get(2).type()).isEqualTo(FeatureType.BINARY);
    }

    @Test
    void aConstantColumnGetsOneBinAndAnEmptyColumnNone() throws TaskFailure {
        String csv = "k,empty,q\n5,,\"a,b\"\n5,,c\n5, ,\n";

        DatasetProfile p = profile(csv, ALL);

        Numeric k = (Numeric) p.features().get(0);
        assertThat(k.edges()).containsExactly(4.5, 5.5);
        assertThat(k.counts()).containsExactly(3L);
        Numeric empty = (Numeric) p.features().get(1);
        assertThat(empty.missing()).isEqualTo(3);
        assertThat(empty.edges()).isEmpty();
        assertThat(empty.quantiles()).isEmpty();
        // a quoted comma is part of the value; two distinct values make it binary
        assertThat(p.features().get(2)).isEqualTo(new Categorical("q", FeatureType.BINARY, 1,
                new java.util.TreeMap<>(Map.of("a,b", 1L, "c", 1L))));
        assertThat(p.features()).allSatisfy(f -> RegistryRules.assertAccepted(f, p.rowCount()));
    }

    @Test
    void nanAndInfinityAreNotNumbersSoTheColumnIsCategorical() throws TaskFailure {
        DatasetProfile p = profile("x\n1\nNaN\n2\nInfinity\n1e999\n", ALL);

        assertThat(p.features().get(0).type()).isEqualTo(FeatureType.CATEGORICAL);
        assertThat(((Categorical) p.features().get(0)).categories()).containsOnlyKeys("1", "2", "NaN", "Infinity",
                "1e999");
    }

    @Test
    void aDeclaredNumericColumnThatDoesNotParseFailsNamingRowAndValue() {
        String csv = "tenure,plan\n3,a\n4,b\nseven,c\n";

        assertThatThrownBy(() -> profile(csv, new Spec(List.of(new Requested("tenure", FeatureType.NUMERIC)),
                Set.of(), 10)))
                .isInstanceOf(TaskFailure.class)
                .hasMessage("train.csv: column tenure is declared NUMERIC, but row 3 holds `seven`, which is not a "
                        + "number; fix the data, leave the cell empty for a missing value, or declare the column "
                        + "CATEGORICAL");
    }

    @Test
    void aRowWithTheWrongNumberOfFieldsFails() {
        assertThatThrownBy(() -> profile("a,b\n1,2\n3\n", ALL))
                .isInstanceOf(TaskFailure.class)
                .hasMessage("train.csv: row 2 (line 3) has 1 fields, but the header names 2 columns; fix the row or "
                        + "quote values that contain commas");
    }

    @Test
    void unknownFeaturesAndExcludedColumnsAreNamedWithTheColumnsThereAre() {
        assertThatThrownBy(() -> profile("a,b\n1,2\n", new Spec(List.of(new Requested("c", null)), Set.of("lable"),
                10)))
                .isInstanceOf(TaskFailure.class)
                .hasMessage("train.csv has no columns lable, c; its columns are a, b; fix features or exclude");
    }

    @Test
    void aDeclaredBinaryColumnWithThreeValuesFails() {
        assertThatThrownBy(() -> profile("f\nx\ny\nz\n", new Spec(List.of(new Requested("f", FeatureType.BINARY)),
                Set.of(), 10)))
                .isInstanceOf(TaskFailure.class)
                .hasMessageContaining("column f is declared BINARY but has 3 distinct values (x, y, z)");
    }

    @Test
    void anIdColumnWithTooManyCategoriesSaysToExcludeIt() {
        StringBuilder csv = new StringBuilder("customer,x\n");
        for (int i = 0; i <= CsvProfiler.MAX_CATEGORIES; i++) {
            csv.append("C").append(i).append(",1\n");
        }

        assertThatThrownBy(() -> profile(csv.toString(), ALL))
                .isInstanceOf(TaskFailure.class)
                .hasMessageContaining("column customer has more than 10000 distinct values and is not numeric (row 1 "
                        + "holds `C0`)")
                .hasMessageContaining("If it is an id, add it to exclude");
    }

    @Test
    void aNumericColumnMayHaveAnyNumberOfDistinctValues() throws TaskFailure {
        StringBuilder csv = new StringBuilder("x\n");
        for (int i = 0; i <= CsvProfiler.MAX_CATEGORIES + 5; i++) {
            csv.append(i).append('\n');
        }

        DatasetProfile p = profile(csv.toString(), ALL);

        Numeric x = (Numeric) p.features().get(0);
        assertThat(x.counts().stream().mapToLong(Long::longValue).sum()).isEqualTo(CsvProfiler.MAX_CATEGORIES + 6);
    }

    @Test
    void headerProblemsAreClear() {
        assertThatThrownBy(() -> profile("", ALL)).isInstanceOf(TaskFailure.class)
                .hasMessageContaining("train.csv is empty");
        assertThatThrownBy(() -> profile("a,a\n1,2\n", ALL)).isInstanceOf(TaskFailure.class)
                .hasMessageContaining("the header row of train.csv is not usable")
                .hasMessageContaining("every column needs a distinct, non-empty name");
        assertThatThrownBy(() -> profile("a,b\n", new Spec(List.of(), Set.of("a", "b"), 10)))
                .isInstanceOf(TaskFailure.class).hasMessageContaining("nothing is left to profile");
    }

    @Test
    void aFileWithOnlyAHeaderHasNoRows() throws TaskFailure {
        DatasetProfile p = profile("a,b\n", ALL);

        assertThat(p.rowCount()).isZero();
        assertThat(p.features()).hasSize(2).allSatisfy(f -> RegistryRules.assertAccepted(f, 0));
    }

    @Test
    void numericFeaturesShareTheQuantileBudgetOfOneRegistryWrite() throws TaskFailure {
        assertThat(CsvProfiler.quantilesPerFeature(CsvProfiler.QUANTILE_BUDGET, 1)).isEqualTo(1_001);
        assertThat(CsvProfiler.quantilesPerFeature(CsvProfiler.QUANTILE_BUDGET, 13)).isEqualTo(1_001);
        assertThat(CsvProfiler.quantilesPerFeature(CsvProfiler.QUANTILE_BUDGET, 14)).isEqualTo(1_000);
        assertThat(CsvProfiler.quantilesPerFeature(CsvProfiler.QUANTILE_BUDGET, 100)).isEqualTo(140);
        assertThat(CsvProfiler.quantilesPerFeature(CsvProfiler.QUANTILE_BUDGET, 100_000)).isEqualTo(2);
        // 40 numeric columns of 2,000 distinct values and a categorical one: at most 350 quantiles each
        StringBuilder csv = new StringBuilder("c");
        for (int f = 0; f < 40; f++) {
            csv.append(",x").append(f);
        }
        csv.append('\n');
        for (int row = 0; row < 2_000; row++) {
            csv.append(row % 3 == 0 ? "a" : "b");
            for (int f = 0; f < 40; f++) {
                csv.append(',').append(row * 7 % 2_003 + f);
            }
            csv.append('\n');
        }

        DatasetProfile p = profile(csv.toString(), ALL);

        assertThat(p.features()).hasSize(41);
        assertThat(p.features().subList(1, 41)).allSatisfy(f ->
                assertThat(((Numeric) f).quantiles()).hasSizeBetween(200, 350));
        assertThat(p.features()).allSatisfy(f -> RegistryRules.assertAccepted(f, p.rowCount()));
    }

    private static DatasetProfile profile(String csv, Spec spec) throws TaskFailure {
        return CsvProfiler.profile(new StringReader(csv), spec, "train.csv");
    }
}

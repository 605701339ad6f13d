package dev.drover.monitor.drift;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static dev.drover.monitor.drift.Fixtures.P_VALUE_TOLERANCE;
import static dev.drover.monitor.drift.Fixtures.STATISTIC_TOLERANCE;
import static dev.drover.monitor.drift.Fixtures.assertClose;
import static dev.drover.monitor.drift.Fixtures.cases;
import static dev.drover.monitor.drift.Fixtures.longs;
import static dev.drover.monitor.drift.Fixtures.sample;

/** Every statistic on explicit inputs agrees with SciPy (or Evidently's NumPy formula) on the committed fixtures. */
class ScipyParityTest {

    @Test
    void ksMatchesKs2samp() {
        for (JsonNode c : cases("ks_2samp.json")) {
            String name = "ks_2samp " + c.get("name").asText();
            TestStatistic r = KolmogorovSmirnov.test(sample(c.get("reference")), sample(c.get("current")));
            assertClose(name + " statistic", r.statistic(), c.get("statistic").asDouble(), STATISTIC_TOLERANCE);
            assertClose(name + " p-value", r.pValue(), c.get("pValue").asDouble(), P_VALUE_TOLERANCE);
        }
    }

    @Test
    void asymptoticKsPValueMatchesKstwo() {
        for (JsonNode c : cases("ks_asymptotic.json")) {
            double d = c.get("d").asDouble();
            long n = c.get("n").asLong();
            long m = c.get("m").asLong();
            assertClose("kstwo.sf(" + d + ", n=" + n + ", m=" + m + ")", KolmogorovSmirnov.asymptoticPValue(d, n, m),
                    c.get("pValue").asDouble(), P_VALUE_TOLERANCE);
        }
    }

    @Test
    void chiSquareMatchesChisquare() {
        for (JsonNode c : cases("chisquare.json")) {
            String name = "chisquare " + c.get("name").asText();
            TestStatistic r = ChiSquare.test(longs(c.get("reference")), longs(c.get("current")));
            assertClose(name + " statistic", r.statistic(), c.get("statistic").asDouble(), STATISTIC_TOLERANCE);
            assertClose(name + " p-value", r.pValue(), c.get("pValue").asDouble(), P_VALUE_TOLERANCE);
        }
    }

    @Test
    void wassersteinMatchesWassersteinDistance() {
        for (JsonNode c : cases("wasserstein.json")) {
            String name = "wasserstein_distance " + c.get("name").asText();
            double[] u = sample(c.get("u"));
            double[] v = sample(c.get("v"));
            double distance = c.has("uWeights")
                    ? Wasserstein.distance(u, sample(c.get("uWeights")), v, sample(c.get("vWeights")))
                    : Wasserstein.distance(u, v);
            assertClose(name, distance, c.get("distance").asDouble(), STATISTIC_TOLERANCE);
            if (c.has("normed")) {
                assertClose(name + " normed", Wasserstein.normed(u, v), c.get("normed").asDouble(),
                        STATISTIC_TOLERANCE);
            }
        }
    }

    @Test
    void jensenShannonMatchesScipy() {
        for (JsonNode c : cases("jensenshannon.json")) {
            String name = "jensenshannon " + c.get("name").asText();
            double actual = c.get("kind").asText().equals("vectors")
                    ? JensenShannon.distance(sample(c.get("p")), sample(c.get("q")))
                    : JensenShannon.ofSamples(sample(c.get("reference")), sample(c.get("current")));
            assertClose(name, actual, c.get("distance").asDouble(), STATISTIC_TOLERANCE);
        }
    }

    @Test
    void psiMatchesEvidently() {
        for (JsonNode c : cases("psi.json")) {
            String name = "psi " + c.get("name").asText();
            double actual;
            if (c.get("kind").asText().equals("samples")) {
                double[] reference = sample(c.get("reference"));
                double[] current = sample(c.get("current"));
                double[] edges = Binning.sturges(reference, current);
                double[] expectedEdges = sample(c.get("edges"));
                org.assertj.core.api.Assertions.assertThat(edges).as(name + " edges").containsExactly(expectedEdges);
                actual = PopulationStabilityIndex.ofSamples(reference, current);
            } else {
                actual = PopulationStabilityIndex.ofCounts(sample(c.get("reference")), sample(c.get("current")));
            }
            assertClose(name, actual, c.get("psi").asDouble(), STATISTIC_TOLERANCE);
        }
    }

    @Test
    void zTestMatchesTheFormulaWithScipyNorm() {
        for (JsonNode c : cases("z_test.json")) {
            String name = "z-test " + c;
            TestStatistic r = TwoProportionZTest.test(c.get("referenceHits").asLong(),
                    c.get("referenceTotal").asLong(), c.get("currentHits").asLong(), c.get("currentTotal").asLong());
            assertClose(name + " statistic", r.statistic(), c.get("statistic").asDouble(), STATISTIC_TOLERANCE);
            assertClose(name + " p-value", r.pValue(), c.get("pValue").asDouble(), P_VALUE_TOLERANCE);
        }
    }
}

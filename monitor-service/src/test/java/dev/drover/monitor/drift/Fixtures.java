package dev.drover.monitor.drift;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads the SciPy fixtures written by {@code src/test/python/generate_drift_fixtures.py}. */
final class Fixtures {
    /** The tolerances: statistics and distances within 1e-9 relative, p-values within 1e-6 relative. */
    static final double STATISTIC_TOLERANCE = 1e-9;
    static final double P_VALUE_TOLERANCE = 1e-6;

    private static final JsonMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private Fixtures() {
    }

    static List<JsonNode> cases(String file) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/drift-fixtures/" + file)) {
            assertThat(in).as("fixture " + file).isNotNull();
            List<JsonNode> out = new ArrayList<>();
            JSON.readTree(in).get("cases").forEach(out::add);
            assertThat(out).as("cases in " + file).isNotEmpty();
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A sample: a list of numbers, or a grid {@code (((a i + b) % p) % q) / divisor + shift} for i below n. */
    static double[] sample(JsonNode node) {
        if (node.has("grid")) {
            JsonNode g = node.get("grid");
            int n = g.get("n").asInt();
            long a = g.get("a").asLong();
            long b = g.get("b").asLong();
            long p = g.get("p").asLong();
            long q = g.get("q").asLong();
            double divisor = g.get("divisor").asDouble();
            double shift = g.get("shift").asDouble();
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = (double) (((a * i + b) % p) % q) / divisor + shift;
            }
            return out;
        }
        double[] out = new double[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = node.get(i).asDouble();
        }
        return out;
    }

    static long[] longs(JsonNode node) {
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = node.get(i).asLong();
        }
        return out;
    }

    /** {@code actual} within {@code relative} of {@code expected} (equal when expected is 0 or infinite). */
    static void assertClose(String what, double actual, double expected, double relative) {
        if (expected == 0 || Double.isInfinite(expected)) {
            assertThat(actual).as(what).isEqualTo(expected);
        } else {
            assertThat(Math.abs(actual - expected)).as(what + ": " + actual + " vs SciPy's " + expected)
                    .isLessThanOrEqualTo(relative * Math.abs(expected));
        }
    }
}

package dev.drover.bench;

import java.util.Arrays;

/** Percentiles by the nearest-rank method: the p-th percentile of n values is the ceil(p/100·n)-th smallest. */
final class Stats {
    private Stats() {
    }

    static long percentile(long[] values, double p) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static String summary(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return String.format("n=%d min=%d p50=%d p90=%d p99=%d max=%d", sorted.length, sorted[0],
                percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99), sorted[sorted.length - 1]);
    }
}

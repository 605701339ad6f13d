package dev.drover.monitor.drift;

import org.apache.commons.statistics.inference.ChiSquareTest;

/**
 * Chi-square goodness of fit of the current category counts to the reference's proportions, as Evidently runs
 * {@code scipy.stats.chisquare(f_obs, f_exp)}: the expected count of a category is its reference count scaled by
 * {@code current total / reference total}; degrees of freedom are the number of categories minus one.
 *
 * <p>Categories are those seen in either sample (a category counted in neither must be left out: SciPy would
 * return NaN). A category the reference never saw has an expected count of zero, so any current value in it makes
 * the statistic infinite and the p-value 0, which is SciPy's answer too: a new category is drift. With a single
 * category there is nothing to compare; the result is statistic 0, p-value 1.
 */
public final class ChiSquare {
    private static final ChiSquareTest TEST = ChiSquareTest.withDefaults();

    private ChiSquare() {
    }

    /**
     * @param reference the reference count of each category
     * @param current   the current count of the same categories, in the same order
     * @throws IllegalArgumentException if the arrays differ in length, a count is negative, a category is counted
     *                                  in neither sample, or a sample is empty
     */
    public static TestStatistic test(long[] reference, long[] current) {
        if (reference.length != current.length) {
            throw new IllegalArgumentException("reference and current counts must list the same categories, but "
                    + "there are " + reference.length + " and " + current.length + " counts");
        }
        long referenceTotal = 0;
        long currentTotal = 0;
        boolean unseen = false;
        for (int i = 0; i < reference.length; i++) {
            if (reference[i] < 0 || current[i] < 0) {
                throw new IllegalArgumentException("category " + i + " has a negative count");
            }
            if (reference[i] == 0 && current[i] == 0) {
                throw new IllegalArgumentException("category " + i + " is counted in neither sample; leave it out");
            }
            unseen |= reference[i] == 0;
            referenceTotal += reference[i];
            currentTotal += current[i];
        }
        if (referenceTotal == 0 || currentTotal == 0) {
            throw new IllegalArgumentException("chi-square needs values in both samples (reference " + referenceTotal
                    + ", current " + currentTotal + ")");
        }
        if (reference.length < 2) {
            return new TestStatistic(0, 1);
        }
        if (unseen) {
            return new TestStatistic(Double.POSITIVE_INFINITY, 0);
        }
        double scale = (double) currentTotal / referenceTotal;
        double[] expected = new double[reference.length];
        for (int i = 0; i < reference.length; i++) {
            expected[i] = reference[i] * scale;
        }
        var r = TEST.test(expected, current);
        return new TestStatistic(r.getStatistic(), r.getPValue());
    }
}

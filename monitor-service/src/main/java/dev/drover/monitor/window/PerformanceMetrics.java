package dev.drover.monitor.window;

import java.util.Arrays;

/**
 * The performance metrics the window loop computes from labelled predictions. Predictions are scores or classes,
 * labels truths; {@code auc} needs binary truths.
 */
public final class PerformanceMetrics {
    /** Metric names the window loop can compute (a degradation policy on another metric is not scored). */
    public static final java.util.Set<String> SUPPORTED = java.util.Set.of("accuracy", "auc");

    private PerformanceMetrics() {
    }

    /**
     * ROC AUC by ranks (Mann–Whitney U): the probability that a random positive scores above a random negative, ties
     * counting a half. NaN when either class is absent.
     *
     * @param scores  one score per labelled prediction
     * @param truths  one truth per prediction: {@code true} = positive
     * @param n       how many of the entries are used
     */
    public static double auc(double[] scores, boolean[] truths, int n) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double positiveRankSum = 0;
        long positives = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1; // average rank of the tie run, ranks from 1
            for (int k = i; k <= j; k++) {
                if (truths[order[k]]) {
                    positiveRankSum += rank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /**
     * A score from a prediction: a number as it is, a boolean as 1 or 0, a string that is a number; else null.
     */
    public static Double score(Object prediction) {
        if (prediction instanceof Double d) {
            return Double.isFinite(d) ? d : null;
        }
        if (prediction instanceof Boolean b) {
            return b ? 1.0 : 0.0;
        }
        if (prediction instanceof String s) {
            try {
                double d = Double.parseDouble(s.trim());
                return Double.isFinite(d) ? d : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** A binary truth from a label: a boolean, 0 or 1, or the strings true/false/1/0; else null. */
    public static Boolean truth(Object label) {
        if (label instanceof Boolean b) {
            return b;
        }
        if (label instanceof Double d) {
            return d == 1.0 ? Boolean.TRUE : d == 0.0 ? Boolean.FALSE : null;
        }
        if (label instanceof String s) {
            String t = s.trim().toLowerCase();
            return t.equals("true") || t.equals("1") ? Boolean.TRUE
                    : t.equals("false") || t.equals("0") ? Boolean.FALSE : null;
        }
        return null;
    }

    /**
     * Whether a prediction is right. Against a binary truth, a numeric prediction is a score cut at 0.5; otherwise
     * prediction and label must be equal (numbers as numbers, strings as strings).
     */
    public static boolean correct(Object prediction, Object label) {
        if (label instanceof Boolean t) {
            Double s = score(prediction);
            return s != null && (s >= 0.5) == t;
        }
        if (label instanceof Double l) {
            Double s = score(prediction);
            return s != null && s.doubleValue() == l.doubleValue();
        }
        return String.valueOf(label).equals(String.valueOf(prediction));
    }
}

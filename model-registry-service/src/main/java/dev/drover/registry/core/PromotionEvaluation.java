package dev.drover.registry.core;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * A champion/challenger comparison with all its numbers, as it is recorded in the model's history whichever way it
 * went. {@code championVersion} and the values derived from it are null when no version held the alias;
 * {@code relativeImprovement} is also null when the champion's value is 0 (any gain over 0 counts as enough).
 *
 * @param absoluteImprovement how much better the challenger is, in the metric's unit (negative: worse)
 * @param relativeImprovement {@code absoluteImprovement / |championValue|}
 * @param promote             whether the challenger met the criteria
 * @param explanation         the comparison in one sentence, for people
 * @param measured            whether the values were measured on shared data ({@link MeasuredComparison}) rather
 *                            than taken from the versions' registered metrics
 * @param evaluationData      what they were measured on, or null
 * @param runId               the run that measured them, or null
 * @param driftReportId       the drift report whose retrain started that run, or null
 */
public record PromotionEvaluation(PromotionCriteria criteria, int challengerVersion, double challengerValue,
                                  Integer championVersion, Double championValue, Double absoluteImprovement,
                                  Double relativeImprovement, boolean promote, String explanation, boolean measured,
                                  String evaluationData, String runId, String driftReportId) {

    /** A comparison of registered metrics. */
    public PromotionEvaluation(PromotionCriteria criteria, int challengerVersion, double challengerValue,
                               Integer championVersion, Double championValue, Double absoluteImprovement,
                               Double relativeImprovement, boolean promote, String explanation) {
        this(criteria, challengerVersion, challengerValue, championVersion, championValue, absoluteImprovement,
                relativeImprovement, promote, explanation, false, null, null, null);
    }

    /** The same comparison judged on values measured on shared data, which the explanation then names. */
    public PromotionEvaluation measuredBy(MeasuredComparison m) {
        StringBuilder on = new StringBuilder(explanation).append(" (both measured");
        if (m.evaluationData() != null && !m.evaluationData().isBlank()) {
            on.append(" on ").append(m.evaluationData());
        }
        if (m.runId() != null) {
            on.append(" by run ").append(m.runId());
        }
        if (m.driftReportId() != null && !m.driftReportId().isBlank()) {
            on.append(", retraining for drift report ").append(m.driftReportId());
        }
        on.append(')');
        return new PromotionEvaluation(criteria, challengerVersion, challengerValue, championVersion, championValue,
                absoluteImprovement, relativeImprovement, promote, on.toString(), true, m.evaluationData(), m.runId(),
                m.driftReportId());
    }

    /** Compares a challenger with the current holder of the alias (none: {@code championVersion} null). */
    public static PromotionEvaluation evaluate(PromotionCriteria criteria, int challengerVersion,
                                               double challengerValue, Integer championVersion,
                                               Double championValue) {
        String metric = criteria.metric();
        if (championVersion == null) {
            return new PromotionEvaluation(criteria, challengerVersion, challengerValue, null, null, null, null, true,
                    "no version holds the alias yet, so version " + challengerVersion + " (" + metric + " = "
                            + format(challengerValue) + ") takes it");
        }
        // Decimal arithmetic on the values as written (0.3 - 0.2 is 0.1, not 0.09999999999999998): a threshold a
        // person typed must not be missed by a binary rounding error.
        BigDecimal challenger = BigDecimal.valueOf(challengerValue);
        BigDecimal champion = BigDecimal.valueOf(championValue);
        BigDecimal gain = criteria.direction() == MetricDirection.GREATER
                ? challenger.subtract(champion) : champion.subtract(challenger);
        BigDecimal base = champion.abs();
        BigDecimal relative = base.signum() == 0 ? null : gain.divide(base, MathContext.DECIMAL64);
        boolean better = gain.signum() > 0;
        boolean absoluteOk = gain.compareTo(BigDecimal.valueOf(criteria.minAbsoluteImprovement())) >= 0;
        boolean relativeOk = base.signum() == 0
                || gain.compareTo(BigDecimal.valueOf(criteria.minRelativeImprovement()).multiply(base)) >= 0;
        boolean promote = better && absoluteOk && relativeOk;

        String numbers = metric + " (" + (criteria.direction() == MetricDirection.GREATER ? "greater" : "smaller")
                + " is better) " + format(challengerValue) + " against " + format(championValue) + " of version "
                + championVersion + ": improvement " + gain.stripTrailingZeros().toPlainString()
                + (relative == null ? "" : " (" + percent(relative) + ")");
        String required = "required: at least " + format(criteria.minAbsoluteImprovement()) + " and "
                + percent(BigDecimal.valueOf(criteria.minRelativeImprovement()));
        String explanation;
        if (promote) {
            explanation = "version " + challengerVersion + " wins on " + numbers + "; " + required;
        } else if (!better) {
            explanation = "version " + challengerVersion + " is not better on " + numbers;
        } else {
            explanation = "version " + challengerVersion + " is better but not by enough on " + numbers + "; "
                    + required;
        }
        return new PromotionEvaluation(criteria, challengerVersion, challengerValue, championVersion, championValue,
                gain.doubleValue(), relative == null ? null : relative.doubleValue(), promote, explanation);
    }

    private static String format(double value) {
        double abs = Math.abs(value);
        return abs != 0 && (abs >= 1e15 || abs < 1e-6) ? Double.toString(value)
                : BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static String percent(BigDecimal fraction) {
        return fraction.movePointRight(2).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString() + "%";
    }
}

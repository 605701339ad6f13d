package dev.drover.registry.core;

import java.util.ArrayList;
import java.util.List;

/**
 * What a challenger must achieve to take an alias from the current holder: a better value of {@code metric}, by at
 * least {@code minAbsoluteImprovement} and at least {@code minRelativeImprovement} (a fraction of the champion's
 * value: 0.01 is 1 %). Both minimums default to 0, which still demands a strictly better value.
 */
public record PromotionCriteria(String metric, MetricDirection direction, double minAbsoluteImprovement,
                                double minRelativeImprovement) {

    /** What is wrong with these criteria; empty when they can be used. */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        if (metric == null || metric.isBlank()) {
            out.add("metric is required: name the metric to compare (e.g. auc)");
        }
        if (direction == null) {
            out.add("direction is required: GREATER (greater is better) or SMALLER");
        }
        if (!Double.isFinite(minAbsoluteImprovement) || minAbsoluteImprovement < 0) {
            out.add("minAbsoluteImprovement must be a number >= 0, not " + minAbsoluteImprovement);
        }
        if (!Double.isFinite(minRelativeImprovement) || minRelativeImprovement < 0) {
            out.add("minRelativeImprovement must be a fraction >= 0 (0.01 is 1%), not " + minRelativeImprovement);
        }
        return out;
    }
}

package dev.drover.monitor.drift;

import java.util.List;
import java.util.Map;

/**
 * The verdict on a window as a whole: the dataset drifted when the share of drifted features among those tested
 * reaches {@code shareThreshold}.
 *
 * @param features       the verdict per tested feature, in feature order
 * @param skipped        features that could not be tested in this window, with the reason (e.g. no values)
 * @param driftedShare   drifted features / tested features (0 when none was tested)
 * @param shareThreshold the share at which the dataset counts as drifted
 * @param drifted        whether the dataset drifted
 */
public record DatasetDrift(List<FeatureDrift> features, Map<String, String> skipped, double driftedShare,
                           double shareThreshold, boolean drifted) {

    public DatasetDrift {
        features = List.copyOf(features);
        skipped = Map.copyOf(skipped);
    }
}

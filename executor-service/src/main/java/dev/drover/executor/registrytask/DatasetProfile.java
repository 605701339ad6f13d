package dev.drover.executor.registrytask;

import java.util.List;

/** The reference statistics of a data file: its row count and its features' statistics, in the schema's order. */
public record DatasetProfile(long rowCount, List<FeatureProfile> features) {

    public DatasetProfile {
        features = List.copyOf(features);
    }
}

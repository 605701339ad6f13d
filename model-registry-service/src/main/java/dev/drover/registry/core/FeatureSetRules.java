package dev.drover.registry.core;

import dev.drover.registry.core.FeatureStatistics.CategoricalStatistics;
import dev.drover.registry.core.FeatureStatistics.NumericStatistics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a feature-set version must satisfy before it is registered. The statistics are the monitor's yardstick, so
 * they must describe exactly the schema's features, each in the form its type calls for, with counts that add up:
 * <ul>
 *   <li>the schema has at least one feature, names unique and non-blank, each with a type;</li>
 *   <li>every schema feature has statistics and nothing else has; numeric features have {@link NumericStatistics},
 *       categorical and binary ones {@link CategoricalStatistics} (binary: at most two categories);</li>
 *   <li>counts (row, missing, bin, category) are non-negative, and for each feature the counted values plus the
 *       missing ones do not exceed the row count;</li>
 *   <li>bin edges are finite and strictly increasing, with one more edge than there are counts (a constant column
 *       needs a bin of non-zero width around its value); a numeric feature with values has at least one bin;</li>
 *   <li>quantile probabilities lie in [0, 1] and strictly increase, their values are finite and never decrease.</li>
 * </ul>
 * The size limits keep one version within what a single log record can carry.
 */
public final class FeatureSetRules {
    public static final int MAX_FEATURES = 1_000;
    public static final int MAX_BINS = 1_000;
    public static final int MAX_QUANTILES = 1_001;
    public static final int MAX_CATEGORIES = 10_000;
    public static final int MAX_FEATURE_NAME_LENGTH = 250;

    private FeatureSetRules() {
    }

    /** Every problem of a version at once, each saying what to change; empty when it can be registered. */
    public static List<String> problems(FeatureSchema schema, String dataLocation, ReferenceStatistics statistics) {
        List<String> out = new ArrayList<>();
        if (dataLocation == null || dataLocation.isBlank()) {
            out.add("dataLocation is required: where the feature data is (e.g. s3://bucket/features/2030-01-01)");
        }
        if (schema == null || schema.features().isEmpty()) {
            out.add("schema needs at least one feature");
            return out;
        }
        schemaProblems(schema, out);
        if (statistics == null) {
            out.add("statistics are required: the reference statistics the monitor compares production data with");
            return out;
        }
        if (statistics.rowCount() < 0) {
            out.add("statistics.rowCount must be >= 0, not " + statistics.rowCount());
        }
        for (Feature f : schema.features()) {
            if (f.name() != null && f.type() != null && !statistics.features().containsKey(f.name())) {
                out.add("feature '" + f.name() + "' has no statistics");
            }
        }
        for (Map.Entry<String, FeatureStatistics> e : statistics.features().entrySet()) {
            Feature f = schema.feature(e.getKey()).orElse(null);
            if (f == null) {
                out.add("statistics for '" + e.getKey() + "', which is not a feature of the schema; remove them or "
                        + "add the feature");
            } else if (f.type() != null) {
                featureProblems(f, e.getValue(), statistics.rowCount(), out);
            }
        }
        return out;
    }

    private static void schemaProblems(FeatureSchema schema, List<String> out) {
        if (schema.features().size() > MAX_FEATURES) {
            out.add("schema has " + schema.features().size() + " features; at most " + MAX_FEATURES + " are allowed");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < schema.features().size(); i++) {
            Feature f = schema.features().get(i);
            String name = f.name();
            if (name == null || name.isBlank()) {
                out.add("schema feature " + i + " needs a name");
            } else if (name.length() > MAX_FEATURE_NAME_LENGTH || name.chars().anyMatch(Character::isISOControl)) {
                out.add("schema feature " + i + ": names have at most " + MAX_FEATURE_NAME_LENGTH
                        + " characters and no control characters");
            } else if (!seen.add(name)) {
                out.add("schema has feature '" + name + "' twice; feature names must be unique");
            }
            if (f.type() == null) {
                out.add("feature '" + name + "' needs a type: NUMERIC, CATEGORICAL or BINARY");
            }
        }
    }

    private static void featureProblems(Feature f, FeatureStatistics stats, long rowCount, List<String> out) {
        String at = "feature '" + f.name() + "': ";
        if (stats == null) {
            out.add(at + "statistics are null");
            return;
        }
        if (stats.missingCount() < 0) {
            out.add(at + "missingCount must be >= 0, not " + stats.missingCount());
        }
        if (f.type() == FeatureType.NUMERIC) {
            if (stats instanceof NumericStatistics n) {
                numericProblems(at, n, rowCount, out);
            } else {
                out.add(at + "it is numeric, so it needs a histogram and quantiles, not category counts");
            }
        } else if (stats instanceof CategoricalStatistics c) {
            categoricalProblems(at, f.type(), c, rowCount, out);
        } else {
            out.add(at + "it is " + f.type().name().toLowerCase(Locale.ROOT)
                    + ", so it needs category counts, not a histogram");
        }
    }

    private static void numericProblems(String at, NumericStatistics n, long rowCount, List<String> out) {
        List<Double> edges = n.binEdges();
        List<Long> counts = n.binCounts();
        boolean hasValues = n.missingCount() < rowCount;
        if (edges.isEmpty() && counts.isEmpty()) {
            if (hasValues) {
                out.add(at + "a histogram is required: at least two bin edges and one count per bin");
            }
        } else if (edges.size() < 2) {
            out.add(at + "a histogram needs at least two bin edges, not " + edges.size());
        } else if (counts.size() != edges.size() - 1) {
            out.add(at + edges.size() + " bin edges make " + (edges.size() - 1) + " bins, but there are "
                    + counts.size() + " counts");
        } else if (counts.size() > MAX_BINS) {
            out.add(at + counts.size() + " bins; at most " + MAX_BINS + " are allowed");
        }
        for (int i = 0; i < edges.size(); i++) {
            double edge = edges.get(i);
            if (!Double.isFinite(edge)) {
                out.add(at + "bin edge " + i + " is " + edge + "; edges must be finite numbers");
                break;
            }
            if (i > 0 && edge <= edges.get(i - 1)) {
                out.add(at + "bin edges must strictly increase, but edge " + i + " (" + edge + ") follows "
                        + edges.get(i - 1));
                break;
            }
        }
        List<String> bins = new ArrayList<>();
        for (int i = 0; i < counts.size(); i++) {
            bins.add("bin " + i);
        }
        countProblems(at, bins, counts, n.missingCount(), rowCount, out);
        List<Quantile> quantiles = n.quantiles();
        if (quantiles.size() > MAX_QUANTILES) {
            out.add(at + quantiles.size() + " quantiles; at most " + MAX_QUANTILES + " are allowed");
        }
        for (int i = 0; i < quantiles.size(); i++) {
            Quantile q = quantiles.get(i);
            if (!(q.probability() >= 0 && q.probability() <= 1)) {
                out.add(at + "quantile " + i + " has probability " + q.probability() + "; it must be within [0, 1]");
                break;
            }
            if (!Double.isFinite(q.value())) {
                out.add(at + "quantile " + i + " has value " + q.value() + "; values must be finite numbers");
                break;
            }
            if (i > 0 && q.probability() <= quantiles.get(i - 1).probability()) {
                out.add(at + "quantile probabilities must strictly increase, but " + q.probability() + " follows "
                        + quantiles.get(i - 1).probability());
                break;
            }
            if (i > 0 && q.value() < quantiles.get(i - 1).value()) {
                out.add(at + "quantile values must not decrease, but the " + q.probability() + " quantile ("
                        + q.value() + ") is below the " + quantiles.get(i - 1).probability() + " quantile ("
                        + quantiles.get(i - 1).value() + ")");
                break;
            }
        }
    }

    private static void categoricalProblems(String at, FeatureType type, CategoricalStatistics c, long rowCount,
                                            List<String> out) {
        if (type == FeatureType.BINARY && c.categoryCounts().size() > 2) {
            out.add(at + "it is binary, so it has at most two categories, not " + c.categoryCounts().size() + " ("
                    + String.join(", ", c.categoryCounts().keySet()) + ")");
        }
        if (c.categoryCounts().size() > MAX_CATEGORIES) {
            out.add(at + c.categoryCounts().size() + " categories; at most " + MAX_CATEGORIES + " are allowed "
                    + "(group the rare ones into one category)");
        }
        List<String> categories = new ArrayList<>();
        c.categoryCounts().keySet().forEach(k -> categories.add("category '" + k + "'"));
        countProblems(at, categories, new ArrayList<>(c.categoryCounts().values()), c.missingCount(), rowCount, out);
    }

    /** Counts are non-negative and, with the missing ones, add up to no more than the rows. */
    private static void countProblems(String at, List<String> labels, List<Long> counts, long missing, long rowCount,
                                      List<String> out) {
        long total = Math.max(missing, 0);
        for (int i = 0; i < counts.size(); i++) {
            Long count = counts.get(i);
            if (count == null || count < 0) {
                out.add(at + "the count of " + labels.get(i) + " is " + count + "; counts must be >= 0");
                return;
            }
            total = total > Long.MAX_VALUE - count ? Long.MAX_VALUE : total + count;
        }
        if (rowCount >= 0 && total > rowCount) {
            out.add(at + "the counts plus the missing values add up to " + total + ", more than the " + rowCount
                    + " rows");
        }
    }
}

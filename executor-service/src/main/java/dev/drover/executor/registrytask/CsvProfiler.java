package dev.drover.executor.registrytask;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Computes the reference statistics of a CSV file with a header row, in one pass: per feature the missing count and
 * either a histogram with quantiles ({@link NumericStatistics}) or category counts.
 *
 * <p>A cell is missing when it is empty (after trimming spaces). A feature's type is the one declared, else inferred
 * from its values: {@link FeatureType#NUMERIC} if every non-empty value is a finite number, else
 * {@link FeatureType#BINARY} if it has exactly two distinct values, else {@link FeatureType#CATEGORICAL}. So a 0/1
 * column is numeric unless declared BINARY, and a column with no values at all is numeric, with no histogram.
 *
 * <p>Numbers are written the plain way ({@code 12}, {@code -0.5}, {@code 1e-3}); {@code NaN}, {@code Infinity},
 * thousands separators and the like are not numbers here. Recording exact order statistics needs every value, so a
 * numeric feature costs 8 bytes per row in memory.
 */
final class CsvProfiler {
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    /** The registry's limits per feature set version ({@code FeatureSetRules}). */
    static final int MAX_FEATURES = 1_000;
    static final int MAX_CATEGORIES = 10_000;
    /**
     * Quantiles per feature set, shared by its numeric features (each gets up to
     * {@link NumericStatistics#MAX_QUANTILES}): the registry takes a write of at most 1 MiB, and a quantile is 45 to
     * 62 bytes of JSON, so 14,000 of them leave room for histograms and categories. Up to 13 numeric features get
     * 1,001 each, a hundred get 140.
     */
    static final int QUANTILE_BUDGET = 14_000;
    private static final int CHECK_INTERRUPT_EVERY = 4096;

    /** What to profile; {@code quantileBudget} is shared by the numeric features ({@link #QUANTILE_BUDGET}). */
    record Spec(List<Requested> features, Set<String> exclude, int bins, int quantileBudget) {
        Spec {
            features = List.copyOf(features);
            exclude = Set.copyOf(exclude);
        }

        Spec(List<Requested> features, Set<String> exclude, int bins) {
            this(features, exclude, bins, QUANTILE_BUDGET);
        }
    }

    /** A feature to profile: a column of the file, with its type or {@code null} to infer it. */
    record Requested(String name, FeatureType type) {
    }

    private CsvProfiler() {
    }

    /**
     * Profiles {@code csv}.
     *
     * @param source how to name the file in messages
     * @throws TaskFailure if the file has no header, a requested or excluded column does not exist, a row has the
     *                     wrong number of fields, a numeric column holds something else, or a categorical column has
     *                     more categories than the registry keeps
     */
    static DatasetProfile profile(Reader csv, Spec spec, String source) throws TaskFailure {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
                .setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true)
                .setDuplicateHeaderMode(DuplicateHeaderMode.DISALLOW).setAllowMissingColumnNames(false).get();
        try (CSVParser parser = parse(format, csv, source)) {
            List<String> header = parser.getHeaderNames();
            if (header.isEmpty()) {
                throw new TaskFailure(source + " is empty; profile_feature_set needs a CSV file whose first row "
                        + "names the columns");
            }
            List<Column> columns = columns(header, spec, source);
            long rows = 0;
            try {
                for (CSVRecord record : parser) {
                    rows++;
                    if (record.size() != header.size()) {
                        throw new TaskFailure(source + ": row " + rows + " (line " + parser.getCurrentLineNumber()
                                + ") has " + record.size() + " fields, but the header names "
                                + header.size() + " columns; fix the row or quote values that contain commas");
                    }
                    for (Column c : columns) {
                        c.add(record.get(c.index), rows, source);
                    }
                    if (rows % CHECK_INTERRUPT_EVERY == 0 && Thread.currentThread().isInterrupted()) {
                        throw new TaskFailure("profiling " + source + " was interrupted");
                    }
                }
            } catch (UncheckedIOException e) {
                throw new TaskFailure("cannot read " + source + " after row " + rows + ": "
                        + e.getCause().getMessage() + "; check the file is well-formed CSV (a quote left open "
                        + "swallows the rest of the file)");
            }
            long numeric = columns.stream().filter(c -> c.type() == FeatureType.NUMERIC).count();
            int quantiles = quantilesPerFeature(spec.quantileBudget(), numeric);
            List<FeatureProfile> features = new ArrayList<>(columns.size());
            for (Column c : columns) {
                features.add(c.finish(spec.bins(), quantiles, source));
            }
            return new DatasetProfile(rows, features);
        } catch (IOException e) {
            throw new TaskFailure("cannot read " + source + ": " + e.getMessage());
        }
    }

    /** Each numeric feature's share of the budget, at most 1,001 and at least the minimum and maximum. */
    static int quantilesPerFeature(int budget, long numericFeatures) {
        return (int) Math.max(2, Math.min(NumericStatistics.MAX_QUANTILES, budget / Math.max(1, numericFeatures)));
    }

    private static CSVParser parse(CSVFormat format, Reader csv, String source) throws TaskFailure, IOException {
        try {
            return CSVParser.builder().setFormat(format).setReader(csv).get();
        } catch (IllegalArgumentException e) {
            // Commons CSV refuses a header with a blank or repeated name this way.
            throw new TaskFailure("the header row of " + source + " is not usable: " + e.getMessage()
                    + "; every column needs a distinct, non-empty name");
        } catch (UncheckedIOException e) {
            throw new TaskFailure("cannot read the header row of " + source + ": " + e.getCause().getMessage());
        }
    }

    private static List<Column> columns(List<String> header, Spec spec, String source) throws TaskFailure {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            index.put(header.get(i), i);
        }
        Set<String> unknown = new LinkedHashSet<>();
        spec.exclude().stream().filter(c -> !index.containsKey(c)).forEach(unknown::add);
        spec.features().stream().map(Requested::name).filter(c -> !index.containsKey(c)).forEach(unknown::add);
        if (!unknown.isEmpty()) {
            throw new TaskFailure(source + " has no column" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown) + "; its columns are " + String.join(", ", header)
                    + "; fix features or exclude");
        }
        List<Column> out = new ArrayList<>();
        if (spec.features().isEmpty()) {
            for (int i = 0; i < header.size(); i++) {
                if (!spec.exclude().contains(header.get(i))) {
                    out.add(new Column(header.get(i), i, null));
                }
            }
        } else {
            for (Requested r : spec.features()) {
                out.add(new Column(r.name(), index.get(r.name()), r.type()));
            }
        }
        if (out.isEmpty()) {
            throw new TaskFailure("every column of " + source + " is excluded; nothing is left to profile");
        }
        if (out.size() > MAX_FEATURES) {
            throw new TaskFailure(source + " has " + out.size() + " columns to profile; the registry keeps at most "
                    + MAX_FEATURES + " features per feature set; list the ones you need in features");
        }
        return out;
    }

    /** Everything one pass needs to know about a column to decide its type and statistics at the end. */
    private static final class Column {
        final String name;
        final int index;
        final FeatureType declared;
        long missing;
        /** The numbers seen, while every value so far was one (and the column may be numeric). */
        double[] numbers = new double[1024];
        int numberCount;
        boolean allNumeric = true;
        String firstOther;
        long firstOtherRow;
        /** Category counts, while the column may be categorical and has not exceeded the registry's limit. */
        Map<String, Long> categories = new LinkedHashMap<>();
        boolean tooManyCategories;

        Column(String name, int index, FeatureType declared) {
            this.name = name;
            this.index = index;
            this.declared = declared;
            if (declared == FeatureType.NUMERIC) {
                categories = null;
            } else if (declared != null) {
                numbers = null;
            }
        }

        void add(String value, long row, String source) throws TaskFailure {
            if (value.isBlank()) {
                missing++;
                return;
            }
            if (numbers != null) {
                double d = number(value);
                if (Double.isNaN(d)) {
                    if (declared == FeatureType.NUMERIC) {
                        throw new TaskFailure(source + ": column " + name + " is declared NUMERIC, but row " + row
                                + " holds `" + abbreviate(value) + "`, which is not a number; fix the data, leave the "
                                + "cell empty for a missing value, or declare the column CATEGORICAL");
                    }
                    allNumeric = false;
                    firstOther = value;
                    firstOtherRow = row;
                    numbers = null;
                } else {
                    if (numberCount == numbers.length) {
                        numbers = Arrays.copyOf(numbers, numbers.length * 2);
                    }
                    numbers[numberCount++] = d;
                }
            }
            if (categories != null && !tooManyCategories) {
                categories.merge(value, 1L, Long::sum);
                if (categories.size() > MAX_CATEGORIES) {
                    tooManyCategories = true;
                    categories = null;
                    if (declared != null || !allNumeric) {
                        throw tooManyCategories(source);
                    }
                }
            } else if (tooManyCategories && !allNumeric) {
                throw tooManyCategories(source);
            }
        }

        private TaskFailure tooManyCategories(String source) {
            return new TaskFailure(source + ": column " + name + " has more than " + MAX_CATEGORIES + " distinct "
                    + "values" + (declared == null ? " and is not numeric (row " + firstOtherRow + " holds `"
                    + abbreviate(firstOther) + "`)" : "") + "; the registry keeps at most " + MAX_CATEGORIES
                    + " categories per feature. If it is an id, add it to exclude; if it is a number, fix the rows "
                    + "that are not");
        }

        FeatureType type() {
            return declared != null ? declared
                    : allNumeric ? FeatureType.NUMERIC
                    : categories.size() == 2 ? FeatureType.BINARY
                    : FeatureType.CATEGORICAL;
        }

        FeatureProfile finish(int bins, int quantiles, String source) throws TaskFailure {
            FeatureType type = type();
            if (type == FeatureType.NUMERIC) {
                return NumericStatistics.of(name, Arrays.copyOf(numbers, numberCount), bins, quantiles, missing);
            }
            if (type == FeatureType.BINARY && categories.size() > 2) {
                throw new TaskFailure(source + ": column " + name + " is declared BINARY but has "
                        + categories.size() + " distinct values (" + String.join(", ",
                        categories.keySet().stream().limit(5).map(CsvProfiler::abbreviate).toList())
                        + (categories.size() > 5 ? ", ..." : "") + "); declare it CATEGORICAL or fix the data");
            }
            return new FeatureProfile.Categorical(name, type, missing, new TreeMap<>(categories));
        }
    }

    /** The value of a plainly written finite number, or NaN when {@code text} is not one. */
    static double number(String text) {
        if (!NUMBER.matcher(text).matches()) {
            return Double.NaN;
        }
        double d = Double.parseDouble(text);
        // 1e999 is written like a number but is none we can keep.
        return Double.isFinite(d) ? d : Double.NaN;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}

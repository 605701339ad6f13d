import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Step 3 of the churn example: turns validated raw rows into model features.
 *
 * <ul>
 *   <li>a deterministic train/test split: the rows are shuffled with {@code --seed}, the first 1 - test-fraction
 *       of them train;</li>
 *   <li>numeric columns (tenure_months, monthly_charges, support_calls) are standardised with the mean and standard
 *       deviation of the <em>training</em> rows only, so nothing about the test rows leaks into training;</li>
 *   <li>contract is one-hot encoded, has_internet becomes 0/1, customer_id is dropped.</li>
 * </ul>
 *
 * Writes $DROVER_RUN_DIR/train.csv, test.csv (features then label) and scaler.json (the fitted parameters, needed to
 * score new customers the same way).
 *
 * <pre>java examples/ml/Featurize.java [--input $DROVER_RUN_DIR/raw.csv] [--test-fraction 0.2] [--seed 7]</pre>
 *
 * Outputs: {"train_rows", "test_rows", "features": [...], "train_path", "test_path", "scaler_path"}.
 */
public class Featurize {
    static final String HEADER = "customer_id,tenure_months,monthly_charges,support_calls,contract,has_internet,churned";
    static final String[] NUMERIC = {"tenure_months", "monthly_charges", "support_calls"};
    static final int[] NUMERIC_COLUMNS = {1, 2, 3};
    static final String[] CONTRACTS = {"month-to-month", "one-year", "two-year"};

    public static void main(String[] args) throws IOException {
        Path runDir = runDir();
        Path input = runDir.resolve("raw.csv");
        double testFraction = 0.2;
        long seed = 7;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--input" -> input = Path.of(value(args, ++i));
                case "--test-fraction" -> testFraction = Double.parseDouble(value(args, ++i));
                case "--seed" -> seed = Long.parseLong(value(args, ++i));
                default -> usage("unknown argument " + args[i]);
            }
        }
        if (!(testFraction > 0 && testFraction < 1)) {
            usage("--test-fraction must be between 0 and 1");
        }
        requireFile(input);
        List<String> lines = Files.readAllLines(input);
        if (lines.isEmpty() || !lines.get(0).strip().equals(HEADER)) {
            System.err.println("featurize: " + input + " does not have the expected header; run Validate first");
            System.exit(1);
        }
        List<String[]> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (!line.isBlank()) {
                rows.add(line.split(",", -1));
            }
        }
        Collections.shuffle(rows, new Random(seed));
        int testRows = (int) Math.round(rows.size() * testFraction);
        List<String[]> train = rows.subList(0, rows.size() - testRows);
        List<String[]> test = rows.subList(rows.size() - testRows, rows.size());
        if (train.size() < 2 || test.isEmpty()) {
            System.err.println("featurize: " + rows.size() + " rows are too few to split");
            System.exit(1);
        }

        // Fit the scaler on the training split only.
        double[] mean = new double[NUMERIC.length];
        double[] std = new double[NUMERIC.length];
        for (int j = 0; j < NUMERIC.length; j++) {
            double sum = 0;
            double sumSq = 0;
            for (String[] r : train) {
                double v = Double.parseDouble(r[NUMERIC_COLUMNS[j]]);
                sum += v;
                sumSq += v * v;
            }
            mean[j] = sum / train.size();
            double variance = Math.max(0, sumSq / train.size() - mean[j] * mean[j]);
            std[j] = variance > 1e-12 ? Math.sqrt(variance) : 1; // a constant column stays 0 instead of NaN
        }

        List<String> features = new ArrayList<>(List.of(NUMERIC));
        features.add("has_internet");
        for (String c : CONTRACTS) {
            features.add("contract_" + c.replace('-', '_'));
        }
        String header = String.join(",", features) + ",label\n";
        Path trainPath = runDir.resolve("train.csv");
        Path testPath = runDir.resolve("test.csv");
        Path scalerPath = runDir.resolve("scaler.json");
        writeAtomically(trainPath, header + encode(train, mean, std));
        writeAtomically(testPath, header + encode(test, mean, std));

        StringBuilder scaler = new StringBuilder("{\n  \"fitted_on\": \"train\",\n  \"train_rows\": " + train.size()
                + ",\n  \"numeric\": {");
        for (int j = 0; j < NUMERIC.length; j++) {
            scaler.append(String.format(Locale.ROOT, "%s\n    \"%s\": {\"mean\": %s, \"std\": %s}", j == 0 ? "" : ",",
                    NUMERIC[j], mean[j], std[j]));
        }
        scaler.append("\n  },\n  \"one_hot\": {\"contract\": [\"").append(String.join("\", \"", CONTRACTS))
                .append("\"]},\n  \"features\": ").append(jsonList(features)).append("\n}\n");
        writeAtomically(scalerPath, scaler.toString());

        System.out.printf(Locale.ROOT, "featurize: %d train / %d test rows, %d features: %s%n",
                train.size(), test.size(), features.size(), String.join(", ", features));
        writeOutputs(String.format(Locale.ROOT, "{\"train_rows\": %d, \"test_rows\": %d, \"features\": %s, "
                        + "\"train_path\": \"%s\", \"test_path\": \"%s\", \"scaler_path\": \"%s\"}",
                train.size(), test.size(), jsonList(features), jsonEscape(trainPath.toString()),
                jsonEscape(testPath.toString()), jsonEscape(scalerPath.toString())));
    }

    static String encode(List<String[]> rows, double[] mean, double[] std) {
        StringBuilder out = new StringBuilder();
        for (String[] r : rows) {
            for (int j = 0; j < NUMERIC.length; j++) {
                double z = (Double.parseDouble(r[NUMERIC_COLUMNS[j]]) - mean[j]) / std[j];
                out.append(String.format(Locale.ROOT, "%.6f,", z));
            }
            out.append(Boolean.parseBoolean(r[5]) ? "1," : "0,");
            for (String c : CONTRACTS) {
                out.append(c.equals(r[4]) ? "1," : "0,");
            }
            out.append(r[6]).append('\n');
        }
        return out.toString();
    }

    static String jsonList(List<String> values) {
        return "[\"" + String.join("\", \"", values) + "\"]";
    }

    static void requireFile(Path file) {
        if (!Files.isRegularFile(file)) {
            System.err.println("featurize: no input file " + file + "; run the earlier steps first");
            System.exit(1);
        }
    }

    // ---- shared by copy across the example steps --------------------------------------------------------------

    static String value(String[] args, int i) {
        if (i >= args.length) {
            usage(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    static void usage(String message) {
        System.err.println("featurize: " + message);
        System.err.println("usage: java examples/ml/Featurize.java [--input CSV] [--test-fraction F] [--seed S]");
        System.exit(64);
    }

    static Path runDir() throws IOException {
        String dir = System.getenv("DROVER_RUN_DIR");
        if (dir == null || dir.isBlank()) {
            System.err.println("DROVER_RUN_DIR is not set; Drover sets it, by hand: export DROVER_RUN_DIR=/tmp/churn");
            System.exit(64);
        }
        return Files.createDirectories(Path.of(dir).toAbsolutePath());
    }

    /** Write to a temporary file and rename it, so a killed attempt never leaves a half-written file behind. */
    static void writeAtomically(Path target, String content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Publishes the step's outputs to $DROVER_OUTPUT (or prints them when run by hand without it). */
    static void writeOutputs(String json) throws IOException {
        String file = System.getenv("DROVER_OUTPUT");
        if (file == null || file.isBlank()) {
            System.out.println("outputs: " + json);
        } else {
            Files.writeString(Path.of(file), json + "\n");
        }
    }

    static String jsonEscape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}

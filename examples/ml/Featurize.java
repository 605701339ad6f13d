import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * <p><b>Recent production data</b> (a retrain the monitor asked for, docs/monitor.md): {@code --production} and
 * {@code --evaluation} take the labelled rows the monitor kept (comma-separated CSV files; each labelled row names the
 * window file holding its features), {@code --champion-model} the model.json of the champion that served them (its
 * scaler.json beside it is what the features were sent scaled with). The production rows are turned back into raw values and
 * <ul>
 *   <li>{@code --production} rows join the training split, each counted {@code --production-weight} times (default:
 *       as often as makes them weigh as much as the historical rows), so that the model fits the population it now
 *       serves without forgetting what it knew; they are also written as reference.csv, the
 *       reference statistics of the next champion — the population it was chosen for;</li>
 *   <li>{@code --evaluation} rows are never trained on: written as evaluation.csv (scaled like the new model's
 *       features) and evaluation_champion.csv (as the champion saw them), so that both models are scored on the same
 *       recent rows.</li>
 * </ul>
 *
 * <pre>java examples/ml/Featurize.java [--input $DROVER_RUN_DIR/raw.csv] [--test-fraction 0.2] [--seed 7]
 *     [--production CSV,...] [--evaluation CSV,...] [--champion-model model.json] [--production-weight W]</pre>
 *
 * Outputs: {"train_rows", "test_rows", "production_rows", "evaluation_rows", "features": [...], "train_path",
 * "test_path", "scaler_path", "reference_path", "evaluation_path", "evaluation_champion_path"} (the last two empty
 * without {@code --evaluation}; reference_path is the training split without {@code --production}).
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
        String production = "";
        String evaluation = "";
        Path championScaler = null;
        int productionWeight = 0; // 0: as much weight in all as the historical training rows
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--input" -> input = Path.of(value(args, ++i));
                case "--production" -> production = value(args, ++i);
                case "--evaluation" -> evaluation = value(args, ++i);
                case "--champion-model" -> {
                    // the champion's run directory holds its scaler next to its model
                    String s = value(args, ++i);
                    championScaler = s.isBlank() ? null : Path.of(s).toAbsolutePath().resolveSibling("scaler.json");
                }
                case "--production-weight" -> productionWeight = Integer.parseInt(value(args, ++i));
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
        List<String[]> train = new ArrayList<>(rows.subList(0, rows.size() - testRows));
        List<String[]> test = rows.subList(rows.size() - testRows, rows.size());
        if ((!production.isBlank() || !evaluation.isBlank()) && championScaler == null) {
            usage("--production and --evaluation need --champion-model: the rows were scaled with its scaler");
        }
        Map<String, double[]> served = championScaler == null ? Map.of() : scaler(championScaler);
        List<String[]> recent = production.isBlank() ? List.of() : ProductionRows.raw(production, served);
        List<String[]> heldOut = evaluation.isBlank() ? List.of() : ProductionRows.raw(evaluation, served);
        if (productionWeight == 0 && !recent.isEmpty()) {
            productionWeight = Math.max(1, Math.round((float) train.size() / recent.size()));
        }
        for (int k = 0; k < productionWeight; k++) {
            train.addAll(recent);
        }
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
        Path referencePath = trainPath;
        if (!recent.isEmpty()) {
            referencePath = runDir.resolve("reference.csv");
            writeAtomically(referencePath, header + encode(recent, mean, std));
        }
        String evaluationPath = "";
        String evaluationChampionPath = "";
        if (!heldOut.isEmpty()) {
            Path e = runDir.resolve("evaluation.csv");
            writeAtomically(e, header + encode(heldOut, mean, std));
            Path c = runDir.resolve("evaluation_champion.csv");
            double[] servedMean = new double[NUMERIC.length];
            double[] servedStd = new double[NUMERIC.length];
            for (int j = 0; j < NUMERIC.length; j++) {
                servedMean[j] = served.get(NUMERIC[j])[0];
                servedStd[j] = served.get(NUMERIC[j])[1];
            }
            writeAtomically(c, header + encode(heldOut, servedMean, servedStd));
            evaluationPath = e.toString();
            evaluationChampionPath = c.toString();
        }

        StringBuilder scaler = new StringBuilder("{\n  \"fitted_on\": \"train\",\n  \"train_rows\": " + train.size()
                + ",\n  \"numeric\": {");
        for (int j = 0; j < NUMERIC.length; j++) {
            scaler.append(String.format(Locale.ROOT, "%s\n    \"%s\": {\"mean\": %s, \"std\": %s}", j == 0 ? "" : ",",
                    NUMERIC[j], mean[j], std[j]));
        }
        scaler.append("\n  },\n  \"one_hot\": {\"contract\": [\"").append(String.join("\", \"", CONTRACTS))
                .append("\"]},\n  \"features\": ").append(jsonList(features)).append("\n}\n");
        writeAtomically(scalerPath, scaler.toString());

        System.out.printf(Locale.ROOT, "featurize: %d train / %d test rows (%d recent production rows x%d, %d held "
                        + "out for evaluation), %d features: %s%n", train.size(), test.size(), recent.size(),
                productionWeight, heldOut.size(), features.size(), String.join(", ", features));
        writeOutputs(String.format(Locale.ROOT, "{\"train_rows\": %d, \"test_rows\": %d, \"production_rows\": %d, "
                        + "\"evaluation_rows\": %d, \"features\": %s, \"train_path\": \"%s\", \"test_path\": \"%s\", "
                        + "\"scaler_path\": \"%s\", \"reference_path\": \"%s\", \"evaluation_path\": \"%s\", "
                        + "\"evaluation_champion_path\": \"%s\"}",
                train.size(), test.size(), recent.size(), heldOut.size(), jsonList(features),
                jsonEscape(trainPath.toString()), jsonEscape(testPath.toString()), jsonEscape(scalerPath.toString()),
                jsonEscape(referencePath.toString()), jsonEscape(evaluationPath), jsonEscape(evaluationChampionPath)));
    }

    /** A scaler.json's numeric columns: name → {mean, std}. */
    static Map<String, double[]> scaler(Path file) throws IOException {
        String json = Files.readString(file);
        Map<String, double[]> out = new HashMap<>();
        for (String name : NUMERIC) {
            Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\\{\\s*\"mean\"\\s*:\\s*([-+0-9.eE]+)\\s*,\\s*\"std\"\\s*:"
                    + "\\s*([-+0-9.eE]+)").matcher(json);
            if (!m.find()) {
                System.err.println("featurize: " + file + " has no mean and std of " + name);
                System.exit(1);
            }
            out.put(name, new double[]{Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))});
        }
        return out;
    }

    /**
     * Labelled production rows as the monitor keeps them (docs/monitor.md, "Production data"), turned back into raw
     * rows of the ingest's shape: each labelled row names the window file with its features, which were sent scaled
     * with the champion's scaler and one-hot encoded.
     */
    static final class ProductionRows {
        static List<String[]> raw(String locations, Map<String, double[]> served) throws IOException {
            List<String[]> out = new ArrayList<>();
            Map<String, Map<String, Map<String, String>>> windows = new HashMap<>();
            for (String location : locations.split(",")) {
                if (location.isBlank()) {
                    continue;
                }
                List<Map<String, String>> labelled = csv(local(location.strip()));
                for (Map<String, String> l : labelled) {
                    String window = l.get("window_data");
                    if (window == null || window.isBlank()) {
                        continue; // its prediction was read before a monitor restart: features unknown
                    }
                    Map<String, Map<String, String>> byRequest = windows.computeIfAbsent(window, w -> {
                        Map<String, Map<String, String>> m = new HashMap<>();
                        try {
                            for (Map<String, String> r : csv(local(w))) {
                                m.put(r.get("request_id"), r);
                            }
                        } catch (IOException e) {
                            System.err.println("featurize: cannot read window data " + w + ": " + e.getMessage());
                        }
                        return m;
                    });
                    Map<String, String> f = byRequest.get(l.get("request_id"));
                    if (f == null) {
                        continue;
                    }
                    String contract = "";
                    for (String c : CONTRACTS) {
                        if (number(f.get("contract_" + c.replace('-', '_'))) == 1) {
                            contract = c;
                        }
                    }
                    String[] row = new String[7];
                    row[0] = l.get("request_id");
                    for (int j = 0; j < NUMERIC.length; j++) {
                        double[] s = served.get(NUMERIC[j]);
                        row[NUMERIC_COLUMNS[j]] = String.format(Locale.ROOT, "%.6f",
                                number(f.get(NUMERIC[j])) * s[1] + s[0]);
                    }
                    row[4] = contract;
                    row[5] = Boolean.toString(number(f.get("has_internet")) == 1);
                    String label = l.get("label");
                    row[6] = "1".equals(label) || "true".equalsIgnoreCase(label) || "1.0".equals(label) ? "1" : "0";
                    out.add(row);
                }
            }
            return out;
        }

        private static double number(String s) {
            return s == null || s.isBlank() ? 0 : Double.parseDouble(s);
        }

        /** A CSV file with a header, as the monitor writes it (RFC 4180; its values hold no commas or quotes). */
        /**
         * A kept file's path. This example has no S3 client (it runs without libraries): a monitor that keeps its
         * data in a bucket hands on s3:// URIs, which a step before this one must copy to local files.
         */
        private static Path local(String location) throws IOException {
            if (location.regionMatches(true, 0, "s3://", 0, 5)) {
                throw new IOException("featurize reads production data from local paths only, not " + location
                        + ": copy the objects to local files first (aws s3 cp), or keep the monitor's data in a "
                        + "mounted directory (docs/monitor.md, \"Production data\")");
            }
            return Path.of(location);
        }

        private static List<Map<String, String>> csv(Path file) throws IOException {
            List<String> lines = Files.readAllLines(file);
            List<Map<String, String>> out = new ArrayList<>();
            if (lines.isEmpty()) {
                return out;
            }
            String[] header = lines.get(0).split(",", -1);
            for (String line : lines.subList(1, lines.size())) {
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                Map<String, String> row = new HashMap<>();
                for (int i = 0; i < header.length && i < cells.length; i++) {
                    row.put(header[i], cells[i].replace("\"", ""));
                }
                out.add(row);
            }
            return out;
        }
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
        System.err.println("usage: java examples/ml/Featurize.java [--input CSV] [--test-fraction F] [--seed S] "
                + "[--production CSV,...] [--evaluation CSV,...] [--champion-model JSON] [--production-weight W]");
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

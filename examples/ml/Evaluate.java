import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Step 5 of the churn example: scores the held-out test split with the trained model.
 *
 * <p>Reports ROC AUC (rank based: the Mann-Whitney statistic, tied scores get their average rank), accuracy, log
 * loss, and precision and recall at threshold 0.5. Writes them to $DROVER_RUN_DIR/metrics.json and prints a one-line
 * summary. With {@code --min-auc A} it is a quality gate: exit 2 when the AUC is below A.
 *
 * <pre>java examples/ml/Evaluate.java [--model $DROVER_RUN_DIR/model.json] [--test $DROVER_RUN_DIR/test.csv]
 *     [--min-auc 0.7] [--metrics-file metrics.json]</pre>
 *
 * {@code --metrics-file} names the file in the run directory, so that scoring another model (the champion) or other
 * data (recent production rows) in the same run does not overwrite the training split's metrics.
 *
 * Outputs: {"auc", "accuracy", "log_loss", "precision", "recall", "test_rows", "metrics_path"}.
 */
public class Evaluate {
    public static void main(String[] args) throws IOException {
        Path runDir = runDir();
        Path modelPath = runDir.resolve("model.json");
        Path testPath = runDir.resolve("test.csv");
        double minAuc = Double.NaN;
        String metricsFile = "metrics.json";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--metrics-file" -> metricsFile = value(args, ++i);
                case "--model" -> modelPath = Path.of(value(args, ++i));
                case "--test" -> testPath = Path.of(value(args, ++i));
                case "--min-auc" -> minAuc = Double.parseDouble(value(args, ++i));
                default -> usage("unknown argument " + args[i]);
            }
        }

        requireFile(modelPath);
        requireFile(testPath);
        @SuppressWarnings("unchecked")
        Map<String, Object> model = (Map<String, Object>) new Json(Files.readString(modelPath)).value();
        List<?> features = (List<?>) model.get("features");
        double[] w = ((List<?>) model.get("weights")).stream().mapToDouble(v -> (Double) v).toArray();
        double b = (Double) model.get("bias");

        List<String> lines = Files.readAllLines(testPath);
        List<String> header = Arrays.asList(lines.get(0).split(","));
        if (!header.subList(0, header.size() - 1).equals(features)) {
            System.err.println("evaluate: test columns " + header + " do not match the model's features " + features);
            System.exit(1);
        }
        int n = lines.size() - 1;
        double[] p = new double[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            String[] f = lines.get(i + 1).split(",");
            double z = b;
            for (int j = 0; j < w.length; j++) {
                z += w[j] * Double.parseDouble(f[j]);
            }
            p[i] = 1 / (1 + Math.exp(-z));
            y[i] = Integer.parseInt(f[w.length]);
        }

        int tp = 0, fp = 0, tn = 0, fn = 0;
        double logLoss = 0;
        for (int i = 0; i < n; i++) {
            boolean predicted = p[i] >= 0.5;
            if (predicted) {
                if (y[i] == 1) tp++; else fp++;
            } else {
                if (y[i] == 1) fn++; else tn++;
            }
            double q = Math.min(1 - 1e-15, Math.max(1e-15, p[i]));
            logLoss -= y[i] == 1 ? Math.log(q) : Math.log(1 - q);
        }
        logLoss /= n;
        double accuracy = (tp + tn) / (double) n;
        double precision = tp + fp == 0 ? 0 : tp / (double) (tp + fp); // no positive predictions: 0 by convention
        double recall = tp + fn == 0 ? 0 : tp / (double) (tp + fn);
        double auc = auc(p, y);
        if (Double.isNaN(auc)) {
            System.err.println("evaluate: the test split holds only one class; AUC is undefined");
            System.exit(1);
        }

        String metrics = String.format(Locale.ROOT, "{\"auc\": %.6f, \"accuracy\": %.6f, \"log_loss\": %.6f, "
                        + "\"precision\": %.6f, \"recall\": %.6f, \"test_rows\": %d, \"positives\": %d}",
                auc, accuracy, logLoss, precision, recall, n, tp + fn);
        Path metricsPath = runDir.resolve(metricsFile);
        writeAtomically(metricsPath, metrics + "\n");
        System.out.printf(Locale.ROOT, "evaluate: AUC %.4f | accuracy %.4f | log loss %.4f | precision@0.5 %.4f | "
                + "recall@0.5 %.4f | %d test rows (%d churned)%n", auc, accuracy, logLoss, precision, recall, n, tp + fn);
        if (auc < minAuc) {
            System.err.printf(Locale.ROOT, "evaluate: AUC %.4f is below the required --min-auc %s; failing the run%n",
                    auc, minAuc);
            System.exit(2);
        }
        writeOutputs(metrics.substring(0, metrics.length() - 1)
                + ", \"metrics_path\": \"" + jsonEscape(metricsPath.toString()) + "\"}");
    }

    /**
     * ROC AUC as the probability that a random positive scores above a random negative (ties count half): the
     * Mann-Whitney U statistic from ranks, with tied scores given the average of their ranks. NaN for one class.
     */
    static double auc(double[] score, int[] label) {
        int n = score.length;
        Integer[] idx = new Integer[n];
        Arrays.setAll(idx, i -> i);
        Arrays.sort(idx, (a, c) -> Double.compare(score[a], score[c]));
        double positiveRankSum = 0;
        long positives = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && score[idx[j + 1]] == score[idx[i]]) {
                j++;
            }
            double averageRank = (i + j) / 2.0 + 1; // ranks are 1-based
            for (int k = i; k <= j; k++) {
                if (label[idx[k]] == 1) {
                    positiveRankSum += averageRank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (positiveRankSum - positives * (positives + 1) / 2.0) / (positives * (double) negatives);
    }

    /** Just enough JSON to read model.json: objects, arrays, strings, numbers, true/false/null. */
    static final class Json {
        private final String s;
        private int i;

        Json(String s) {
            this.s = s;
        }

        Object value() {
            skip();
            char c = s.charAt(i);
            if (c == '{') {
                Map<String, Object> m = new LinkedHashMap<>();
                i++;
                while (skip() != '}') {
                    String key = (String) value();
                    skip();
                    i++; // ':'
                    m.put(key, value());
                    if (skip() == ',') i++;
                }
                i++;
                return m;
            }
            if (c == '[') {
                List<Object> l = new ArrayList<>();
                i++;
                while (skip() != ']') {
                    l.add(value());
                    if (skip() == ',') i++;
                }
                i++;
                return l;
            }
            if (c == '"') {
                StringBuilder b = new StringBuilder();
                for (i++; s.charAt(i) != '"'; i++) {
                    b.append(s.charAt(i) == '\\' ? s.charAt(++i) : s.charAt(i)); // no \\uXXXX needed here
                }
                i++;
                return b.toString();
            }
            int start = i;
            while (i < s.length() && ",}] \t\r\n".indexOf(s.charAt(i)) < 0) i++;
            String word = s.substring(start, i);
            return switch (word) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                case "null" -> null;
                default -> Double.parseDouble(word);
            };
        }

        private char skip() {
            while (Character.isWhitespace(s.charAt(i))) i++;
            return s.charAt(i);
        }
    }

    static void requireFile(Path file) {
        if (!Files.isRegularFile(file)) {
            System.err.println("evaluate: no input file " + file + "; run the earlier steps first");
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
        System.err.println("evaluate: " + message);
        System.err.println("usage: java examples/ml/Evaluate.java [--model JSON] [--test CSV] [--min-auc A] [--metrics-file NAME]");
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

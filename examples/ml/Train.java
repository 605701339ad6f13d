import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Step 4 of the churn example: fits a logistic regression with L2 regularisation by mini-batch gradient descent.
 *
 * <p>Minimises mean log loss + l2/2 * |w|^2 (the bias is not penalised). Rows are reshuffled every epoch with
 * {@code --seed}, so the same arguments give the same model. Writes $DROVER_RUN_DIR/model.json.
 *
 * <pre>java examples/ml/Train.java [--train $DROVER_RUN_DIR/train.csv] [--learning-rate 0.1] [--epochs 200]
 *     [--l2 0.001] [--batch-size 64] [--seed 11]</pre>
 *
 * Outputs: {"model_path": ..., "train_loss": x, "epochs": n} where train_loss is the mean log loss on the training
 * split after the last epoch.
 */
public class Train {
    public static void main(String[] args) throws IOException {
        Path runDir = runDir();
        Path trainPath = runDir.resolve("train.csv");
        double learningRate = 0.1;
        int epochs = 200;
        double l2 = 0.001;
        int batchSize = 64;
        long seed = 11;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--train" -> trainPath = Path.of(value(args, ++i));
                case "--learning-rate" -> learningRate = Double.parseDouble(value(args, ++i));
                case "--epochs" -> epochs = Integer.parseInt(value(args, ++i));
                case "--l2" -> l2 = Double.parseDouble(value(args, ++i));
                case "--batch-size" -> batchSize = Integer.parseInt(value(args, ++i));
                case "--seed" -> seed = Long.parseLong(value(args, ++i));
                default -> usage("unknown argument " + args[i]);
            }
        }
        if (!(learningRate > 0) || epochs < 1 || !(l2 >= 0) || batchSize < 1) {
            usage("need --learning-rate > 0, --epochs >= 1, --l2 >= 0, --batch-size >= 1");
        }

        requireFile(trainPath);
        List<String> lines = Files.readAllLines(trainPath);
        String[] header = lines.get(0).split(",");
        String[] features = Arrays.copyOf(header, header.length - 1);
        int n = lines.size() - 1;
        int d = features.length;
        double[][] x = new double[n][d];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            String[] f = lines.get(i + 1).split(",");
            for (int j = 0; j < d; j++) {
                x[i][j] = Double.parseDouble(f[j]);
            }
            y[i] = Double.parseDouble(f[d]);
        }

        double[] w = new double[d];
        double b = 0;
        int[] order = new int[n];
        Arrays.setAll(order, i -> i);
        Random rnd = new Random(seed);
        double[] grad = new double[d];
        for (int epoch = 1; epoch <= epochs; epoch++) {
            shuffle(order, rnd);
            for (int start = 0; start < n; start += batchSize) {
                int end = Math.min(n, start + batchSize);
                Arrays.fill(grad, 0);
                double gradB = 0;
                for (int k = start; k < end; k++) {
                    int i = order[k];
                    double err = sigmoid(dot(w, x[i]) + b) - y[i];
                    for (int j = 0; j < d; j++) {
                        grad[j] += err * x[i][j];
                    }
                    gradB += err;
                }
                int m = end - start;
                for (int j = 0; j < d; j++) {
                    w[j] -= learningRate * (grad[j] / m + l2 * w[j]);
                }
                b -= learningRate * gradB / m;
            }
            if (epoch == 1 || epoch % Math.max(1, epochs / 5) == 0 || epoch == epochs) {
                System.out.printf(Locale.ROOT, "train: epoch %d/%d log loss %.5f%n", epoch, epochs, logLoss(w, b, x, y));
            }
        }
        double loss = logLoss(w, b, x, y);
        if (!Double.isFinite(loss) || !Arrays.stream(w).allMatch(Double::isFinite)) {
            System.err.println("train: diverged (loss " + loss + "); lower --learning-rate");
            System.exit(1);
        }

        Path modelPath = runDir.resolve("model.json");
        StringBuilder model = new StringBuilder("{\n  \"type\": \"logistic_regression\",\n  \"features\": [");
        StringBuilder weights = new StringBuilder();
        for (int j = 0; j < d; j++) {
            model.append(j == 0 ? "\"" : ", \"").append(features[j]).append('"');
            weights.append(j == 0 ? "" : ", ").append(w[j]);
        }
        model.append("],\n  \"weights\": [").append(weights).append("],\n  \"bias\": ").append(b)
                .append(",\n  \"hyperparameters\": {\"learning_rate\": ").append(learningRate)
                .append(", \"epochs\": ").append(epochs).append(", \"l2\": ").append(l2)
                .append(", \"batch_size\": ").append(batchSize).append(", \"seed\": ").append(seed)
                .append("},\n  \"train_rows\": ").append(n).append(",\n  \"train_loss\": ").append(loss).append("\n}\n");
        writeAtomically(modelPath, model.toString());
        for (int j = 0; j < d; j++) {
            System.out.printf(Locale.ROOT, "train:   %-26s %+.4f%n", features[j], w[j]);
        }
        System.out.printf(Locale.ROOT, "train:   %-26s %+.4f%n", "(bias)", b);
        System.out.printf(Locale.ROOT, "train: %d rows, final train log loss %.5f, model at %s%n", n, loss, modelPath);
        writeOutputs(String.format(Locale.ROOT, "{\"model_path\": \"%s\", \"train_loss\": %.6f, \"epochs\": %d}",
                jsonEscape(modelPath.toString()), loss, epochs));
    }

    static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    static double dot(double[] w, double[] x) {
        double s = 0;
        for (int j = 0; j < w.length; j++) {
            s += w[j] * x[j];
        }
        return s;
    }

    static double logLoss(double[] w, double b, double[][] x, double[] y) {
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            double p = Math.min(1 - 1e-15, Math.max(1e-15, sigmoid(dot(w, x[i]) + b)));
            sum -= y[i] * Math.log(p) + (1 - y[i]) * Math.log(1 - p);
        }
        return sum / y.length;
    }

    static void shuffle(int[] a, Random rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    static void requireFile(Path file) {
        if (!Files.isRegularFile(file)) {
            System.err.println("train: no input file " + file + "; run the earlier steps first");
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
        System.err.println("train: " + message);
        System.err.println("usage: java examples/ml/Train.java [--train CSV] [--learning-rate LR] [--epochs N] [--l2 L]"
                + " [--batch-size B] [--seed S]");
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

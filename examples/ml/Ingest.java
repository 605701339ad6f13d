import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Step 1 of the churn example: generates a synthetic customer-churn table from a fixed seed and writes it to
 * $DROVER_RUN_DIR/raw.csv.
 *
 * <p>The label is drawn from a known logistic model plus unobserved noise (and a tenure effect that is not linear),
 * so a logistic regression learns something real but cannot be perfect: expect a test AUC of roughly 0.8 to 0.9.
 *
 * <pre>java examples/ml/Ingest.java [--rows 5000] [--seed 42] [--corrupt-rows K]</pre>
 *
 * {@code --corrupt-rows K} replaces K rows with broken ones (negative tenure, unknown contract, missing values, bad
 * labels) so that the Validate step can be seen failing. Outputs: {"rows": N, "path": ".../raw.csv"}.
 */
public class Ingest {
    static final String HEADER = "customer_id,tenure_months,monthly_charges,support_calls,contract,has_internet,churned";

    public static void main(String[] args) throws IOException {
        int rows = 5000;
        long seed = 42;
        int corrupt = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rows" -> rows = Integer.parseInt(value(args, ++i));
                case "--seed" -> seed = Long.parseLong(value(args, ++i));
                case "--corrupt-rows" -> corrupt = Integer.parseInt(value(args, ++i));
                default -> usage("unknown argument " + args[i]);
            }
        }
        if (rows < 1 || corrupt < 0 || corrupt > rows) {
            usage("need --rows >= 1 and 0 <= --corrupt-rows <= rows");
        }
        Path runDir = runDir();
        Random rnd = new Random(seed);
        String[] lines = new String[rows];
        int churned = 0;
        for (int i = 0; i < rows; i++) {
            String contract = pick(rnd, new String[] {"month-to-month", "one-year", "two-year"}, 0.55, 0.25);
            int tenure = switch (contract) {
                case "month-to-month" -> (int) Math.min(72, -16 * Math.log(1 - rnd.nextDouble()));
                case "one-year" -> 3 + rnd.nextInt(70);
                default -> (int) Math.min(72, 12 + Math.abs(rnd.nextGaussian()) * 30);
            };
            boolean internet = rnd.nextDouble() < 0.78;
            double charges = internet ? 50 + rnd.nextGaussian() * 18 : 22 + rnd.nextGaussian() * 4;
            charges = Math.max(18.25, Math.min(118.75, charges));
            int calls = poisson(rnd, internet ? 1.6 : 0.9);
            // The "true" model: contract, tenure (diminishing returns), price, support pain, plus unobserved noise.
            double logit = -0.9
                    + ("month-to-month".equals(contract) ? 1.1 : "two-year".equals(contract) ? -1.2 : 0)
                    - 0.55 * Math.log1p(tenure)
                    + 0.022 * (charges - 50)
                    + 0.42 * calls
                    + (internet ? 0.35 : 0)
                    + rnd.nextGaussian() * 0.9;
            int label = rnd.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
            churned += label;
            lines[i] = String.format(Locale.ROOT, "C%06d,%d,%.2f,%d,%s,%b,%d",
                    i + 1, tenure, charges, calls, contract, internet, label);
        }
        // Corruption uses its own generator, so the clean rows are the same with and without --corrupt-rows.
        Random bad = new Random(seed ^ 0x5DEECE66DL);
        Set<Integer> used = new HashSet<>();
        String[] breakage = {"negative tenure", "unknown contract", "missing charges", "bad label", "not a number"};
        for (int k = 0; k < corrupt; k++) {
            int row;
            do {
                row = bad.nextInt(rows);
            } while (!used.add(row));
            String[] f = lines[row].split(",", -1);
            switch (breakage[k % breakage.length]) {
                case "negative tenure" -> f[1] = "-" + (1 + bad.nextInt(12));
                case "unknown contract" -> f[4] = "lifetime";
                case "missing charges" -> f[2] = "";
                case "bad label" -> f[6] = "2";
                default -> f[3] = "many";
            }
            lines[row] = String.join(",", f);
        }

        Path out = runDir.resolve("raw.csv");
        writeAtomically(out, HEADER + "\n" + String.join("\n", lines) + "\n");
        System.out.printf(Locale.ROOT, "ingest: wrote %d rows (%d corrupted, churn rate %.3f) to %s%n",
                rows, corrupt, churned / (double) rows, out);
        writeOutputs(String.format(Locale.ROOT, "{\"rows\": %d, \"path\": \"%s\"}", rows, jsonEscape(out.toString())));
    }

    static String pick(Random rnd, String[] values, double p0, double p1) {
        double u = rnd.nextDouble();
        return u < p0 ? values[0] : u < p0 + p1 ? values[1] : values[2];
    }

    static int poisson(Random rnd, double lambda) {
        double limit = Math.exp(-lambda);
        double p = rnd.nextDouble();
        int k = 0;
        while (p > limit) {
            p *= rnd.nextDouble();
            k++;
        }
        return k;
    }

    // ---- shared by copy across the example steps --------------------------------------------------------------

    static String value(String[] args, int i) {
        if (i >= args.length) {
            usage(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    static void usage(String message) {
        System.err.println("ingest: " + message);
        System.err.println("usage: java examples/ml/Ingest.java [--rows N] [--seed S] [--corrupt-rows K]");
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

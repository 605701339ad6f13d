import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Step 2 of the churn example: checks the raw table before anything learns from it.
 *
 * <ul>
 *   <li>schema: the exact header, the number of fields in every row, the type of every value;</li>
 *   <li>values: no missing values, ranges (tenure 0..120 months, charges 0..500, support calls 0..100), the allowed
 *       contract types, has_internet true/false, churned 0/1, unique customer ids;</li>
 *   <li>the table: at least {@code --min-rows} rows and a churn rate within [--min-class-rate, 1 - min-class-rate].</li>
 * </ul>
 *
 * Every violation is reported on stderr (the first 20 in full, then a count) and the step exits 1, so the pipeline
 * stops before training on bad data.
 *
 * <pre>java examples/ml/Validate.java [--input $DROVER_RUN_DIR/raw.csv] [--min-rows 100] [--min-class-rate 0.05]</pre>
 *
 * Outputs: {"rows": N, "valid": true, "churn_rate": x, "path": ...}.
 */
public class Validate {
    static final String HEADER = "customer_id,tenure_months,monthly_charges,support_calls,contract,has_internet,churned";
    static final List<String> CONTRACTS = List.of("month-to-month", "one-year", "two-year");
    static final int SHOWN = 20;

    static final List<String> violations = new ArrayList<>();

    public static void main(String[] args) throws IOException {
        Path runDir = runDir();
        Path input = runDir.resolve("raw.csv");
        int minRows = 100;
        double minClassRate = 0.05;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--input" -> input = Path.of(value(args, ++i));
                case "--min-rows" -> minRows = Integer.parseInt(value(args, ++i));
                case "--min-class-rate" -> minClassRate = Double.parseDouble(value(args, ++i));
                default -> usage("unknown argument " + args[i]);
            }
        }
        if (!Files.isRegularFile(input)) {
            System.err.println("validate: no input file " + input + "; run Ingest first");
            System.exit(1);
        }
        List<String> lines = Files.readAllLines(input);
        if (lines.isEmpty() || !lines.get(0).strip().equals(HEADER)) {
            violation("line 1: header is `" + (lines.isEmpty() ? "" : lines.get(0)) + "`, expected `" + HEADER + "`");
            fail(input, 0);
        }
        String[] columns = HEADER.split(",");
        Set<String> ids = new HashSet<>();
        int rows = 0;
        int positives = 0;
        for (int n = 1; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.isBlank()) {
                continue;
            }
            rows++;
            String at = "line " + (n + 1) + ": ";
            String[] f = line.split(",", -1);
            if (f.length != columns.length) {
                violation(at + "has " + f.length + " fields, expected " + columns.length);
                continue;
            }
            boolean complete = true;
            for (int c = 0; c < f.length; c++) {
                if (f[c].isBlank()) {
                    violation(at + columns[c] + " is missing");
                    complete = false;
                }
            }
            if (!complete) {
                continue;
            }
            if (!ids.add(f[0])) {
                violation(at + "customer_id " + f[0] + " appears more than once");
            }
            integerIn(at, "tenure_months", f[1], 0, 120);
            numberIn(at, "monthly_charges", f[2], 0, 500);
            integerIn(at, "support_calls", f[3], 0, 100);
            if (!CONTRACTS.contains(f[4])) {
                violation(at + "contract `" + f[4] + "` is not one of " + String.join(", ", CONTRACTS));
            }
            if (!f[5].equals("true") && !f[5].equals("false")) {
                violation(at + "has_internet `" + f[5] + "` is not true or false");
            }
            if (f[6].equals("1")) {
                positives++;
            } else if (!f[6].equals("0")) {
                violation(at + "churned `" + f[6] + "` is not 0 or 1");
            }
        }
        if (rows < minRows) {
            violation("table: " + rows + " rows, at least " + minRows + " needed (--min-rows)");
        }
        double churnRate = rows == 0 ? 0 : positives / (double) rows;
        if (rows > 0 && (churnRate < minClassRate || churnRate > 1 - minClassRate)) {
            violation(String.format(Locale.ROOT, "table: churn rate %.4f is degenerate; expected between %.2f and %.2f",
                    churnRate, minClassRate, 1 - minClassRate));
        }
        if (!violations.isEmpty()) {
            fail(input, rows);
        }
        System.out.printf(Locale.ROOT, "validate: %s OK, %d rows, churn rate %.4f%n", input, rows, churnRate);
        writeOutputs(String.format(Locale.ROOT, "{\"rows\": %d, \"valid\": true, \"churn_rate\": %.6f, \"path\": \"%s\"}",
                rows, churnRate, jsonEscape(input.toString())));
    }

    static void integerIn(String at, String column, String text, long min, long max) {
        try {
            long v = Long.parseLong(text);
            if (v < min || v > max) {
                violation(at + column + " " + v + " is outside [" + min + ", " + max + "]");
            }
        } catch (NumberFormatException e) {
            violation(at + column + " `" + text + "` is not an integer");
        }
    }

    static void numberIn(String at, String column, String text, double min, double max) {
        try {
            double v = Double.parseDouble(text);
            if (!(v >= min && v <= max)) {
                violation(at + column + " " + text + " is outside [" + min + ", " + max + "]");
            }
        } catch (NumberFormatException e) {
            violation(at + column + " `" + text + "` is not a number");
        }
    }

    static void violation(String message) {
        violations.add(message);
    }

    static void fail(Path input, int rows) {
        System.err.println("validate: " + input + " (" + rows + " rows) has " + violations.size() + " violation(s):");
        violations.stream().limit(SHOWN).forEach(v -> System.err.println("  " + v));
        if (violations.size() > SHOWN) {
            System.err.println("  ... and " + (violations.size() - SHOWN) + " more");
        }
        System.exit(1);
    }

    // ---- shared by copy across the example steps --------------------------------------------------------------

    static String value(String[] args, int i) {
        if (i >= args.length) {
            usage(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    static void usage(String message) {
        System.err.println("validate: " + message);
        System.err.println("usage: java examples/ml/Validate.java [--input CSV] [--min-rows N] [--min-class-rate R]");
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

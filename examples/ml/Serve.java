import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A stand-in for a serving system: it draws customers like Ingest does, featurizes them with the training run's
 * scaler, scores them with a trained model, and publishes each prediction to Drover's monitor (and, optionally, the
 * ground-truth labels afterwards) over REST in batches. Used by the demo and the monitor's end-to-end test.
 *
 * <pre>java examples/ml/Serve.java --url http://localhost:8080 --model churn --model-version 1
 *     --run-dir .drover/runs/churn-training.1 [--token-file .drover/admin-token] [--rows 2000] [--batch 500] [--seed 7]
 *     [--drift none|two-features] [--labels none|true|price-sensitive|degraded]</pre>
 *
 * {@code --drift two-features} serves a population whose tenure is much shorter and whose monthly charges are much
 * higher than in training (two of the seven features drift; the others do not). {@code --labels price-sensitive}
 * sends labels of customers who, after the price rise, react to their monthly charges twice as strongly as before: a
 * model retrained on them ranks churners better than one that learned the old relationship. {@code --labels degraded} sends
 * labels drawn from a changed relationship between features and churn, so the model's AUC on them falls although the
 * inputs look the same. Prints one summary line; exits 1 if Drover refuses a batch. It signs in with the API token in
 * {@code --token-file} (or the environment variable {@code DROVER_TOKEN}); a serving system needs one with the
 * {@code publisher} role (docs/security.md).
 */
public class Serve {
    static final String[] CONTRACTS = {"month-to-month", "one-year", "two-year"};

    public static void main(String[] args) throws Exception {
        String url = "http://localhost:8080";
        String model = "churn";
        int version = 1;
        Path runDir = null;
        int rows = 2000;
        int batch = 500;
        long seed = 7;
        String drift = "none";
        String labels = "none";
        token = System.getenv("DROVER_TOKEN");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> url = value(args, ++i);
                case "--model" -> model = value(args, ++i);
                case "--model-version" -> version = Integer.parseInt(value(args, ++i));
                case "--run-dir" -> runDir = Path.of(value(args, ++i));
                case "--rows" -> rows = Integer.parseInt(value(args, ++i));
                case "--batch" -> batch = Integer.parseInt(value(args, ++i));
                case "--seed" -> seed = Long.parseLong(value(args, ++i));
                case "--drift" -> drift = value(args, ++i);
                case "--labels" -> labels = value(args, ++i);
                case "--token-file" -> token = Files.readString(Path.of(value(args, ++i))).trim();
                default -> usage("unknown argument " + args[i]);
            }
        }
        if (runDir == null || rows < 1 || batch < 1 || !List.of("none", "two-features").contains(drift)
                || !List.of("none", "true", "price-sensitive", "degraded").contains(labels)) {
            usage("need --run-dir, --rows >= 1, --batch >= 1, --drift none|two-features, "
                    + "--labels none|true|price-sensitive|degraded");
        }
        Map<String, Object> scaler = readJson(runDir.resolve("scaler.json"));
        Map<String, Object> trained = readJson(runDir.resolve("model.json"));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Double>> numeric = (Map<String, Map<String, Double>>) scaler.get("numeric");
        @SuppressWarnings("unchecked")
        List<String> features = (List<String>) trained.get("features");
        double[] w = ((List<?>) trained.get("weights")).stream().mapToDouble(v -> (Double) v).toArray();
        double b = (Double) trained.get("bias");

        Random rnd = new Random(seed);
        HttpClient http = HttpClient.newHttpClient();
        List<String> predictions = new ArrayList<>();
        List<String> truths = new ArrayList<>();
        List<String> allTruths = new ArrayList<>();
        int sent = 0;
        for (int i = 0; i < rows; i++) {
            String contract = pick(rnd, 0.55, 0.25);
            int tenure = switch (contract) {
                case "month-to-month" -> (int) Math.min(72, -16 * Math.log(1 - rnd.nextDouble()));
                case "one-year" -> 3 + rnd.nextInt(70);
                default -> (int) Math.min(72, 12 + Math.abs(rnd.nextGaussian()) * 30);
            };
            boolean internet = rnd.nextDouble() < 0.78;
            double charges = internet ? 50 + rnd.nextGaussian() * 18 : 22 + rnd.nextGaussian() * 4;
            if (drift.equals("two-features")) {
                tenure = Math.max(0, tenure / 4);   // a wave of new customers
                charges += 40;                      // after a price rise
            }
            charges = Math.max(18.25, Math.min(158.75, charges));
            int calls = poisson(rnd, internet ? 1.6 : 0.9);
            double truth = -0.9 + ("month-to-month".equals(contract) ? 1.1 : "two-year".equals(contract) ? -1.2 : 0)
                    - 0.55 * Math.log1p(tenure) + 0.022 * (charges - 50) + 0.42 * calls + (internet ? 0.35 : 0)
                    + rnd.nextGaussian() * 0.9;
            if (labels.equals("price-sensitive")) {
                truth += 0.022 * (charges - 50); // the charges' effect on churn doubles
            }
            if (labels.equals("degraded")) {
                // the world changed: loyal long-tenure customers leave, heavy support users stay
                truth = -0.9 + 0.55 * Math.log1p(tenure) - 0.42 * calls + rnd.nextGaussian() * 0.9;
            }
            int label = rnd.nextDouble() < 1 / (1 + Math.exp(-truth)) ? 1 : 0;

            Map<String, Double> x = new LinkedHashMap<>();
            x.put("tenure_months", z(tenure, numeric.get("tenure_months")));
            x.put("monthly_charges", z(charges, numeric.get("monthly_charges")));
            x.put("support_calls", z(calls, numeric.get("support_calls")));
            x.put("has_internet", internet ? 1.0 : 0.0);
            for (String c : CONTRACTS) {
                x.put("contract_" + c.replace('-', '_'), c.equals(contract) ? 1.0 : 0.0);
            }
            double score = b;
            for (int j = 0; j < features.size(); j++) {
                score += w[j] * x.get(features.get(j));
            }
            double p = 1 / (1 + Math.exp(-score));
            String requestId = String.format(Locale.ROOT, "%s-%d-%06d", model, seed, i);
            String now = Instant.now().toString();
            StringBuilder f = new StringBuilder();
            x.forEach((k, v) -> f.append(f.length() == 0 ? "" : ", ").append('"').append(k).append("\": ")
                    .append(String.format(Locale.ROOT, "%.6f", v)));
            predictions.add(String.format(Locale.ROOT, "{\"modelVersion\": %d, \"timestamp\": \"%s\", "
                    + "\"requestId\": \"%s\", \"features\": {%s}, \"prediction\": %.6f}", version, now, requestId, f, p));
            truths.add(String.format(Locale.ROOT, "{\"requestId\": \"%s\", \"timestamp\": \"%s\", \"label\": %d}",
                    requestId, now, label));
            if (predictions.size() == batch || i == rows - 1) {
                post(http, url + "/api/v1/monitors/" + model + "/predictions", "predictions", predictions);
                allTruths.addAll(truths);
                sent += predictions.size();
                predictions.clear();
                truths.clear();
            }
        }
        if (!labels.equals("none")) {
            // ground truth arrives later than the predictions it is about, as it does in production
            Thread.sleep(2000);
            for (int from = 0; from < allTruths.size(); from += batch) {
                post(http, url + "/api/v1/monitors/" + model + "/labels", "labels",
                        allTruths.subList(from, Math.min(allTruths.size(), from + batch)));
            }
        }
        System.out.printf(Locale.ROOT, "serve: published %d predictions of %s v%d (drift %s, labels %s)%n", sent,
                model, version, drift, labels);
    }

    static double z(double value, Map<String, Double> scale) {
        return (value - scale.get("mean")) / scale.get("std");
    }

    /** The API token sent with each batch, or null. */
    static String token;

    static void post(HttpClient http, String url, String field, List<String> items)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(request
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"" + field + "\": [" + String.join(", ", items) + "]}"))
                .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            System.err.println("serve: " + url + " answered " + r.statusCode() + ": " + r.body());
            System.exit(1);
        }
    }

    static String pick(Random rnd, double p0, double p1) {
        double u = rnd.nextDouble();
        return u < p0 ? CONTRACTS[0] : u < p0 + p1 ? CONTRACTS[1] : CONTRACTS[2];
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

    static String value(String[] args, int i) {
        if (i >= args.length) {
            usage(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    static void usage(String message) {
        System.err.println("serve: " + message);
        System.err.println("usage: java examples/ml/Serve.java --run-dir DIR [--url U] [--token-file F] [--model M] [--model-version V]"
                + " [--rows N] [--batch B] [--seed S] [--drift none|two-features] [--labels none|true|price-sensitive|degraded]");
        System.exit(64);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> readJson(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            usage("no file " + file + "; point --run-dir at a finished churn-training run's directory");
        }
        return (Map<String, Object>) new Json(Files.readString(file)).value();
    }

    /** Just enough JSON to read model.json and scaler.json (as Evaluate's reader; single-file programs can't share). */
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
                StringBuilder sb = new StringBuilder();
                for (i++; s.charAt(i) != '"'; i++) {
                    sb.append(s.charAt(i) == '\\' ? s.charAt(++i) : s.charAt(i));
                }
                i++;
                return sb.toString();
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
}

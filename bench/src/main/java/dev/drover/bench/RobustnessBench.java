package dev.drover.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drover.platform.kafka.KafkaClientConfig;
import dev.drover.platform.kafka.Topics;
import dev.drover.registry.core.ModelEvent;
import dev.drover.registry.wire.EventEnvelope;
import dev.drover.registry.wire.RegistryCodec;
import dev.drover.registry.wire.RegistryKeys;
import dev.drover.standalone.DroverClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import dev.drover.standalone.DroverStandalone;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.UUID;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The robustness suite (see bench/README.md): {@code poison_recovery_ms} (see {@link #poisonRecovery}), then the API
 * fuzz run of issue #11 — the same {@code fuzz/fuzz_run.py} as
 * system-tests' ApiFuzzTest, with the same seed, excluded operations and guards — against a fresh standalone Drover,
 * reported as figures: {@code fuzz_requests} (requests sent), {@code fuzz_5xx} (answers of 500 or more) and
 * {@code fuzz_p99_ms} (99th percentile of the time to an answer, a 5 s timeout counting as 5000). Hangs and dropped
 * connections are on stderr and in bench/target/robustness/summary.md. Needs Python 3.11+: .ci/python-env is run
 * first (fast when the venv is up to date).
 */
final class RobustnessBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** As in ApiFuzzTest: tasks of pipelines the fuzzer registers are never run. */
    private static final String QUEUE = "fuzz-guarded-q7x2";
    private static final String API_KEY = "fuzz-api-key";
    private static final String EXCLUDED = "^(mlflowRenameRegisteredModel|mlflowDeleteRegisteredModel"
            + "|mlflowDeleteModelVersion|rebuild[A-Za-z]+|refresh|revokeToken|revokeRole|disableAccount"
            + "|setAccountPassword)(_1)?$";
    private static final int MAX_EXAMPLES = Integer.getInteger("bench.fuzz-max-examples", 30);
    private static final int POISON_WARMUP = 5;
    private static final int POISON_ROUNDS = 21;

    private RobustnessBench() {
    }

    static void run() throws Exception {
        long t0 = System.nanoTime();
        Path repo = Path.of("").toAbsolutePath();
        Path out = Files.createDirectories(repo.resolve("bench/target/robustness"));
        pythonEnv(repo);
        Path dir = Files.createTempDirectory("drover-bench-robustness-");
        Log.err("starting Drover standalone in " + dir);
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("drover.executor.queues", List.of(QUEUE));
        props.put("drover.scheduler.events.api-keys", List.of(API_KEY));
        DroverStandalone drover = DroverStandalone.start(new DroverStandalone.Settings(dir, 0, 0, -1,
                Files.createDirectories(dir.resolve("work")), props));
        // interrupted (Ctrl-C): stop Drover, PostgreSQL (a separate process) above all; close() is idempotent
        Thread hook = new Thread(drover::close, "bench-robustness-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Log.err(String.format("Drover up in %.1f s: %s", (System.nanoTime() - t0) / 1e9, drover.baseUrl()));
            Bench.figure("poison_recovery_ms", poisonRecovery(drover));
            Map<String, String> seeds = seed(drover.client());
            JsonNode summary = fuzz(repo, out, drover.baseUrl(), seeds, drover.adminToken());
            Bench.figure("fuzz_requests", summary.path("requests").asLong());
            Bench.figure("fuzz_5xx", summary.path("fuzz_5xx").asLong());
            Bench.figure("fuzz_p99_ms", summary.path("p99_ms").asLong());
            Log.err("hangs " + summary.path("hangs").asLong() + ", dropped connections "
                    + summary.path("dropped").asLong() + ", distinct failures " + summary.path("failures").size()
                    + ": " + out.resolve("summary.md"));
        } finally {
            drover.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
            Log.err(String.format("robustness suite took %.0f s", (System.nanoTime() - t0) / 1e9));
        }
    }

    /**
     * How long one poison record holds up the registry's read model: a well-formed event the database refuses (a
     * NUL in a tag key) is appended to {@code drover.registry.events}, and at once a valid write to the same model (so
     * the same partition, after it); the figure is the median, over {@value #POISON_ROUNDS} rounds after
     * {@value #POISON_WARMUP} of warm-up, of the time from the poison's append to the write's answer, which comes
     * once the read model holds the write.
     */
    private static double poisonRecovery(DroverStandalone drover) throws Exception {
        DroverClient client = drover.client();
        RegistryCodec codec = new RegistryCodec();
        List<Long> samples = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaClientConfig.connect(Map.of(
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class),
                drover.kafkaBootstrap()))) {
            for (int i = 0; i < POISON_WARMUP + POISON_ROUNDS; i++) {
                String model = "poison-" + i;
                if (client.post("/api/v1/models", Map.of("name", model)).status() != 201) {
                    throw new IllegalStateException("could not create " + model);
                }
                Instant at = Instant.now();
                byte[] poison = codec.encodeEvent(new EventEnvelope(UUID.randomUUID().toString(), at,
                        RegistryKeys.model(model), "bench-poison", "bench-poison", 0, 1,
                        new ModelEvent.ModelTagSet(model, "k\u0000", "v", "bench", at)));
                long t0 = System.nanoTime();
                producer.send(new ProducerRecord<>(Topics.REGISTRY_EVENTS, RegistryKeys.model(model), poison)).get();
                DroverClient.Response tagged = client.put("/api/v1/models/" + model + "/tags/k", Map.of("value", "v"));
                long ms = (System.nanoTime() - t0) / 1_000_000;
                if (tagged.status() != 200) {
                    throw new IllegalStateException("the write after the poison answered " + tagged.status() + ": "
                            + tagged.body());
                }
                if (i >= POISON_WARMUP) {
                    samples.add(ms);
                }
            }
        }
        Collections.sort(samples);
        Log.err("poison -> next valid write visible, ms: " + samples);
        return samples.get(samples.size() / 2);
    }

    private static void pythonEnv(Path repo) throws Exception {
        // stdout is for figures only: the child's output goes to stderr
        Process p = new ProcessBuilder("bash", ".ci/python-env").directory(repo.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("the robustness suite needs .ci/python-env (Python 3.11+), which failed");
        }
    }

    /** What generated requests name a third of the time (fuzz/fuzz_hooks.py): the same as ApiFuzzTest's. */
    private static Map<String, String> seed(DroverClient client) {
        client.registerPipeline("id: fuzz-seed\ndefaults: {queue: " + QUEUE + ", retries: 0}\ntasks:\n"
                + "  - {id: work, type: noop}\n");
        String runId = client.startRun("fuzz-seed", Map.of()).body().path("runId").asText();
        client.awaitRun(runId, Duration.ofSeconds(90));
        client.post("/api/v1/models", Map.of("name", "fuzz-model"));
        client.post("/api/v1/models/fuzz-model/versions", Map.of("artifactLocation", "file:///fuzz/model"));
        client.put("/api/v1/models/fuzz-model/aliases/champion", Map.of("version", 1));
        client.put("/api/v1/monitors/fuzz-model", Map.of("window", Map.of("rows", 10)));
        client.put("/api/v1/pools/fuzz-pool", Map.of("slots", 2));
        Map<String, String> seeds = new LinkedHashMap<>();
        seeds.put("pipelineId", "fuzz-seed");
        seeds.put("pipeline", "fuzz-seed");
        seeds.put("runId", runId);
        seeds.put("taskId", "work");
        seeds.put("name", "fuzz-model");
        seeds.put("model", "fuzz-model");
        seeds.put("alias", "champion");
        seeds.put("version", "1");
        return seeds;
    }

    private static JsonNode fuzz(Path repo, Path out, String baseUrl, Map<String, String> seeds, String token)
            throws Exception {
        List<String> cmd = List.of(repo.resolve(".venv/bin/python").toString(),
                repo.resolve("fuzz/fuzz_run.py").toString(), "--base-url", baseUrl, "--out", out.toString(),
                "--seed", "20261107", "--max-examples", Integer.toString(MAX_EXAMPLES), "--workers", "4",
                "--timeout", "5", "--exclude", EXCLUDED, "--header", "Authorization: Bearer " + token,
                "--seeds", JSON.writeValueAsString(seeds));
        Log.err("fuzzing (" + out + ") ...");
        // progress on stderr (stdout is for figures); fuzz_run.py itself writes nothing else
        Process p = new ProcessBuilder(cmd).directory(repo.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT)
                .redirectOutput(out.resolve("fuzz_run.stdout.txt").toFile()).start();
        if (!p.waitFor(20, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("the fuzz run did not end within 20 minutes");
        }
        Path summary = out.resolve("summary.json");
        if (p.exitValue() != 0 || !Files.exists(summary)) {
            throw new IllegalStateException("fuzz_run.py failed with " + p.exitValue() + "; see " + out);
        }
        return JSON.readTree(Files.readString(summary, StandardCharsets.UTF_8));
    }
}

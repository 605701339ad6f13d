package dev.drover.scheduler.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Run requests with an {@code Idempotency-Key} header (used by the {@code trigger_pipeline} task, open to every
 * client): the key fixes the run id, {@code <pipelineId>.key-<first 16 hex digits of SHA-256(key)>}, so a retried
 * request asks for a run that exists and is answered with it instead of starting a second one.
 */
final class IdempotentRuns {
    /** The header. */
    static final String HEADER = "Idempotency-Key";

    private IdempotentRuns() {
    }

    /** The run id a key gives in a pipeline. */
    static String runId(String pipelineId, String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return pipelineId + ".key-" + HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}

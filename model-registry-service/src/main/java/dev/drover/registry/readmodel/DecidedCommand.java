package dev.drover.registry.readmodel;

/**
 * A command the registry has decided, and where the last event decided from it is in the log. A retried REST write
 * (same {@code Idempotency-Key}) finds it here and answers from the read model instead of sending the command again.
 *
 * @param key              the aggregate key ({@code model/<name>} or {@code feature-set/<name>})
 * @param rejected         the rejection code, if the command was rejected
 * @param rejectionMessage the rejection's sentence
 */
public record DecidedCommand(String commandId, String key, int partition, long lastOffset, String rejected,
                             String rejectionMessage) {
}

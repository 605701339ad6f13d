package dev.drover.registry.core;

/**
 * The approval behind a move of a protected alias: which request, who approved it, and what they said.
 *
 * @param requestId the id of the approved request (the id of the command that asked for the move)
 */
public record Approval(String requestId, String approvedBy, String comment) {
}

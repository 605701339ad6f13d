package dev.drover.ui.model;

import java.util.List;
import java.util.Map;

/** What the model pages show, read from the model registry's API. */
public final class ModelViews {

    private ModelViews() {
    }

    /** A row of the model list. */
    public record Row(String name, String description, int latestVersion, Map<String, Integer> aliases,
                      String updatedAt) {
    }

    /** A version with its metrics, parameters and lineage (the run, task, code and feature set that made it). */
    public record Version(int version, String stage, List<String> aliases, Map<String, Double> metrics,
                          Map<String, String> params, String runId, String taskId, String codeVersion,
                          String featureSet, Integer featureSetVersion, String artifact, String createdBy,
                          String createdAt) {
    }

    /** One move of an alias: from which version to which, how, why, judged how, approved by whom, by whom, when. */
    public record Move(Integer from, Integer to, String kind, String reason, String evaluation, String approval,
                       String by, String at) {
    }

    /** An alias, the version it names now, and every move it made (newest first). */
    public record Alias(String name, Integer version, boolean isProtected, List<Move> history) {
    }

    /** A request to move a protected alias. */
    public record Approval(String requestId, String alias, Integer from, int to, String kind, String reason,
                           String requestedBy, String requestedAt, String status, String decidedBy, String comment) {
        public boolean pending() {
            return "PENDING".equals(status);
        }
    }

    /** The model page. */
    public record Page(String name, String description, List<Version> versions, List<Alias> aliases,
                       List<Approval> approvals, String retention, boolean mayApprove) {
    }
}

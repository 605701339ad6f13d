package dev.drover.standalone;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintStream;

/** Prints a finished run as a table a person can read: tasks, attempts, durations, outputs. */
public final class RunReport {
    private RunReport() {
    }

    public static void print(JsonNode run, PrintStream out) {
        out.printf("%nRun %s of pipeline %s (revision %d): %s in %s ms%n", run.path("runId").asText(),
                run.path("pipelineId").asText(), run.path("revision").asInt(), run.path("status").asText(),
                run.path("durationMs").asText());
        out.printf("  parameters: %s%n", run.path("parameters"));
        out.printf("  %-12s %-10s %-8s %-10s %-22s %s%n", "task", "status", "attempts", "ms", "executor", "outputs");
        for (JsonNode task : run.path("tasks")) {
            JsonNode attempts = task.path("attempts");
            JsonNode last = attempts.size() > 0 ? attempts.get(attempts.size() - 1) : null;
            out.printf("  %-12s %-10s %-8d %-10s %-22s %s%n", task.path("taskId").asText(), task.path("status").asText(),
                    attempts.size(), last == null ? "-" : last.path("durationMs").asText("-"),
                    last == null ? "-" : last.path("executorId").asText("-"),
                    last == null || last.path("outputs").isNull() ? "" : last.path("outputs").toString());
            for (int i = 0; i < attempts.size() - 1; i++) {
                JsonNode a = attempts.get(i);
                out.printf("  %-12s   attempt %d %s: %s%n", "", a.path("attempt").asInt(), a.path("status").asText(),
                        a.path("message").asText(""));
            }
        }
        if (!run.path("reason").isNull()) {
            out.printf("  reason: %s%n", run.path("reason").asText());
        }
    }
}

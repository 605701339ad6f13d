package dev.drover.scheduler.loop;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.scheduler.core.PipelineRevision;
import dev.drover.scheduler.core.PipelineState;
import dev.drover.scheduler.core.RunState;
import dev.drover.scheduler.core.RunStatus;
import dev.drover.scheduler.core.SchedulerState;
import dev.drover.scheduler.core.TaskState;
import dev.drover.scheduler.core.TaskStatus;
import dev.drover.scheduler.pipeline.PipelineSpecs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes and reads snapshots of one partition's {@link SchedulerState} as JSON. A snapshot records the offset of the
 * last event it covers; recovery applies the events after it.
 */
final class SnapshotCodec {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_LONG_FOR_INTS);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private static final TypeReference<List<Object>> LIST = new TypeReference<>() {
    };
    static final int FORMAT = 1;

    /** A decoded snapshot. */
    record Snapshot(int partition, long eventsOffset, SchedulerState state) {
    }

    private SnapshotCodec() {
    }

    static byte[] encode(int partition, long eventsOffset, SchedulerState state) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("partition", partition);
        root.put("eventsOffset", eventsOffset);
        ArrayNode pipelines = root.putArray("pipelines");
        for (PipelineState p : state.pipelines()) {
            ObjectNode n = pipelines.addObject();
            n.put("id", p.pipelineId());
            n.put("runsStarted", p.runsStarted());
            ArrayNode ids = n.putArray("runIds");
            p.runIds().forEach(ids::add);
            ArrayNode revisions = n.putArray("revisions");
            for (PipelineRevision r : p.revisions()) {
                ObjectNode rn = revisions.addObject();
                rn.put("revision", r.revision());
                rn.put("specJson", PipelineSpecs.toJson(r.spec()));
                rn.put("specHash", r.specHash());
                rn.put("registeredAt", r.registeredAt().toEpochMilli());
            }
            AssetSnapshots.write(n, p.assets());
        }
        ArrayNode runs = root.putArray("runs");
        // the last finished runs of each pipeline, oldest first, so that their tasks can still be cleared or marked
        ArrayNode finishedRuns = root.putArray("finishedRuns");
        List<RunState> all = new ArrayList<>(state.activeRuns());
        all.addAll(state.finishedRuns());
        for (RunState run : all) {
            ObjectNode n = (run.status() == RunStatus.RUNNING ? runs : finishedRuns).addObject();
            n.put("pipelineId", run.pipelineId());
            n.put("runId", run.runId());
            n.put("revision", run.revision());
            n.set("parameters", JSON.valueToTree(run.parameters()));
            n.put("startedAt", run.startedAt().toEpochMilli());
            n.put("status", run.status().name());
            n.put("deadlineSettled", run.deadlineSettled());
            SchedulingSnapshots.encodeRun(n, run);
            ArrayNode tasks = n.putArray("tasks");
            for (TaskState t : run.tasks().values()) {
                ObjectNode tn = tasks.addObject();
                tn.put("taskId", t.taskId());
                tn.put("status", t.status().name());
                tn.put("attempt", t.attempt());
                putInstant(tn, "dispatchedAt", t.dispatchedAt());
                tn.put("executorId", t.executorId());
                putInstant(tn, "leaseExpiresAt", t.leaseExpiresAt());
                putInstant(tn, "timeoutAt", t.timeoutAt());
                putInstant(tn, "retryAt", t.retryAt());
                tn.set("outputs", JSON.valueToTree(t.outputs()));
                if (t.poke() != 0 || t.waitingSince() != null || t.rescheduleAt() != null) {
                    // sensors only; absent for every other task (and in snapshots written before sensors existed)
                    tn.put("poke", t.poke());
                    putInstant(tn, "waitingSince", t.waitingSince());
                    putInstant(tn, "rescheduleAt", t.rescheduleAt());
                }
                if (t.mapItems() != null) {
                    tn.set("mapItems", JSON.valueToTree(t.mapItems()));
                }
                tn.put("attemptBase", t.attemptBase());
                putInstant(tn, "firstDispatchedAt", t.firstDispatchedAt());
                tn.put("deadlineMissed", t.deadlineMissed());
                if (t.awaitingPool() != null) {
                    tn.put("awaitingPool", t.awaitingPool());
                }
            }
        }
        PoolSnapshots.encode(state, root.putArray("pools"));
        SchedulingSnapshots.encode(JSON, root, state);
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Snapshot decode(byte[] bytes) {
        return decode(bytes, SchedulerState.DEFAULT_KEEP_FINISHED_RUNS);
    }

    /** Decodes a snapshot into a state that keeps the last {@code keepFinishedRuns} finished runs of each pipeline. */
    static Snapshot decode(byte[] bytes, int keepFinishedRuns) {
        try {
            JsonNode root = JSON.readTree(bytes);
            if (root.path("format").asInt() != FORMAT) {
                throw new IllegalArgumentException("unsupported snapshot format " + root.path("format"));
            }
            SchedulerState state = new SchedulerState(keepFinishedRuns);
            for (JsonNode n : root.path("pipelines")) {
                List<PipelineRevision> revisions = new ArrayList<>();
                for (JsonNode rn : n.path("revisions")) {
                    revisions.add(PipelineRevision.of(rn.path("revision").asInt(),
                            PipelineSpecs.fromJson(rn.path("specJson").asText()), rn.path("specHash").asText(),
                            Instant.ofEpochMilli(rn.path("registeredAt").asLong())));
                }
                Set<String> runIds = new HashSet<>();
                n.path("runIds").forEach(id -> runIds.add(id.asText()));
                PipelineState pipeline = PipelineState.restore(n.path("id").asText(), revisions, runIds,
                        n.path("runsStarted").asLong());
                AssetSnapshots.read(n, pipeline.assets());
                state.restore(pipeline);
            }
            for (String array : List.of("runs", "finishedRuns")) for (JsonNode n : root.path(array)) {
                List<TaskState> tasks = new ArrayList<>();
                for (JsonNode tn : n.path("tasks")) {
                    // dispatchedAt is missing from snapshots written before start deadlines existed: an attempt
                    // dispatched then gets no start deadline (it waits for an executor as it always did)
                    String executorId = tn.path("executorId").isNull() ? null : tn.path("executorId").asText();
                    tasks.add(TaskState.restore(tn.path("taskId").asText(),
                            TaskStatus.valueOf(tn.path("status").asText()), tn.path("attempt").asInt(),
                            instant(tn, "dispatchedAt"), executorId, instant(tn, "leaseExpiresAt"),
                            instant(tn, "timeoutAt"), instant(tn, "retryAt"), JSON.convertValue(tn.path("outputs"), MAP))
                            .restoreSensor(tn.path("poke").asInt(0), instant(tn, "waitingSince"),
                                    instant(tn, "rescheduleAt"))
                            .restoreMapItems(tn.has("mapItems") ? JSON.convertValue(tn.get("mapItems"), LIST) : null)
                            // absent from snapshots written before reruns and deadlines: never cleared, no alert
                            .restoreRerun(tn.path("attemptBase").asInt(0), instant(tn, "firstDispatchedAt"),
                                    tn.path("deadlineMissed").asBoolean(false))
                            .awaitingPool(tn.hasNonNull("awaitingPool") ? tn.get("awaitingPool").asText() : null));
                }
                RunState run = RunState.restore(n.path("pipelineId").asText(), n.path("runId").asText(),
                        n.path("revision").asInt(), JSON.convertValue(n.path("parameters"), MAP),
                        Instant.ofEpochMilli(n.path("startedAt").asLong()), RunStatus.valueOf(n.path("status").asText()),
                        tasks, SchedulingSnapshots.decodeRun(n))
                        .restoreDeadlineSettled(n.path("deadlineSettled").asBoolean(false));
                if (array.equals("runs")) {
                    state.restore(run);
                } else {
                    state.restoreFinished(run);
                }
            }
            PoolSnapshots.decode(root.path("pools"), state);
            SchedulingSnapshots.decode(JSON, root, state);
            return new Snapshot(root.path("partition").asInt(), root.path("eventsOffset").asLong(), state);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void putInstant(ObjectNode n, String field, Instant value) {
        if (value == null) {
            n.putNull(field);
        } else {
            n.put(field, value.toEpochMilli());
        }
    }

    private static Instant instant(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isNull() || v.isMissingNode() ? null : Instant.ofEpochMilli(v.asLong());
    }
}

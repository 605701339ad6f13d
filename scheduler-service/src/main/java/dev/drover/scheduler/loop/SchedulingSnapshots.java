package dev.drover.scheduler.loop;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.scheduler.core.PipelineScheduling;
import dev.drover.scheduler.core.PipelineState;
import dev.drover.scheduler.core.RunState;
import dev.drover.scheduler.core.SchedulerEvent.BackfillRequested;
import dev.drover.scheduler.core.SchedulerEvent.RunQueued;
import dev.drover.scheduler.core.SchedulerState;
import dev.drover.scheduler.schedule.DataInterval;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The part of a snapshot that holds each pipeline's {@link PipelineScheduling} (schedule cursor, pause, run queue,
 * backfills) and the data intervals of active runs. Snapshots written before it existed have none of it: every
 * pipeline then starts unpaused with an empty queue, as it was.
 */
final class SchedulingSnapshots {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private SchedulingSnapshots() {
    }

    static void encode(ObjectMapper json, ObjectNode root, SchedulerState state) {
        ArrayNode out = root.putArray("scheduling");
        for (PipelineState p : state.pipelines()) {
            PipelineScheduling s = state.scheduling(p.pipelineId());
            ObjectNode n = out.addObject();
            n.put("pipelineId", p.pipelineId());
            instant(n, "scheduledSince", s.scheduledSince());
            instant(n, "cursor", s.cursor());
            n.put("paused", s.paused());
            n.put("pausedBy", s.pausedBy());
            instant(n, "pausedAt", s.pausedAt());
            n.put("pauseReason", s.pauseReason());
            n.put("backfillsRequested", s.backfillsRequested());
            ArrayNode active = n.putArray("activeRunIds");
            s.activeRunIds().forEach(active::add);
            ArrayNode queue = n.putArray("queue");
            for (RunQueued q : s.queue()) {
                ObjectNode qn = queue.addObject();
                qn.put("runId", q.runId());
                qn.put("revision", q.revision());
                qn.set("parameters", json.valueToTree(q.parameters()));
                qn.put("trigger", q.trigger());
                qn.put("requestedBy", q.requestedBy());
                interval(qn, q.interval());
                qn.put("reason", q.reason());
                instant(qn, "at", q.at());
            }
            ArrayNode backfills = n.putArray("backfills");
            for (PipelineScheduling.Backfill b : s.backfills()) {
                BackfillRequested r = b.request();
                ObjectNode bn = backfills.addObject();
                bn.put("backfillId", r.backfillId());
                instant(bn, "start", r.start());
                instant(bn, "end", r.end());
                bn.put("maxConcurrency", r.maxConcurrency());
                bn.set("parameters", json.valueToTree(r.parameters()));
                bn.put("revision", r.revision());
                instant(bn, "firstLogicalDate", r.firstLogicalDate());
                bn.put("intervals", r.intervals());
                bn.put("requestedBy", r.requestedBy());
                instant(bn, "at", r.at());
                instant(bn, "next", b.next());
                ArrayNode runs = bn.putArray("activeRunIds");
                b.activeRunIds().forEach(runs::add);
            }
        }
    }

    static void decode(ObjectMapper json, JsonNode root, SchedulerState state) {
        if (!root.has("scheduling")) {
            // a snapshot from before scheduling: its active runs still count towards maxActiveRuns
            for (PipelineState p : state.pipelines()) {
                List<String> active = state.activeRuns().stream().filter(r -> r.pipelineId().equals(p.pipelineId()))
                        .map(RunState::runId).toList();
                state.restore(p.pipelineId(), PipelineScheduling.restore(null, null, false, null, null, null,
                        List.of(), active, List.of(), 0));
            }
            return;
        }
        for (JsonNode n : root.path("scheduling")) {
            String pipelineId = n.path("pipelineId").asText();
            List<RunQueued> queue = new ArrayList<>();
            for (JsonNode q : n.path("queue")) {
                queue.add(new RunQueued(pipelineId, q.path("runId").asText(), q.path("revision").asInt(),
                        json.convertValue(q.path("parameters"), MAP), text(q, "trigger"), text(q, "requestedBy"),
                        interval(q), text(q, "reason"), instant(q, "at")));
            }
            List<PipelineScheduling.Backfill> backfills = new ArrayList<>();
            for (JsonNode b : n.path("backfills")) {
                BackfillRequested r = new BackfillRequested(pipelineId, b.path("backfillId").asText(),
                        instant(b, "start"), instant(b, "end"), b.path("maxConcurrency").asInt(),
                        json.convertValue(b.path("parameters"), MAP), b.path("revision").asInt(),
                        instant(b, "firstLogicalDate"), b.path("intervals").asInt(), text(b, "requestedBy"),
                        instant(b, "at"));
                backfills.add(PipelineScheduling.Backfill.restore(r, instant(b, "next"), strings(b, "activeRunIds")));
            }
            state.restore(pipelineId, PipelineScheduling.restore(instant(n, "scheduledSince"), instant(n, "cursor"),
                    n.path("paused").asBoolean(), text(n, "pausedBy"), instant(n, "pausedAt"),
                    text(n, "pauseReason"), queue, strings(n, "activeRunIds"), backfills,
                    n.path("backfillsRequested").asLong()));
        }
    }

    /** The data interval of an active run, in its snapshot node. */
    static void encodeRun(ObjectNode n, RunState run) {
        interval(n, run.interval());
    }

    static DataInterval decodeRun(JsonNode n) {
        return interval(n);
    }

    private static void interval(ObjectNode n, DataInterval interval) {
        if (interval != null) {
            n.put("intervalStart", interval.start().toEpochMilli());
            n.put("intervalEnd", interval.end().toEpochMilli());
        }
    }

    private static DataInterval interval(JsonNode n) {
        Instant start = instant(n, "intervalStart");
        Instant end = instant(n, "intervalEnd");
        return start == null || end == null ? null : new DataInterval(start, end);
    }

    private static List<String> strings(JsonNode n, String field) {
        List<String> out = new ArrayList<>();
        n.path(field).forEach(v -> out.add(v.asText()));
        return out;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isNull() || v.isMissingNode() ? null : v.asText();
    }

    private static void instant(ObjectNode n, String field, Instant value) {
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

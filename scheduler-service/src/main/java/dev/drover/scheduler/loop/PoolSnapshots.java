package dev.drover.scheduler.loop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.scheduler.core.PoolState;
import dev.drover.scheduler.core.SchedulerState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The pools of a partition in its snapshot ({@link SnapshotCodec}); absent from snapshots written before pools. */
final class PoolSnapshots {

    private PoolSnapshots() {
    }

    static void encode(SchedulerState state, ArrayNode pools) {
        for (PoolState p : state.pools()) {
            ObjectNode n = pools.addObject();
            n.put("name", p.name());
            n.put("slots", p.slots());
            n.put("description", p.description());
            p.holders().forEach(s -> slot(n.withArray("holders").addObject(), s));
            p.queue().forEach(s -> slot(n.withArray("queue").addObject(), s));
        }
    }

    static void decode(JsonNode pools, SchedulerState state) {
        for (JsonNode n : pools) {
            state.restore(PoolState.restore(n.path("name").asText(), n.path("slots").asInt(),
                    n.path("description").isNull() ? null : n.path("description").asText(),
                    slots(n.path("holders")), slots(n.path("queue"))));
        }
    }

    private static void slot(ObjectNode n, PoolState.Slot s) {
        n.put("pipelineId", s.pipelineId());
        n.put("runId", s.runId());
        n.put("taskId", s.taskId());
        n.put("attempt", s.attempt());
        n.put("priority", s.priority());
        n.put("since", s.since().toEpochMilli());
    }

    private static List<PoolState.Slot> slots(JsonNode array) {
        List<PoolState.Slot> out = new ArrayList<>();
        for (JsonNode n : array) {
            out.add(new PoolState.Slot(n.path("pipelineId").asText(), n.path("runId").asText(),
                    n.path("taskId").asText(), n.path("attempt").asInt(), n.path("priority").asInt(),
                    Instant.ofEpochMilli(n.path("since").asLong())));
        }
        return out;
    }
}

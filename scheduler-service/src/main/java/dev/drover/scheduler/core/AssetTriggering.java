package dev.drover.scheduler.core;

import dev.drover.platform.json.JsonValues;
import dev.drover.scheduler.core.SchedulerCommand.PublishAssetUpdate;
import dev.drover.scheduler.core.SchedulerCommand.RecordAssetUpdate;
import dev.drover.scheduler.core.SchedulerCommand.RequestRun;
import dev.drover.scheduler.core.SchedulerEvent.AssetRunTriggered;
import dev.drover.scheduler.core.SchedulerEvent.AssetUpdateRecorded;
import dev.drover.scheduler.core.SchedulerEvent.AssetUpdated;
import dev.drover.scheduler.pipeline.AssetUris;
import dev.drover.scheduler.pipeline.TaskSpec;
import dev.drover.scheduler.pipeline.Trigger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Data-aware scheduling decisions (see {@code docs/assets.md}): which asset updates a succeeded task makes, and when
 * the updates a consuming pipeline has recorded start a run of one of its {@code assets} triggers.
 *
 * <p>{@code any}: every recorded update of a listed asset starts a run. {@code all}: a run starts once each listed
 * asset has at least one update since the trigger's last run; it consumes every update recorded meanwhile. The run
 * id is a hash of the trigger and the consumed update ids, so deciding the same updates again can never start a
 * second run.
 */
public final class AssetTriggering {
    /**
     * The partition key of external asset updates: not a valid pipeline id (pipeline ids start with a letter or
     * digit), so no pipeline's state or history mixes with them.
     */
    public static final String EXTERNAL_PIPELINE = "_assets";
    /** The trigger name asset-started runs carry. */
    public static final String TRIGGER = "asset";
    /** Who asset-started runs are requested by. */
    public static final String REQUESTED_BY = "assets";
    /**
     * The run parameter that receives the updates that started the run, when the pipeline declares it (type
     * string): JSON, a list of {@code {"uri": …, "updateId": …}}.
     */
    public static final String PARAMETER = "triggering_assets";

    private AssetTriggering() {
    }

    /** A trigger's identity: {@code all:[a, b]} or {@code any:[a]} with the URIs sorted. */
    public static String key(Trigger.Assets trigger) {
        return (trigger.all() ? "all:" : "any:") + new TreeSet<>(trigger.uris());
    }

    /** The id of the update a succeeded attempt makes of an outlet: {@code <runId>/<taskId>/<attempt>/<uri>}. */
    public static String updateId(String runId, String taskId, int attempt, String uri) {
        return runId + "/" + taskId + "/" + attempt + "/" + uri;
    }

    /** The id of an external update: {@code external/<command id>} (the request's idempotency key). */
    public static String externalUpdateId(String commandId) {
        return "external/" + commandId;
    }

    /** The run id an asset trigger's run gets: the same for the same trigger and updates, whatever the delivery. */
    public static String runId(String pipelineId, String triggerKey, List<AssetRef> updates) {
        StringBuilder text = new StringBuilder(triggerKey);
        updates.forEach(u -> text.append('\n').append(u.updateId()));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return pipelineId + ".asset-" + HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The asset updates a task's success makes: one per outlet, in declaration order. */
    static List<AssetUpdated> outletsUpdated(String pipelineId, String runId, TaskSpec spec, int attempt,
                                             Instant now) {
        List<AssetUpdated> out = new ArrayList<>();
        for (String uri : spec.options().outlets()) {
            out.add(new AssetUpdated(pipelineId, runId, spec.id(), uri, updateId(runId, spec.id(), attempt, uri),
                    Map.of(), now));
        }
        return out;
    }

    /** An external update: recorded as it is, under {@link #EXTERNAL_PIPELINE}. */
    static Decision publish(PublishAssetUpdate c, Instant now) {
        if (!EXTERNAL_PIPELINE.equals(c.pipelineId())) {
            return Decision.reject(c, RejectionCode.INVALID_PARAMETERS, "external asset updates are keyed "
                    + EXTERNAL_PIPELINE + ", not " + c.pipelineId()
                    + "; publish them with POST /api/v1/assets/updates");
        }
        Optional<String> problem = AssetUris.problem(c.uri());
        if (problem.isPresent()) {
            return Decision.reject(c, RejectionCode.INVALID_PARAMETERS, "uri: " + problem.get());
        }
        return Decision.of(List.of(new AssetUpdated(c.pipelineId(), null, null, c.uri(),
                externalUpdateId(c.commandId()), c.extra() == null ? Map.of() : c.extra(), now)));
    }

    /**
     * Records an update for a consuming pipeline and starts the runs of the triggers it completes.
     *
     * @param requestRun decides a run request against the same state (the decider's own), so that an
     *                   asset-started run is started exactly like any other
     */
    static Decision record(SchedulerState state, RecordAssetUpdate c, Instant now,
                           Function<RequestRun, Decision> requestRun) {
        Optional<PipelineState> pipeline = state.pipelineState(c.pipelineId());
        if (pipeline.isEmpty()) {
            return Decision.reject(c, RejectionCode.UNKNOWN_PIPELINE, "pipeline " + c.pipelineId()
                    + " is not registered, so it consumes no assets");
        }
        AssetWatch watch = pipeline.get().assets();
        if (watch.seen(c.updateId())) {
            return Decision.reject(c, RejectionCode.UNCHANGED, "update " + c.updateId() + " of " + c.uri()
                    + " was already recorded for pipeline " + c.pipelineId() + "; nothing to do");
        }
        List<SchedulerEvent> events = new ArrayList<>();
        events.add(new AssetUpdateRecorded(c.pipelineId(), c.uri(), c.updateId(), c.producerPipeline(),
                c.producerRunId(), c.producerTaskId(), c.updatedAt(), now));
        AssetRef update = new AssetRef(c.uri(), c.updateId());
        for (Trigger.Assets trigger : assetTriggers(pipeline.get())) {
            if (!trigger.uris().contains(c.uri())) {
                continue;
            }
            String key = key(trigger);
            List<AssetRef> seen = new ArrayList<>(watch.pending(key));
            seen.add(update);
            if (trigger.all() && !seen.stream().map(AssetRef::uri).toList().containsAll(trigger.uris())) {
                continue;
            }
            List<AssetRef> consumed = trigger.all() ? seen : List.of(update);
            String runId = runId(c.pipelineId(), key, consumed);
            Map<String, Object> parameters = new LinkedHashMap<>();
            if (pipeline.get().latest().spec().parameters().containsKey(PARAMETER)) {
                parameters.put(PARAMETER, json(consumed));
            }
            Decision run = requestRun.apply(new RequestRun(c.commandId() + "/" + key, c.pipelineId(), runId,
                    parameters, TRIGGER, REQUESTED_BY));
            if (run.rejection().isPresent()) {
                // The updates stay pending: the next one tries again. The refusal is in the log for whoever reads it.
                SchedulerEvent.CommandRejected r = run.rejection().get();
                events.add(new SchedulerEvent.CommandRejected(c.pipelineId(), c.commandId(), r.code(),
                        "assets trigger " + key + " could not start run " + runId + ": " + r.message()));
                continue;
            }
            events.add(new AssetRunTriggered(c.pipelineId(), runId, key, consumed));
            events.addAll(run.events());
        }
        return Decision.of(events);
    }

    /** The updates as JSON text: {@code [{"uri": …, "updateId": …}, …]}. */
    static String json(List<AssetRef> updates) {
        List<Object> refs = new ArrayList<>();
        for (AssetRef u : updates) {
            Map<String, Object> ref = new LinkedHashMap<>();
            ref.put("uri", u.uri());
            ref.put("updateId", u.updateId());
            refs.add(ref);
        }
        Map<String, Object> wrapper = new LinkedHashMap<>();
        wrapper.put("u", refs);
        String json = JsonValues.toJson(wrapper); // JsonValues writes objects only: unwrap {"u":[…]}
        return json.substring("{\"u\":".length(), json.length() - 1);
    }

    /** The asset triggers of a pipeline's latest revision. */
    static List<Trigger.Assets> assetTriggers(PipelineState pipeline) {
        List<Trigger.Assets> out = new ArrayList<>();
        pipeline.latest().spec().triggers().forEach(t -> {
            if (t instanceof Trigger.Assets a) {
                out.add(a);
            }
        });
        return out;
    }
}

package dev.drover.scheduler.trigger;

import dev.drover.platform.avro.AvroCodec;
import dev.drover.platform.eventlog.TopicListener;
import dev.drover.platform.kafka.Topics;
import dev.drover.scheduler.core.SchedulerCommand.RequestRun;
import dev.drover.scheduler.core.SchedulerEvent.CommandRejected;
import dev.drover.scheduler.core.SchedulerEvent.RunStarted;
import dev.drover.scheduler.loop.CommandGateway;
import dev.drover.scheduler.pipeline.PipelineSpec;
import dev.drover.schemas.monitor.event.MonitorEventEnvelope;
import dev.drover.schemas.monitor.event.RetrainRequested;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Starts a run of every pipeline with a drift trigger for a model when the monitor requests a retrain of it
 * ({@code RetrainRequested} on {@code drover.monitor.events}); see "Drift triggers" in {@code docs/pipelines.md}.
 *
 * <p>Idempotent: the run id is derived from the report id, so a request delivered again asks for a run that exists
 * and is refused ({@code RUN_EXISTS}). Offsets are committed only after every run request of a record was decided;
 * when the scheduler or the read model cannot be reached the record is read again after {@link #RETRY_AFTER}. A
 * record that cannot be decoded is dead-lettered and counted; it never stops the listener.
 */
public final class DriftTriggerListener implements AutoCloseable {
    /** The listener's consumer group. */
    public static final String GROUP = "drover-scheduler-drift-triggers";
    /** The trigger name runs started here carry. */
    public static final String TRIGGER = "drift";
    /** Who runs started here are requested by. */
    public static final String REQUESTED_BY = "monitor";
    /** Run parameters filled in when the pipeline declares them. */
    public static final String REPORT_ID_PARAMETER = "drift_report_id";
    /** See {@link #REPORT_ID_PARAMETER}. */
    public static final String REASON_PARAMETER = "drift_reason";
    /** Where the drifted windows' rows are kept: comma-separated locations, oldest first. */
    public static final String WINDOW_DATA_PARAMETER = "drift_window_data";
    /** Labelled production rows for training: comma-separated locations, oldest first. */
    public static final String TRAINING_DATA_PARAMETER = "drift_training_data";
    /** The newest labelled production rows, kept out of training: comma-separated locations. */
    public static final String EVALUATION_DATA_PARAMETER = "drift_evaluation_data";
    /** The champion the drifted window was compared with (an integer). */
    public static final String CHAMPION_VERSION_PARAMETER = "champion_version";
    /** The champion version's artifact location. */
    public static final String CHAMPION_ARTIFACT_PARAMETER = "champion_artifact";
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(DriftTriggerListener.class);
    private static final AvroCodec<MonitorEventEnvelope> EVENTS = new AvroCodec<>(MonitorEventEnvelope.class);
    private static final String KEY_PREFIX = "monitor/";

    private final TriggeredPipelines pipelines;
    private final CommandGateway gateway;
    private final Duration writeTimeout;
    private final TopicListener listener;
    private final AtomicLong runsStarted = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    public DriftTriggerListener(String bootstrapServers, TriggeredPipelines pipelines, CommandGateway gateway,
                                Duration writeTimeout) {
        this.pipelines = pipelines;
        this.gateway = gateway;
        this.writeTimeout = writeTimeout;
        this.listener = new TopicListener(bootstrapServers, GROUP, Topics.MONITOR_EVENTS, "scheduler-drift-triggers",
                Clock.systemUTC(), Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100), RETRY_AFTER, this::handle);
    }

    public void start() {
        listener.start();
    }

    /** Runs requested and started. */
    public long runsStarted() {
        return runsStarted.get();
    }

    /** Run requests refused because the run exists: redeliveries of a request already acted on. */
    public long duplicates() {
        return duplicates.get();
    }

    /** Run requests refused for another reason (e.g. a required parameter the trigger cannot fill). */
    public long refused() {
        return refused.get();
    }

    /** Records set aside on the dead-letter topic. */
    public long deadLettered() {
        return listener.deadLettered();
    }

    /** The run id a retrain request gets in a pipeline: the same for every delivery of the request. */
    public static String runId(String pipelineId, String reportId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(reportId.getBytes(StandardCharsets.UTF_8));
            return pipelineId + ".drift-" + HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The command id of a retrain request's run request in a pipeline. */
    public static String commandId(String reportId, String pipelineId) {
        return "drift/" + reportId + "/" + pipelineId;
    }

    /** @return false when the record must be read again (the scheduler or the read model was unreachable) */
    private boolean handle(ConsumerRecord<String, byte[]> record) {
        MonitorEventEnvelope envelope;
        try {
            envelope = EVENTS.decode(record.value());
        } catch (RuntimeException e) {
            listener.deadLetter(record, "not a monitor event: " + e.getMessage());
            return true;
        }
        if (!(envelope.getPayload() instanceof RetrainRequested request)) {
            return true;
        }
        if (record.key() == null || !record.key().startsWith(KEY_PREFIX)) {
            listener.deadLetter(record,
                    "retrain request keyed '" + record.key() + "'; monitor events are keyed monitor/<model>");
            return true;
        }
        String model = record.key().substring(KEY_PREFIX.length());
        List<PipelineSpec> triggered;
        try {
            triggered = pipelines.triggeredByDriftOf(model);
        } catch (RuntimeException e) {
            LOG.warn("cannot read the pipelines triggered by drift of {} (will retry): {}", model, e.toString());
            return false;
        }
        for (PipelineSpec spec : triggered) {
            if (!requestRun(spec, request)) {
                return false;
            }
        }
        return true;
    }

    private boolean requestRun(PipelineSpec spec, RetrainRequested request) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        if (spec.parameters().containsKey(REPORT_ID_PARAMETER)) {
            parameters.put(REPORT_ID_PARAMETER, request.getReportId());
        }
        if (spec.parameters().containsKey(REASON_PARAMETER)) {
            parameters.put(REASON_PARAMETER, request.getReason());
        }
        putIfDeclared(spec, parameters, WINDOW_DATA_PARAMETER, String.join(",", request.getWindowData()));
        putIfDeclared(spec, parameters, TRAINING_DATA_PARAMETER, String.join(",", request.getTrainingData()));
        putIfDeclared(spec, parameters, EVALUATION_DATA_PARAMETER, String.join(",", request.getEvaluationData()));
        putIfDeclared(spec, parameters, CHAMPION_VERSION_PARAMETER, (long) request.getChampionVersion());
        if (request.getChampionArtifact() != null) {
            putIfDeclared(spec, parameters, CHAMPION_ARTIFACT_PARAMETER, request.getChampionArtifact());
        }
        String reportId = request.getReportId();
        RequestRun command = new RequestRun(commandId(reportId, spec.id()), spec.id(), runId(spec.id(), reportId),
                parameters, TRIGGER, REQUESTED_BY);
        CommandGateway.Outcome outcome;
        try {
            outcome = gateway.send(command, reportId, REQUESTED_BY).get(writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            LOG.warn("run request {} was not decided in time (will retry): {}", command.commandId(), e.toString());
            return false;
        }
        Object event = outcome.event().event();
        if (event instanceof RunStarted started) {
            runsStarted.incrementAndGet();
            LOG.info("drift report {} started run {}", reportId, started.runId());
        } else if (event instanceof CommandRejected rejected
                && rejected.code() == dev.drover.scheduler.core.RejectionCode.RUN_EXISTS) {
            duplicates.incrementAndGet();
        } else if (event instanceof CommandRejected rejected) {
            refused.incrementAndGet();
            LOG.warn("drift report {} could not start pipeline {}: {} {}", reportId, spec.id(), rejected.code(),
                    rejected.message());
        }
        return true;
    }

    /** A parameter the trigger can fill, filled only when the pipeline declares it (else the run is refused). */
    private static void putIfDeclared(PipelineSpec spec, Map<String, Object> parameters, String name, Object value) {
        if (spec.parameters().containsKey(name)) {
            parameters.put(name, value);
        }
    }

    @Override
    public void close() {
        listener.close();
    }
}

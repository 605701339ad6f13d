package dev.drover.monitor.runs;

import dev.drover.monitor.core.MonitorCommand;
import dev.drover.monitor.core.MonitorCommand.RecordRetrainRun;
import dev.drover.monitor.core.MonitorCommand.RecordRunFailed;
import dev.drover.monitor.core.MonitorEvent.MonitorCommandRejected;
import dev.drover.monitor.loop.MonitorGateway;
import dev.drover.monitor.wire.CommandEnvelope;
import dev.drover.monitor.wire.EventEnvelope;
import dev.drover.platform.avro.AvroCodec;
import dev.drover.platform.eventlog.TopicListener;
import dev.drover.platform.eventlog.CommandLog;
import dev.drover.platform.json.JsonValues;
import dev.drover.platform.kafka.Topics;
import dev.drover.schemas.run.event.RunEventEnvelope;
import dev.drover.schemas.run.event.RunFinished;
import dev.drover.schemas.run.event.RunStarted;
import dev.drover.schemas.run.event.RunStatus;
import dev.drover.schemas.run.event.TaskSucceeded;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Links retraining runs to the drift reports that started them, and reports their failures: watches
 * {@code drover.run.events}; a {@code RunStarted} with trigger {@code drift} becomes {@code RecordRetrainRun}, and a
 * {@code RunFinished} FAILED of such a run {@code RecordRunFailed} (a {@code RUN_FAILED} alert), and a task of such a
 * run whose outputs say a {@code promote_model} declined the challenger {@code RecordRetrainDeclined} (a
 * {@code RETRAIN_DECLINED} alert, naming when drift may ask for a retrain again).
 *
 * <p>The report id is the run's {@code drift_report_id} parameter when the pipeline declares it, else it is read
 * from the run's causation id ({@code drift/<reportId>/<pipelineId>}, the scheduler's drift-trigger command id); the
 * model is the report id's part before the {@code /}. Command ids are {@code run-link/<event id>} and
 * {@code run-failed/<event id>} and {@code run-declined/<event id>}, so a redelivered run event is dropped by the
 * monitor's loop.
 *
 * <p>The drift runs in flight are remembered in memory, to know which failures matter: a drift run that started
 * before this watcher's last restart and fails after it is not reported (the monitor's run history still links it).
 */
public final class RunWatcher implements AutoCloseable {
    /** The watcher's consumer group. */
    public static final String GROUP = "drover-monitor-run-watcher";
    private static final Logger LOG = LoggerFactory.getLogger(RunWatcher.class);
    private static final AvroCodec<RunEventEnvelope> RUN_EVENTS = new AvroCodec<>(RunEventEnvelope.class);
    private static final String DRIFT_PREFIX = "drift/";

    /** A drift run in flight. */
    private record DriftRun(String model, String reportId) {
    }

    private final MonitorGateway gateway;
    private final Duration writeTimeout;
    private final TopicListener listener;
    private final Map<String, DriftRun> driftRuns = new HashMap<>();
    private final AtomicLong linked = new AtomicLong();
    private final AtomicLong failuresReported = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong declines = new AtomicLong();

    public RunWatcher(String bootstrapServers, MonitorGateway gateway, Duration writeTimeout) {
        this.gateway = gateway;
        this.writeTimeout = writeTimeout;
        this.listener = new TopicListener(bootstrapServers, GROUP, Topics.RUN_EVENTS, "monitor-run-watcher",
                Clock.systemUTC(), this::handle);
    }

    public void start() {
        listener.start();
    }

    /** {@code RecordRetrainRun} commands the monitor accepted. */
    public long linked() {
        return linked.get();
    }

    /** {@code RecordRunFailed} commands the monitor accepted. */
    public long failuresReported() {
        return failuresReported.get();
    }

    /** Commands the monitor refused (logged with the reason). */
    public long refused() {
        return refused.get();
    }

    /** Records set aside on the dead-letter topic. */
    public long deadLettered() {
        return listener.deadLettered();
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        RunEventEnvelope envelope;
        try {
            envelope = RUN_EVENTS.decode(record.value());
        } catch (RuntimeException e) {
            deadLetter(record, "not a run event: " + e.getMessage());
            return;
        }
        Object payload = envelope.getPayload();
        if (payload instanceof RunStarted started && "drift".equals(started.getTrigger())) {
            String reportId = reportId(started, envelope);
            if (reportId == null || reportId.indexOf('/') <= 0) {
                LOG.warn("drift run {} names no drift report (parameter drift_report_id or causation id {}); "
                        + "not linked", started.getRunId(), envelope.getCausationId());
                return;
            }
            String model = reportId.substring(0, reportId.indexOf('/'));
            driftRuns.put(started.getRunId(), new DriftRun(model, reportId));
            if (send(new RecordRetrainRun("run-link/" + envelope.getEventId(), model, reportId,
                    envelope.getPipelineId(), started.getRunId()), started.getRunId())) {
                linked.incrementAndGet();
            }
        } else if (payload instanceof TaskSucceeded succeeded && driftRuns.containsKey(succeeded.getRunId())) {
            String declined = declinedPromotion(succeeded.getOutputsJson());
            DriftRun run = driftRuns.get(succeeded.getRunId());
            if (declined != null && send(new MonitorCommand.RecordRetrainDeclined("run-declined/"
                    + envelope.getEventId(), run.model(), run.reportId(), envelope.getPipelineId(),
                    succeeded.getRunId(), declined), succeeded.getRunId())) {
                declines.incrementAndGet();
            }
        } else if (payload instanceof RunFinished finished) {
            DriftRun run = driftRuns.remove(finished.getRunId());
            if (run != null && finished.getStatus() == RunStatus.FAILED) {
                String reason = finished.getReason() == null ? "the run failed" : finished.getReason();
                if (send(new RecordRunFailed("run-failed/" + envelope.getEventId(), run.model(),
                        envelope.getPipelineId(), finished.getRunId(), reason), finished.getRunId())) {
                    failuresReported.incrementAndGet();
                }
            }
        }
    }

    /**
     * The reason of a declined promotion when a task's outputs are those of a {@code promote_model} task that declined
     * its version ({@code outcome} DECLINED, with the registry's {@code reason}); else null.
     */
    static String declinedPromotion(String outputsJson) {
        try {
            Map<String, Object> outputs = JsonValues.fromJson(outputsJson);
            if ("DECLINED".equals(outputs.get("outcome")) && outputs.containsKey("challenger_value")
                    && outputs.containsKey("alias")) {
                return outputs.get("reason") instanceof String s ? s : "the challenger was not better";
            }
        } catch (IllegalArgumentException e) {
            // a task's outputs that are not JSON are not a promotion's
        }
        return null;
    }

    /** {@code RecordRetrainDeclined} commands the monitor accepted. */
    public long declines() {
        return declines.get();
    }

    private static String reportId(RunStarted started, RunEventEnvelope envelope) {
        try {
            Object parameter = JsonValues.fromJson(started.getParametersJson()).get("drift_report_id");
            if (parameter instanceof String s && !s.isEmpty()) {
                return s;
            }
        } catch (IllegalArgumentException e) {
            LOG.warn("run {} has unreadable parameters: {}", started.getRunId(), e.getMessage());
        }
        String causation = envelope.getCausationId();
        String suffix = "/" + envelope.getPipelineId();
        if (causation.startsWith(DRIFT_PREFIX) && causation.endsWith(suffix)
                && causation.length() > DRIFT_PREFIX.length() + suffix.length()) {
            return causation.substring(DRIFT_PREFIX.length(), causation.length() - suffix.length());
        }
        return null;
    }

    /** @return whether the monitor accepted the command */
    private boolean send(MonitorCommand command, String runId) {
        try {
            CommandLog.Outcome<EventEnvelope> outcome = gateway.send(new CommandEnvelope(command, Instant.now(), runId))
                    .get(writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if (outcome.events().size() == 1 && outcome.events().get(0).event() instanceof MonitorCommandRejected r) {
                refused.incrementAndGet();
                LOG.warn("monitor refused {} for run {}: {} {}", command.getClass().getSimpleName(), runId, r.code(),
                        r.message());
                return false;
            }
            return true;
        } catch (TimeoutException e) {
            LOG.warn("{} for run {} not answered within {} (a repeat is dropped by the monitor)",
                    command.getClass().getSimpleName(), runId, writeTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.error("{} for run {} could not be appended: {}", command.getClass().getSimpleName(), runId,
                    e.toString());
        }
        return false;
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        listener.deadLetter(record, reason);
    }

    @Override
    public void close() {
        listener.close();
    }
}

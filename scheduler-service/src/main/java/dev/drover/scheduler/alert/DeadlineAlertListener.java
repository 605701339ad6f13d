package dev.drover.scheduler.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drover.platform.eventlog.TopicListener;
import dev.drover.platform.kafka.Topics;
import dev.drover.scheduler.core.SchedulerEvent;
import dev.drover.scheduler.core.SchedulerEvent.RunDeadlineMissed;
import dev.drover.scheduler.core.SchedulerEvent.TaskDeadlineMissed;
import dev.drover.scheduler.loop.EventEnvelope;
import dev.drover.scheduler.loop.LogCodec;
import dev.drover.scheduler.pipeline.Durations;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Posts every deadline alert ({@code RunDeadlineMissed}, {@code TaskDeadlineMissed} on {@code drover.run.events}) as
 * JSON to each configured webhook URL (Airflow: SLA miss callbacks, deadline alert callbacks).
 *
 * <p>It is a reaction, not a decision: the alert is already in the log, so replaying the log never posts anything,
 * and this listener (consumer group {@value #GROUP}, from the earliest offset, offsets committed after each poll's
 * posts ended) posts <b>at least once</b>. A crash between a post and the commit posts again; the alert's id is the
 * event id, sent as {@code Idempotency-Key} and in the body, so receivers drop repeats. An alert read more than
 * {@code maxAge} after it was raised (webhooks first configured on an old log, a long outage) is logged instead of
 * posted. A record that cannot be decoded is set aside on {@code drover.deadletter}.
 */
public final class DeadlineAlertListener implements AutoCloseable {
    /** The listener's consumer group. */
    public static final String GROUP = "drover-scheduler-deadline-alerts";
    private static final Logger LOG = LoggerFactory.getLogger(DeadlineAlertListener.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> urls;
    private final WebhookPoster poster;
    private final Duration maxAge;
    private final Clock clock;
    private final LogCodec codec = new LogCodec();
    private final TopicListener listener;

    public DeadlineAlertListener(String bootstrapServers, List<String> urls, WebhookPoster poster, Duration maxAge,
                                 Clock clock) {
        this.urls = List.copyOf(urls);
        this.poster = poster;
        this.maxAge = maxAge;
        this.clock = clock;
        this.listener = new TopicListener(bootstrapServers, GROUP, Topics.RUN_EVENTS, "scheduler-deadline-alerts",
                clock, this::handle);
    }

    public void start() {
        listener.start();
    }

    /** The poster, for its counters. */
    public WebhookPoster poster() {
        return poster;
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        EventEnvelope envelope;
        try {
            envelope = codec.decodeEvent(record.value());
        } catch (RuntimeException e) {
            listener.deadLetter(record, "undecodable run event: " + e.getMessage());
            return;
        }
        Optional<Map<String, Object>> alert = payload(envelope);
        if (alert.isEmpty()) {
            return;
        }
        String body;
        try {
            body = JSON.writeValueAsString(alert.get());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an alert of strings and numbers always serializes", e);
        }
        if (envelope.timestamp().plus(maxAge).isBefore(clock.instant())) {
            LOG.info("deadline alert {} is older than {}; not posted: {}", envelope.eventId(), maxAge, body);
            return;
        }
        LOG.info("deadline alert {}: {}", envelope.eventId(), alert.get().get("message"));
        for (String url : urls) {
            poster.post(url, envelope.eventId(), body);
        }
    }

    /** The JSON body of an alert, if the event is one (documented in docs/rerun-and-deadlines.md). */
    static Optional<Map<String, Object>> payload(EventEnvelope envelope) {
        SchedulerEvent event = envelope.event();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("alertId", envelope.eventId());
        if (event instanceof RunDeadlineMissed e) {
            String deadline = Durations.format(Duration.ofMillis(e.deadlineMs()));
            out.put("kind", "run_deadline_missed");
            out.put("pipelineId", e.pipelineId());
            out.put("runId", e.runId());
            out.put("taskId", null);
            out.put("deadline", deadline);
            out.put("deadlineMs", e.deadlineMs());
            out.put("at", e.at().toString());
            out.put("message", "run " + e.runId() + " of pipeline " + e.pipelineId() + " is still running "
                    + deadline + " after it started (its deadline); it keeps running");
        } else if (event instanceof TaskDeadlineMissed e) {
            String deadline = Durations.format(Duration.ofMillis(e.deadlineMs()));
            out.put("kind", "task_deadline_missed");
            out.put("pipelineId", e.pipelineId());
            out.put("runId", e.runId());
            out.put("taskId", e.taskId());
            out.put("deadline", deadline);
            out.put("deadlineMs", e.deadlineMs());
            out.put("at", e.at().toString());
            out.put("message", "task " + e.taskId() + " of run " + e.runId() + " is still unfinished " + deadline
                    + " after it was first dispatched (its deadline); it keeps running");
        } else {
            return Optional.empty();
        }
        out.put("run", "/api/v1/runs/" + out.get("runId"));
        return Optional.of(out);
    }

    @Override
    public void close() {
        listener.close();
    }
}

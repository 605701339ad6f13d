package dev.drover.scheduler.trigger;

import dev.drover.platform.eventlog.TopicListener;
import dev.drover.platform.kafka.Topics;
import dev.drover.scheduler.core.RejectionCode;
import dev.drover.scheduler.core.SchedulerCommand.RequestRun;
import dev.drover.scheduler.core.SchedulerEvent.CommandRejected;
import dev.drover.scheduler.core.SchedulerEvent.RunStarted;
import dev.drover.scheduler.loop.CommandGateway;
import dev.drover.scheduler.pipeline.PipelineSpec;
import dev.drover.scheduler.trigger.EventTriggerMatcher.Failed;
import dev.drover.scheduler.trigger.EventTriggerMatcher.Matched;
import dev.drover.scheduler.trigger.ExternalEventStore.Outcome;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Starts runs from external CloudEvents ({@code drover.external.events}): for each event, every pipeline whose latest
 * revision has an event trigger of the event's type is evaluated ({@link EventTriggerMatcher}), a {@code RequestRun}
 * is sent for each match, and the event is recorded with what it did in {@code external_events} (see
 * {@code docs/triggers.md}).
 *
 * <p>Nothing is dropped silently: a record that is not a valid CloudEvent is dead-lettered with the reason; a filter
 * or mapping that fails, or a run the scheduler refuses, is recorded on the event with the reason (and logged).
 * Idempotent: run ids derive from the event's source and id, so a redelivery asks for runs that exist. Offsets are
 * committed only after a record was fully handled; when the scheduler or the read model cannot be reached the record
 * is read again after {@link #RETRY_AFTER}.
 */
public final class EventTriggerListener implements AutoCloseable {
    /** The listener's consumer group. */
    public static final String GROUP = "drover-scheduler-event-triggers";
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(EventTriggerListener.class);

    private final ExternalEventStore store;
    private final CommandGateway gateway;
    private final Duration writeTimeout;
    private final TopicListener listener;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong runsStarted = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    public EventTriggerListener(String bootstrapServers, ExternalEventStore store, CommandGateway gateway,
                                Duration writeTimeout) {
        this.store = store;
        this.gateway = gateway;
        this.writeTimeout = writeTimeout;
        this.listener = new TopicListener(bootstrapServers, GROUP, Topics.EXTERNAL_EVENTS, "scheduler-event-triggers",
                Clock.systemUTC(), Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100,
                        // an event's latency is the point of a trigger: don't let a fetch sit waiting for more data
                        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10), RETRY_AFTER, this::handle);
    }

    public void start() {
        listener.start();
    }

    /** Valid events handled (recorded), redeliveries included. */
    public long received() {
        return received.get();
    }

    /** Runs requested and started. */
    public long runsStarted() {
        return runsStarted.get();
    }

    /** Run requests refused because the run exists: redeliveries or re-sends of an event already acted on. */
    public long duplicates() {
        return duplicates.get();
    }

    /** Matches that started no run: a failed expression or a run the scheduler refused. */
    public long refused() {
        return refused.get();
    }

    /** Records set aside on the dead-letter topic. */
    public long deadLettered() {
        return listener.deadLettered();
    }

    /** @return false when the record must be read again (the scheduler or the read model was unreachable) */
    private boolean handle(ConsumerRecord<String, byte[]> record) {
        ExternalEvent event;
        try {
            event = CloudEvents.fromKafka(record);
        } catch (RuntimeException e) {
            listener.deadLetter(record, "not a valid CloudEvent: " + e.getMessage());
            return true;
        }
        List<PipelineSpec> pipelines;
        try {
            pipelines = store.pipelinesTriggeredBy(event.type());
        } catch (RuntimeException e) {
            LOG.warn("cannot read the pipelines triggered by events of type {} (will retry): {}", event.type(),
                    e.toString());
            return false;
        }
        // send every run request first, then wait: the scheduler decides them in one go
        List<Outcome> outcomes = new ArrayList<>();
        Map<Integer, CompletableFuture<CommandGateway.Outcome>> sent = new LinkedHashMap<>();
        Map<Integer, RequestRun> requests = new LinkedHashMap<>();
        for (PipelineSpec spec : pipelines) {
            EventTriggerMatcher.Outcome o = EventTriggerMatcher.evaluate(spec, event);
            if (o instanceof Matched m) {
                RequestRun request = EventTriggerMatcher.request(m, event);
                requests.put(outcomes.size(), request);
                sent.put(outcomes.size(), gateway.send(request, m.runId(), request.requestedBy()));
                outcomes.add(null);
            } else if (o instanceof Failed f) {
                refused.incrementAndGet();
                LOG.warn("event {} from {} did not start pipeline {}: {}", event.id(), event.source(), f.pipelineId(),
                        f.reason());
                outcomes.add(new Outcome(f.pipelineId(), Outcome.FAILED, null, f.reason()));
            } else {
                outcomes.add(new Outcome(o.pipelineId(), Outcome.NOT_MATCHED, null, null));
            }
        }
        for (Map.Entry<Integer, CompletableFuture<CommandGateway.Outcome>> e : sent.entrySet()) {
            RequestRun request = requests.get(e.getKey());
            CommandGateway.Outcome decided;
            try {
                decided = e.getValue().get(writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return false;
            } catch (java.util.concurrent.ExecutionException ex) {
                if (ex.getCause() instanceof dev.drover.platform.eventlog.CommandLog.NothingDecided n) {
                    // set aside by the scheduler: asking again would be set aside again
                    refused.incrementAndGet();
                    outcomes.set(e.getKey(), new Outcome(request.pipelineId(), Outcome.FAILED, request.runId(),
                            n.getMessage()));
                    continue;
                }
                LOG.warn("run request {} could not be sent (will retry): {}", request.commandId(), ex.toString());
                return false;
            } catch (Exception ex) {
                LOG.warn("run request {} was not decided in time (will retry): {}", request.commandId(), ex.toString());
                return false;
            }
            outcomes.set(e.getKey(), outcome(request, decided.event().event(), event));
        }
        try {
            store.record(event, outcomes);
        } catch (IllegalStateException e) {
            LOG.warn("cannot record event {} from {} (will retry): {}", event.id(), event.source(), e.toString());
            return false;
        }
        received.incrementAndGet();
        return true;
    }

    private Outcome outcome(RequestRun request, Object decided, ExternalEvent event) {
        if (!(decided instanceof CommandRejected)) {
            // RunStarted (or whatever else a scheduler that queues runs answers with): the run is accepted
            runsStarted.incrementAndGet();
            String runId = decided instanceof RunStarted started ? started.runId() : request.runId();
            LOG.info("event {} from {} started run {}", event.id(), event.source(), runId);
            return new Outcome(request.pipelineId(), Outcome.STARTED, runId, null);
        }
        if (decided instanceof CommandRejected rejected && rejected.code() == RejectionCode.RUN_EXISTS) {
            // the run id is the event's own: the run exists because this event started it before
            duplicates.incrementAndGet();
            return new Outcome(request.pipelineId(), Outcome.STARTED, request.runId(), null);
        }
        refused.incrementAndGet();
        CommandRejected rejected = (CommandRejected) decided;
        String reason = rejected.code() + ": " + rejected.message();
        LOG.warn("event {} from {} could not start pipeline {}: {}", event.id(), event.source(),
                request.pipelineId(), reason);
        return new Outcome(request.pipelineId(), Outcome.REJECTED, request.runId(), reason);
    }

    @Override
    public void close() {
        listener.close();
    }
}

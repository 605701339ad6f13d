package dev.drover.scheduler.loop;

import dev.drover.scheduler.core.SchedulerEvent;

import java.time.Instant;

/**
 * An event as it is stored on {@code drover.run.events}: every event has an id, a timestamp, the id of the command
 * that caused it and a correlation id (the run, or the pipeline for registrations), so a run's history reads as a
 * story.
 */
public record EventEnvelope(String eventId, Instant timestamp, String pipelineId, String causationId,
                            String correlationId, SchedulerEvent event) {
}

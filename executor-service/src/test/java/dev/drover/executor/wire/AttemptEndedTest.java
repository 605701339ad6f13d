package dev.drover.executor.wire;

import dev.drover.platform.avro.AvroCodec;
import dev.drover.schemas.run.event.MarkStatus;
import dev.drover.schemas.run.event.RunEventEnvelope;
import dev.drover.schemas.run.event.TaskMarked;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** A task marked by hand while an attempt of it is in flight ends that attempt on its executor. */
class AttemptEndedTest {
    private static final AvroCodec<RunEventEnvelope> EVENTS = new AvroCodec<>(RunEventEnvelope.class);

    private static byte[] marked(int attempt) {
        return EVENTS.encode(RunEventEnvelope.newBuilder().setEventId("c#0").setTimestamp(Instant.EPOCH)
                .setPipelineId("p").setCausationId("c").setCorrelationId("p.1")
                .setPayload(TaskMarked.newBuilder().setRunId("p.1").setTaskId("train").setStatus(MarkStatus.FAILED)
                        .setAttempt(attempt).setRequestedBy("alice").setAt(Instant.EPOCH).build())
                .build());
    }

    @Test
    void markingATaskWithAnAttemptInFlightEndsThatAttempt() {
        assertThat(new ExecutorWire().attemptEnded(marked(2)))
                .contains(new AttemptEnded("p.1", "train", 2, "marked failed by alice"));
    }

    @Test
    void markingATaskWithNothingInFlightEndsNothing() {
        assertThat(new ExecutorWire().attemptEnded(marked(0))).isEmpty();
    }
}

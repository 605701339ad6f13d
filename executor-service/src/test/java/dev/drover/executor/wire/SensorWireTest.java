package dev.drover.executor.wire;

import dev.drover.executor.task.TaskResult;
import dev.drover.platform.avro.AvroCodec;
import dev.drover.schemas.run.command.ReportTaskRescheduled;
import dev.drover.schemas.run.command.ReportTaskStarted;
import dev.drover.schemas.run.command.ReportTaskSucceeded;
import dev.drover.schemas.run.command.RunCommandEnvelope;
import dev.drover.schemas.task.TaskDispatch;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** An executor reads a sensor dispatch's poke number and hands it back on every report about that poke. */
class SensorWireTest {
    private final ExecutorWire wire = new ExecutorWire();
    private final AvroCodec<RunCommandEnvelope> commands = new AvroCodec<>(RunCommandEnvelope.class);
    private static final Instant T = Instant.parse("2030-01-01T00:00:00Z");

    private Dispatch sensorDispatch() {
        byte[] bytes = new AvroCodec<>(TaskDispatch.class).encode(TaskDispatch.newBuilder().setDispatchId("d#0")
                .setPipelineId("p").setRunId("p.1").setTaskId("wait").setAttempt(2).setType("wait_for_file")
                .setQueue("default").setConfigJson("{\"path\": \"/x\"}").setTimeoutMs(1000).setDispatchedAt(T)
                .setPoke(5).build());
        return wire.dispatch(bytes);
    }

    @Test
    void aPokeThatFindsNothingIsReportedRescheduledWithItsPokeNumber() {
        Dispatch d = sensorDispatch();

        Object payload = commands.decode(wire.finished("c1", d, "exec-1", new TaskResult.NotYet("no file at /x"), T))
                .getPayload();

        assertThat(d.poke()).isEqualTo(5);
        assertThat(payload).isEqualTo(new ReportTaskRescheduled("p.1", "wait", 2, "exec-1", 5, "no file at /x"));
    }

    @Test
    void startsAndSuccessesOfAPokeCarryItsNumberToo() {
        Dispatch d = sensorDispatch();

        ReportTaskStarted started = (ReportTaskStarted) commands.decode(wire.started("c1", d, "exec-1", T))
                .getPayload();
        ReportTaskSucceeded succeeded = (ReportTaskSucceeded) commands.decode(wire.finished("c2", d, "exec-1",
                new TaskResult.Succeeded(Map.of("path", "/x")), T)).getPayload();

        assertThat(started.getPoke()).isEqualTo(5);
        assertThat(succeeded.getPoke()).isEqualTo(5);
    }
}

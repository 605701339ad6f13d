package dev.drover.scheduler.loop;

import dev.drover.embedded.TestInfrastructure;
import dev.drover.platform.kafka.Topics;
import dev.drover.scheduler.core.SchedulerCommand;
import dev.drover.scheduler.core.SchedulerDecider;
import dev.drover.scheduler.core.SchedulerEvent;
import dev.drover.scheduler.core.SchedulerEvent.PipelineRegistered;
import dev.drover.scheduler.core.SchedulerEvent.RunStarted;
import dev.drover.scheduler.core.SchedulerSettings;
import dev.drover.scheduler.pipeline.ParseResult;
import dev.drover.scheduler.pipeline.PipelineSpecParser;
import dev.drover.scheduler.wire.DispatchCodec;
import dev.drover.schemas.task.TaskDispatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A scheduler on the shared test broker, with no executors: a {@link CommandGateway} that lives as long as the
 * harness, a {@link SchedulerLoop} that tests start, stop and restart, and readers of the topics the loop writes.
 * Tests play the executor by hand with the report commands built here.
 *
 * <p>Every test class shares the broker and its topics with the others in the JVM, so tests use pipeline ids made
 * unique by {@link #uniqueId} and only look at the records of their own pipelines. Test classes run one after another,
 * and a harness must be closed at the end of its class: only one scheduler loop may be in the {@code drover-scheduler}
 * group at a time, or the loops would split the partitions between them.
 */
public final class SchedulerHarness implements AutoCloseable {
    /** The executor queue every test pipeline uses (the default queue). */
    public static final String QUEUE = "default";
    /** The executor id tests report as. */
    public static final String EXECUTOR = "hand-executor";
    private static final int PARTITIONS = 6;
    private static Integer partitionCount;

    private final String bootstrap;
    private final LogCodec codec = new LogCodec();
    private final CommandGateway gateway;
    private final TopicReader<EventEnvelope> events;
    private final TopicReader<TaskDispatch> dispatches;
    private SchedulerLoop loop;

    public SchedulerHarness() {
        this.bootstrap = prepareBroker();
        this.gateway = new CommandGateway(bootstrap, codec, Clock.systemUTC());
        this.events = new TopicReader<>(Topics.RUN_EVENTS, codec::decodeEvent);
        this.dispatches = new TopicReader<>(Topics.dispatch(QUEUE), DispatchCodec.codec()::decode);
    }

    /** The shared broker, with the scheduler's topics (and the default dispatch topic) created once per JVM. */
    public static synchronized String prepareBroker() {
        String bootstrap = TestInfrastructure.kafkaBootstrap();
        if (partitionCount == null) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                Topics.ensureTopics(admin, PARTITIONS, (short) 1);
                Topics.ensureDispatchTopic(admin, QUEUE, PARTITIONS, (short) 1);
                partitionCount = admin.describeTopics(Set.of(Topics.RUN_COMMANDS)).allTopicNames().get()
                        .get(Topics.RUN_COMMANDS).partitions().size();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return bootstrap;
    }

    /** A pipeline id (or any other name) no other test uses: {@code prefix-xxxxxxxx}. */
    public static String uniqueId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A fresh command id. */
    public static String commandId() {
        return UUID.randomUUID().toString();
    }

    // ---- the loop

    /**
     * Starts a scheduler loop and waits until it owns every partition (it is the only member of the group), so that
     * what a test does next is decided at once.
     */
    public SchedulerLoop startLoop(String instanceId, Duration lease, long snapshotEveryEvents) {
        if (loop != null) {
            throw new IllegalStateException("a loop is running; stop it first");
        }
        loop = new SchedulerLoop(new SchedulerLoop.LoopSettings(bootstrap, instanceId, snapshotEveryEvents,
                Duration.ofSeconds(15)), new SchedulerDecider(new SchedulerSettings(lease)), codec, Clock.systemUTC());
        loop.start();
        SchedulerLoop started = loop;
        await("scheduler loop " + instanceId + " owns all " + partitionCount + " partitions")
                .atMost(TopicReader.PATIENCE).pollInterval(Duration.ofMillis(20))
                .until(() -> started.processing() && started.ownedPartitions().size() == partitionCount);
        return loop;
    }

    /** Starts a loop with a long lease and no snapshots to speak of. */
    public SchedulerLoop startLoop(String instanceId) {
        return startLoop(instanceId, Duration.ofSeconds(30), 1_000_000);
    }

    /** Stops the loop (cleanly: the step in progress commits first). */
    public void stopLoop() {
        if (loop != null) {
            loop.close();
            loop = null;
        }
    }

    public LogCodec codec() {
        return codec;
    }

    public CommandGateway gateway() {
        return gateway;
    }

    // ---- commands

    /** Appends a command; the future completes with the first event decided from it. */
    public CompletableFuture<CommandGateway.Outcome> send(SchedulerCommand command, String correlationId) {
        return gateway.send(command, correlationId, "loop-test");
    }

    /** Appends a command and waits for the first event decided from it (a {@code CommandRejected} included). */
    public EventEnvelope decide(SchedulerCommand command, String correlationId) {
        return outcome(send(command, correlationId)).event();
    }

    /** Waits for an outcome. */
    public static CommandGateway.Outcome outcome(CompletableFuture<CommandGateway.Outcome> future) {
        try {
            return future.get(TopicReader.PATIENCE.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("no outcome for the command: " + e, e);
        }
    }

    /** Registers a pipeline from YAML and returns its id. */
    public String register(String yaml) {
        ParseResult parsed = PipelineSpecParser.parse(yaml);
        assertThat(parsed.problems()).as("test pipeline is valid").isEmpty();
        String pipelineId = parsed.spec().id();
        EventEnvelope outcome = decide(new SchedulerCommand.RegisterPipeline(commandId(), pipelineId, parsed.spec(),
                parsed.hash(), "loop-test"), null);
        assertThat(outcome.event()).isInstanceOf(PipelineRegistered.class);
        return pipelineId;
    }

    /** Requests a run with default parameters and returns its id. */
    public String requestRun(String pipelineId) {
        return requestRun(pipelineId, Map.of());
    }

    /** Requests a run and returns its id. */
    public String requestRun(String pipelineId, Map<String, Object> parameters) {
        EventEnvelope outcome = decide(new SchedulerCommand.RequestRun(commandId(), pipelineId, null, parameters,
                "test", "loop-test"), null);
        assertThat(outcome.event()).as("outcome of the run request").isInstanceOf(RunStarted.class);
        return ((RunStarted) outcome.event()).runId();
    }

    public static SchedulerCommand.ReportTaskStarted started(TaskDispatch d, String executorId) {
        return new SchedulerCommand.ReportTaskStarted(commandId(), d.getPipelineId(), d.getRunId(), d.getTaskId(),
                d.getAttempt(), executorId);
    }

    public static SchedulerCommand.ReportTaskHeartbeat heartbeat(TaskDispatch d, String executorId) {
        return new SchedulerCommand.ReportTaskHeartbeat(commandId(), d.getPipelineId(), d.getRunId(), d.getTaskId(),
                d.getAttempt(), executorId);
    }

    public static SchedulerCommand.ReportTaskSucceeded succeeded(TaskDispatch d, String executorId,
                                                                 Map<String, Object> outputs) {
        return new SchedulerCommand.ReportTaskSucceeded(commandId(), d.getPipelineId(), d.getRunId(), d.getTaskId(),
                d.getAttempt(), executorId, outputs);
    }

    public static SchedulerCommand.ReportTaskFailed failed(TaskDispatch d, String executorId, String message,
                                                           Integer exitCode) {
        return new SchedulerCommand.ReportTaskFailed(commandId(), d.getPipelineId(), d.getRunId(), d.getTaskId(),
                d.getAttempt(), executorId, message, exitCode);
    }

    public static SchedulerCommand.CancelRun cancel(String pipelineId, String runId) {
        return new SchedulerCommand.CancelRun(commandId(), pipelineId, runId, "test over", "loop-test");
    }

    // ---- reading

    /** The raw reader of {@code drover.run.events}. */
    public TopicReader<EventEnvelope> events() {
        return events;
    }

    /** The events of a pipeline committed so far, in log order. */
    public List<EventEnvelope> pipelineEvents(String pipelineId) {
        events.readToEnd();
        return events.values(e -> e.pipelineId().equals(pipelineId));
    }

    /** The logged entries (with partition and offset) of a pipeline's events committed so far. */
    public List<TopicReader.Entry<EventEnvelope>> pipelineEntries(String pipelineId) {
        return events.readToEnd().stream().filter(e -> e.value() != null && e.value().pipelineId().equals(pipelineId))
                .toList();
    }

    /** Reads events until {@code condition} holds for those of the pipeline; returns all of them committed then. */
    public List<EventEnvelope> awaitPipelineEvents(String pipelineId, String what,
                                                   Predicate<List<EventEnvelope>> condition) {
        events.awaitUntil(what, all -> condition.test(all.stream().map(TopicReader.Entry::value)
                .filter(Objects::nonNull).filter(e -> e.pipelineId().equals(pipelineId)).toList()));
        return pipelineEvents(pipelineId); // and whatever else is committed by now, so extra events show
    }

    /** Reads events until one of the pipeline matches; returns its envelope. */
    public <E extends SchedulerEvent> EventEnvelope awaitEvent(String pipelineId, Class<E> type, Predicate<E> match) {
        return events.awaitFirst(type.getSimpleName() + " of " + pipelineId, e -> e.pipelineId().equals(pipelineId)
                && type.isInstance(e.event()) && match.test(type.cast(e.event())));
    }

    /** Reads the dispatch topic until the attempt's dispatch arrives. */
    public TaskDispatch awaitDispatch(String runId, String taskId, int attempt) {
        return dispatches.awaitFirst("dispatch of " + runId + "/" + taskId + "/" + attempt,
                d -> d.getRunId().equals(runId) && d.getTaskId().equals(taskId) && d.getAttempt() == attempt);
    }

    /** The dispatches of a run seen so far. */
    public List<TaskDispatch> dispatches(String runId) {
        return dispatches.values(d -> d.getRunId().equals(runId));
    }

    /** The simple class names of events, e.g. {@code TaskStarted}. */
    public static List<String> types(List<EventEnvelope> events) {
        return events.stream().map(e -> e.event().getClass().getSimpleName()).toList();
    }

    /** Counts events of a type matching a predicate. */
    public static <E extends SchedulerEvent> long count(List<EventEnvelope> events, Class<E> type,
                                                        Predicate<E> match) {
        return events.stream().map(EventEnvelope::event).filter(type::isInstance).map(type::cast).filter(match)
                .count();
    }

    @Override
    public void close() {
        stopLoop();
        gateway.close();
        events.close();
        dispatches.close();
    }
}

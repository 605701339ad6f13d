package dev.drover.executor;

import dev.drover.executor.control.ControlListener;
import dev.drover.executor.dispatch.Attempts;
import dev.drover.executor.dispatch.DispatchWorker;
import dev.drover.executor.dispatch.Heartbeats;
import dev.drover.executor.dispatch.PollPacing;
import dev.drover.executor.registrytask.RegistryTaskRunner;
import dev.drover.executor.report.AttemptReporter;
import dev.drover.executor.sensor.SensorRunner;
import dev.drover.executor.task.TaskEnvironment;
import dev.drover.executor.task.TaskRunner;
import dev.drover.executor.task.TaskRunners;
import dev.drover.executor.wire.ExecutorWire;
import dev.drover.platform.kafka.KafkaClientConfig;
import dev.drover.platform.kafka.KafkaSettings;
import dev.drover.platform.kafka.Topics;
import dev.drover.platform.security.ServiceCredentials;
import dev.drover.platform.security.secrets.SecretStore;
import dev.drover.platform.security.secrets.SecretValues;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * Starts an executor: the dispatch topics and share-group settings of its queues, one worker per queue sharing the
 * executor's slots, heartbeats, and the listener that stops attempts the scheduler has ended.
 */
@Context
@Requires(property = "drover.executor.enabled", value = "true")
public class ExecutorRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorRuntime.class);
    private final AttemptReporter reporter;
    private final Attempts attempts;
    private final List<DispatchWorker> workers = new ArrayList<>();
    private final Heartbeats heartbeats;
    private final ControlListener control;
    private final ExecutorConfig config;

    ExecutorRuntime(KafkaSettings kafka, ExecutorConfig config, ServiceCredentials credentials,
                    @Nullable SecretStore secrets) {
        this.config = config;
        String bootstrap = kafka.getBootstrapServers();
        prepareQueues(kafka, config.getQueues());
        Clock clock = Clock.systemUTC();
        ExecutorWire wire = new ExecutorWire();
        this.reporter = new AttemptReporter(bootstrap, wire, config.executorId(), clock);
        Path workDir = Path.of(config.getWorkDir()).toAbsolutePath().normalize();
        TaskRunners runners = TaskRunners.builtIn(workDir, TaskEnvironment.hiding(config.getHiddenEnv()));
        for (TaskRunner registryTask : RegistryTaskRunner.create(
                RegistryTaskRunner.registryUrl(config.getRegistryUrl()), workDir, credentials::authorization)) {
            runners = runners.with(registryTask);
        }
        for (TaskRunner sensor : SensorRunner.create(workDir, SensorRunner.schedulerUrl(config.getSchedulerUrl()),
                credentials::authorization)) {
            runners = runners.with(sensor);
        }
        runners = runners.with(new dev.drover.executor.pipelinetask.TriggerPipelineTaskRunner(
                dev.drover.executor.pipelinetask.TriggerPipelineTaskRunner.schedulerUrl(config.getSchedulerUrl()),
                credentials::authorization));
        this.attempts = new Attempts(config.getSlots(), runners, reporter,
                Path.of(config.getRunRoot()).toAbsolutePath().normalize(), clock,
                secrets != null ? secrets : SecretValues.NONE);
        this.control = new ControlListener(bootstrap, wire, attempts::end);
        control.start();
        for (String queue : config.getQueues()) {
            // one share consumer per slot and queue: each takes a record only for a slot it has reserved
            PollPacing pacing = new PollPacing();
            for (int slot = 0; slot < config.getSlots(); slot++) {
                DispatchWorker w = new DispatchWorker(bootstrap, queue, slot, attempts, reporter, wire, pacing);
                workers.add(w);
                w.start();
            }
        }
        this.heartbeats = new Heartbeats(attempts, config.getHeartbeatInterval());
        heartbeats.start();
        LOG.info("executor {} serving queues {} with {} slots; registry tasks call {}", config.executorId(),
                config.getQueues(), config.getSlots(), config.getRegistryUrl());
    }

    /** Creates each queue's dispatch topic and sets its share group to read committed dispatches from the start. */
    static void prepareQueues(KafkaSettings kafka, List<String> queues) {
        try (Admin admin = Admin.create(KafkaClientConfig.connect(kafka.getBootstrapServers()))) {
            Topics.ensureTopics(admin, kafka.getPartitions(), kafka.getReplicationFactor());
            for (String queue : queues) {
                Topics.ensureDispatchTopic(admin, queue, kafka.getPartitions(), kafka.getReplicationFactor());
                ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, Topics.executorGroup(queue));
                admin.incrementalAlterConfigs(Map.of(group, List.of(
                        set("share.auto.offset.reset", "earliest"),
                        // the scheduler writes dispatches in transactions; aborted ones must never run
                        set("share.isolation.level", "read_committed"),
                        set("share.delivery.count.limit", "10")))).all().get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not prepare executor queues: " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static AlterConfigOp set(String name, String value) {
        return new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET);
    }

    public String executorId() {
        return config.executorId();
    }

    public Attempts attempts() {
        return attempts;
    }

    @PreDestroy
    @Override
    public void close() {
        closeWorkers();
        heartbeats.close();
        control.close();
        reporter.flush();
        reporter.close();
    }

    /**
     * Closes the dispatch workers at the same time. Closing a share consumer waits for its outstanding fetch, which the
     * broker holds while there is nothing to deliver, before it leaves the group (350–500 ms measured): one worker
     * after another, that added up to about two seconds of every shutdown with four slots.
     */
    private void closeWorkers() {
        List<Thread> closing = new ArrayList<>();
        for (DispatchWorker w : workers) {
            Thread t = new Thread(w::close, "executor-close-" + closing.size());
            t.start();
            closing.add(t);
        }
        for (Thread t : closing) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}

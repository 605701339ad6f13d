package dev.drover.executor;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** Settings of one executor process ({@code drover.executor.*}); see docs/configuration.md. */
@ConfigurationProperties("drover.executor")
public class ExecutorConfig {
    private String name = "executor";
    private List<String> queues = List.of("default");
    private int slots = 4;
    private Duration heartbeatInterval = Duration.ofSeconds(3);
    private String workDir = ".";
    private String runRoot = ".drover/runs";
    private String registryUrl = "http://localhost:8082";
    private String schedulerUrl = "http://localhost:8080";
    private List<String> hiddenEnv = List.of();
    private final String instanceSuffix = UUID.randomUUID().toString().substring(0, 8);

    /** Human-readable name; the executor id is {@code <name>-<random>} so a restarted process is a new executor. */
    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String executorId() {
        return name + "-" + instanceSuffix;
    }

    /** Named queues this executor serves. */
    public List<String> getQueues() {
        return queues;
    }

    public void setQueues(List<String> queues) {
        this.queues = queues;
    }

    /** How many attempts it runs at once; it takes no more work than it has free slots for. */
    public int getSlots() {
        return slots;
    }

    public void setSlots(int slots) {
        this.slots = slots;
    }

    /** How often it proves its running attempts are alive (must be well under the scheduler's lease). */
    public Duration getHeartbeatInterval() {
        return heartbeatInterval;
    }

    public void setHeartbeatInterval(Duration heartbeatInterval) {
        this.heartbeatInterval = heartbeatInterval;
    }

    /** Base directory of shell tasks (relative {@code workingDir}s resolve against it). */
    public String getWorkDir() {
        return workDir;
    }

    public void setWorkDir(String workDir) {
        this.workDir = workDir;
    }

    /** Where per-run directories ({@code DROVER_RUN_DIR}) are created. */
    public String getRunRoot() {
        return runRoot;
    }

    public void setRunRoot(String runRoot) {
        this.runRoot = runRoot;
    }

    /**
     * Base URL of the model registry's REST API, which the registry task types ({@code register_model},
     * {@code profile_feature_set}, {@code promote_model}) call; by default the registry service's own port.
     */
    public String getRegistryUrl() {
        return registryUrl;
    }

    public void setRegistryUrl(String registryUrl) {
        this.registryUrl = registryUrl;
    }

    /**
     * Base URL of the scheduler's REST API, which the {@code trigger_pipeline} task type calls and where the
     * {@code wait_for_event} sensor looks for received events; by default the scheduler service's own port.
     */
    public String getSchedulerUrl() {
        return schedulerUrl;
    }

    public void setSchedulerUrl(String schedulerUrl) {
        this.schedulerUrl = schedulerUrl;
    }

    /**
     * Environment variables of the executor that tasks do not inherit, besides {@code DROVER_*} and
     * {@code MICRONAUT_*}: names, or prefixes ending in {@code *} (e.g. {@code AWS_*}); see docs/security.md.
     */
    public List<String> getHiddenEnv() {
        return hiddenEnv;
    }

    public void setHiddenEnv(List<String> hiddenEnv) {
        this.hiddenEnv = hiddenEnv == null ? List.of() : List.copyOf(hiddenEnv);
    }
}

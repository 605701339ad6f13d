package dev.drover.scheduler;

import dev.drover.scheduler.core.SchedulerSettings;
import io.micronaut.context.annotation.ConfigurationProperties;

import java.net.InetAddress;
import java.time.Duration;

/** Settings of the scheduler service ({@code drover.scheduler.*}); see docs/configuration.md. */
@ConfigurationProperties("drover.scheduler")
public class SchedulerConfig {
    private String instanceId = defaultInstanceId();
    private Duration leaseDuration = Duration.ofSeconds(15);
    private Duration startTimeout = SchedulerSettings.DEFAULT_START_TIMEOUT;
    private long snapshotEveryEvents = 20_000;
    private Duration transactionTimeout = Duration.ofSeconds(15);
    private Duration writeTimeout = Duration.ofSeconds(15);
    private boolean rebuildReadModels;
    private int keepFinishedRuns = dev.drover.scheduler.core.SchedulerState.DEFAULT_KEEP_FINISHED_RUNS;

    private static String defaultInstanceId() {
        try {
            return InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9_.-]", "_");
        } catch (Exception e) {
            return "0";
        }
    }

    /** Stable id of this instance: its Kafka transactional id is {@code drover-scheduler-<instanceId>}. */
    public String getInstanceId() {
        return instanceId;
    }

    public void setInstanceId(String instanceId) {
        this.instanceId = instanceId;
    }

    /** How long a started attempt stays alive without a heartbeat. */
    public Duration getLeaseDuration() {
        return leaseDuration;
    }

    public void setLeaseDuration(Duration leaseDuration) {
        this.leaseDuration = leaseDuration;
    }

    /**
     * How long a dispatched attempt may wait for an executor to start it, for tasks that set no {@code startTimeout};
     * measured from the dispatch, so it includes queueing behind busy executors and must be generous.
     */
    public Duration getStartTimeout() {
        return startTimeout;
    }

    public void setStartTimeout(Duration startTimeout) {
        this.startTimeout = startTimeout;
    }

    /** The decider's tunables; fails with the property to fix when one is out of range. */
    public SchedulerSettings decisionSettings() {
        return new SchedulerSettings(leaseDuration, startTimeout, keepFinishedRuns);
    }

    /** Snapshot a partition's state after this many events (bounds recovery time). */
    public long getSnapshotEveryEvents() {
        return snapshotEveryEvents;
    }

    public void setSnapshotEveryEvents(long snapshotEveryEvents) {
        this.snapshotEveryEvents = snapshotEveryEvents;
    }

    public Duration getTransactionTimeout() {
        return transactionTimeout;
    }

    public void setTransactionTimeout(Duration transactionTimeout) {
        this.transactionTimeout = transactionTimeout;
    }

    /** How long a REST write waits for its outcome before answering 503. */
    public Duration getWriteTimeout() {
        return writeTimeout;
    }

    public void setWriteTimeout(Duration writeTimeout) {
        this.writeTimeout = writeTimeout;
    }

    /** Empty the read models at start and project the whole log again. */
    public boolean isRebuildReadModels() {
        return rebuildReadModels;
    }

    public void setRebuildReadModels(boolean rebuildReadModels) {
        this.rebuildReadModels = rebuildReadModels;
    }

    /** How many finished runs of each pipeline are kept whole, so that their tasks can be cleared or marked. */
    public int getKeepFinishedRuns() {
        return keepFinishedRuns;
    }

    public void setKeepFinishedRuns(int keepFinishedRuns) {
        this.keepFinishedRuns = keepFinishedRuns;
    }
}

package dev.drover.monitor.core;

import dev.drover.monitor.core.MonitorEvent.AlertRaised;
import dev.drover.monitor.core.MonitorEvent.DegradationDetected;
import dev.drover.monitor.core.MonitorEvent.DriftReportRecorded;
import dev.drover.monitor.core.MonitorEvent.MonitorCommandRejected;
import dev.drover.monitor.core.MonitorEvent.MonitoringConfigured;
import dev.drover.monitor.core.MonitorEvent.PerformanceRecorded;
import dev.drover.monitor.core.MonitorEvent.RetrainAwaitingLabels;
import dev.drover.monitor.core.MonitorEvent.RetrainRequested;
import dev.drover.monitor.core.MonitorEvent.RetrainRunLinked;
import dev.drover.monitor.core.MonitorEvent.RetrainSuppressed;
import dev.drover.monitor.core.MonitorEvent.RollbackRequested;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One monitored model, the fold of its events: the policy in force, where the windows have got to, when the last
 * retrain was requested (the cooldown), which runs each retrain request started, and which versions have already
 * degraded or been rolled back from. A model nobody has configured has a state too, one that is not
 * {@link #configured()}, so that the decider can say "configure it first".
 *
 * <p>What it keeps grows with decisions, not with traffic: two window ids, one entry per retrain request (at most
 * one per cooldown), one per degraded version, and the locations of the production data kept since the last retrain
 * request (at most {@link #MAX_DATA_LOCATIONS} of each kind). {@link #apply} is the only code that changes it — live, after a
 * decision, and during recovery alike.
 */
public final class MonitoredModelState {
    final String name;
    MonitoringPolicy policy;
    String configuredBy;
    Instant configuredAt;
    String lastWindowId;
    Instant lastWindowEnd;
    String lastReportId;
    long reportCount;
    long driftedReportCount;
    Instant lastRetrainRequestedAt;
    String lastRetrainReportId;
    /** Per report that requested a retrain (oldest first), the runs it started. */
    final Map<String, List<RetrainRun>> retrainRuns = new LinkedHashMap<>();
    String lastPerformanceWindowId;
    final Set<Integer> degradedVersions = new TreeSet<>();
    final Set<Integer> rolledBackVersions = new TreeSet<>();
    /** Where the rows of the drifted windows since the last retrain request are kept, oldest first. */
    final List<String> driftedWindowData = new ArrayList<>();
    /** The labelled production rows kept since the last retrain request, oldest first. */
    final List<LabeledData> labeledData = new ArrayList<>();
    ClosedWindow lastDriftedWindow;
    /** The retrain that waits for labels, or null. */
    PendingRetrain pendingRetrain;
    /** The retraining runs whose challenger was declined (one per retrain request at most). */
    final Set<String> declinedRuns = new TreeSet<>();

    /** Labelled production rows kept at a location. */
    public record LabeledData(String location, long rows) {
    }

    /** A drifted report's retrain that waits for labels. */
    public record PendingRetrain(String reportId, String reason, ClosedWindow window) {
    }

    /** How many data locations of each kind the state keeps: the oldest go first. */
    static final int MAX_DATA_LOCATIONS = 200;

    /** The state of a model nobody has configured monitoring for. */
    public MonitoredModelState(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** Applies one event. Never fails for a valid log; never causes side effects. */
    public void apply(MonitorEvent event) {
        if (!event.modelName().equals(name)) {
            throw new IllegalStateException("event for model " + event.modelName() + " applied to " + name);
        }
        if (event instanceof MonitorCommandRejected || event instanceof RetrainSuppressed
                || event instanceof AlertRaised) {
            // logged for the caller, the history and the webhook sender; the decisions to come do not depend on them
            return;
        }
        if (event instanceof MonitoringConfigured e) {
            policy = e.policy();
            configuredBy = e.by();
            configuredAt = e.at();
            return;
        }
        if (policy == null) {
            throw new IllegalStateException("event for model " + name + " before monitoring was configured: "
                    + event);
        }
        if (event instanceof DriftReportRecorded e) {
            lastWindowId = e.window().windowId();
            lastWindowEnd = e.window().end();
            lastReportId = e.reportId();
            reportCount++;
            if (e.datasetDrifted()) {
                driftedReportCount++;
                lastDriftedWindow = e.window();
                if (e.window().dataLocation() != null) {
                    bounded(driftedWindowData, e.window().dataLocation());
                }
            }
        } else if (event instanceof MonitorEvent.RetrainDeclined e) {
            declinedRuns.add(e.runId());
        } else if (event instanceof RetrainAwaitingLabels e) {
            pendingRetrain = new PendingRetrain(e.reportId(), e.reason(), lastDriftedWindow);
        } else if (event instanceof RetrainRequested e) {
            lastRetrainRequestedAt = e.at();
            lastRetrainReportId = e.reportId();
            retrainRuns.put(e.reportId(), new ArrayList<>());
            // the next request passes what is kept after this one
            driftedWindowData.clear();
            labeledData.clear();
            pendingRetrain = null;
        } else if (event instanceof RetrainRunLinked e) {
            List<RetrainRun> runs = retrainRuns.get(e.reportId());
            if (runs == null) {
                throw new IllegalStateException("run " + e.runId() + " linked to report " + e.reportId()
                        + ", which requested no retrain");
            }
            runs.add(new RetrainRun(e.pipelineId(), e.runId()));
        } else if (event instanceof PerformanceRecorded e) {
            lastPerformanceWindowId = e.windowId();
            if (e.labeledDataLocation() != null) {
                bounded(labeledData, new LabeledData(e.labeledDataLocation(), e.labelCount()));
            }
        } else if (event instanceof DegradationDetected e) {
            degradedVersions.add(e.version());
        } else if (event instanceof RollbackRequested e) {
            rolledBackVersions.add(e.fromVersion());
        } else {
            throw new IllegalStateException("no applier for " + event.getClass().getSimpleName());
        }
    }

    private static <T> void bounded(List<T> list, T item) {
        if (list.size() == MAX_DATA_LOCATIONS) {
            list.remove(0);
        }
        list.add(item);
    }

    public String name() {
        return name;
    }

    /** Where the rows of the drifted windows since the last retrain request are kept, oldest first. */
    public List<String> driftedWindowData() {
        return List.copyOf(driftedWindowData);
    }

    /** The labelled production rows kept since the last retrain request, oldest first. */
    public List<LabeledData> labeledData() {
        return List.copyOf(labeledData);
    }

    /** How many labelled production rows are kept since the last retrain request. */
    public long labeledRows() {
        long rows = 0;
        for (LabeledData d : labeledData) {
            rows += d.rows();
        }
        return rows;
    }

    /** The retraining runs whose challenger was declined. */
    public Set<String> declinedRuns() {
        return Collections.unmodifiableSet(declinedRuns);
    }

    /** The retrain that waits for labels, if any. */
    public Optional<PendingRetrain> pendingRetrain() {
        return Optional.ofNullable(pendingRetrain);
    }

    /** Whether monitoring has been configured. */
    public boolean configured() {
        return policy != null;
    }

    /** The policy in force, defaults filled in. */
    public Optional<MonitoringPolicy> policy() {
        return Optional.ofNullable(policy);
    }

    public String configuredBy() {
        return configuredBy;
    }

    public Instant configuredAt() {
        return configuredAt;
    }

    /** The id of the latest recorded window (null: none yet). */
    public String lastWindowId() {
        return lastWindowId;
    }

    /** The end of the latest recorded window (null: none yet). */
    public Instant lastWindowEnd() {
        return lastWindowEnd;
    }

    public String lastReportId() {
        return lastReportId;
    }

    public long reportCount() {
        return reportCount;
    }

    public long driftedReportCount() {
        return driftedReportCount;
    }

    /** When the latest retrain was requested: the cooldown runs from there. */
    public Optional<Instant> lastRetrainRequestedAt() {
        return Optional.ofNullable(lastRetrainRequestedAt);
    }

    public Optional<String> lastRetrainReportId() {
        return Optional.ofNullable(lastRetrainReportId);
    }

    /** Per report that requested a retrain, oldest first, the runs it started (the trigger history). */
    public Map<String, List<RetrainRun>> retrainRuns() {
        Map<String, List<RetrainRun>> out = new LinkedHashMap<>();
        retrainRuns.forEach((report, runs) -> out.put(report, List.copyOf(runs)));
        return Collections.unmodifiableMap(out);
    }

    /** Whether the report requested a retrain. */
    public boolean requestedRetrain(String reportId) {
        return retrainRuns.containsKey(reportId);
    }

    /** The report whose retrain request started this run, if any. */
    public Optional<String> reportOfRun(String pipelineId, String runId) {
        RetrainRun run = new RetrainRun(pipelineId, runId);
        return retrainRuns.entrySet().stream().filter(e -> e.getValue().contains(run)).map(Map.Entry::getKey)
                .findFirst();
    }

    public String lastPerformanceWindowId() {
        return lastPerformanceWindowId;
    }

    /** The versions whose performance has degraded at least once. */
    public Set<Integer> degradedVersions() {
        return Collections.unmodifiableSet(degradedVersions);
    }

    /** The versions a rollback has been requested from (each at most once). */
    public Set<Integer> rolledBackVersions() {
        return Collections.unmodifiableSet(rolledBackVersions);
    }
}

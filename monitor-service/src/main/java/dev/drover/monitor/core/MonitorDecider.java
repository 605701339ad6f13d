package dev.drover.monitor.core;

import dev.drover.monitor.core.MonitorCommand.ConfigureMonitoring;
import dev.drover.monitor.core.MonitorCommand.RecordPerformance;
import dev.drover.monitor.core.MonitorCommand.RecordRetrainRun;
import dev.drover.monitor.core.MonitorCommand.RecordRunFailed;
import dev.drover.monitor.core.MonitorCommand.RecordWindow;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides what a command means for one monitored model: {@code decide(state, command, now) → events | rejection}.
 *
 * <p>Pure: it only reads {@code state} and uses no clock but {@code now}, the moment the monitor took the command —
 * the retrain cooldown runs in that time, so a replay reaches the same verdicts. The rules (see
 * {@code docs/monitor.md}):
 * <ul>
 *   <li>A window's dataset verdict is decided here, from its per-feature verdicts: drifted when the share of drifted
 *       features reaches the policy's {@code datasetDriftShare}.</li>
 *   <li>A drifted report requests a retrain (and raises a DRIFT alert) unless the last request was less than the
 *       cooldown ago; then it is suppressed, silently but on the record. A burst of drifted windows starts one
 *       run.</li>
 *   <li>Performance beyond the policy's allowed drop is a degradation. The first degradation of a version raises an
 *       alert; if the policy rolls back, the first one also requests a rollback from that version, and never again
 *       for it — no rollback storm while late windows of the old champion keep arriving.</li>
 * </ul>
 */
public final class MonitorDecider {

    /** Decides one command against the state of the model it names. */
    public Decision decide(MonitoredModelState state, MonitorCommand command, Instant now) {
        if (!state.name().equals(command.modelName())) {
            throw new IllegalArgumentException("command for model " + command.modelName() + " decided against "
                    + state.name());
        }
        if (command instanceof ConfigureMonitoring c) {
            return configure(state, c, now);
        }
        if (!state.configured()) {
            return reject(command, RejectionCode.NOT_CONFIGURED, "model '" + command.modelName() + "' is not "
                    + "monitored; configure monitoring for it first (a window and, optionally, a degradation "
                    + "policy and webhooks)");
        }
        if (command instanceof RecordWindow c) {
            return recordWindow(state, c, now);
        } else if (command instanceof RecordPerformance c) {
            return recordPerformance(state, c, now);
        } else if (command instanceof RecordRetrainRun c) {
            return recordRetrainRun(state, c, now);
        } else if (command instanceof RecordRunFailed c) {
            return recordRunFailed(state, c, now);
        } else if (command instanceof MonitorCommand.RecordRetrainDeclined c) {
            return recordRetrainDeclined(state, c, now);
        }
        throw new IllegalArgumentException("no decision for " + command.getClass().getSimpleName());
    }

    // ---- configuration

    private Decision configure(MonitoredModelState state, ConfigureMonitoring c, Instant now) {
        String name = c.modelName();
        if (name.isBlank() || name.contains("/")) {
            return reject(c, RejectionCode.INVALID_ARGUMENT, "model name '" + name + "' cannot be monitored: give "
                    + "the name of a registered model (not blank, no '/')");
        }
        List<String> problems = PolicyRules.problems(c.policy());
        if (!problems.isEmpty()) {
            return reject(c, RejectionCode.INVALID_ARGUMENT, String.join("; ", problems));
        }
        MonitoringPolicy policy = c.policy().withDefaults();
        if (state.policy().filter(policy::equals).isPresent()) {
            return reject(c, RejectionCode.UNCHANGED, "model '" + name + "' is already monitored with this policy "
                    + "(configured by " + state.configuredBy() + " at " + state.configuredAt() + ")");
        }
        return Decision.of(List.of(new MonitoringConfigured(name, policy, c.requestedBy(), now)));
    }

    // ---- drift

    private Decision recordWindow(MonitoredModelState state, RecordWindow c, Instant now) {
        List<String> problems = windowProblems(c);
        if (!problems.isEmpty()) {
            return reject(c, RejectionCode.INVALID_ARGUMENT, String.join("; ", problems));
        }
        ClosedWindow window = c.window();
        if (window.windowId().equals(state.lastWindowId())) {
            return reject(c, RejectionCode.DUPLICATE_WINDOW, "window " + window.windowId() + " is already recorded "
                    + "as report " + state.lastReportId() + "; a resent window changes nothing, give each new "
                    + "window a new id");
        }
        if (state.lastWindowEnd() != null && window.end().isBefore(state.lastWindowEnd())) {
            return reject(c, RejectionCode.STALE_WINDOW, "window " + window.windowId() + " ends at " + window.end()
                    + ", before the latest recorded window " + state.lastWindowId() + " (ending at "
                    + state.lastWindowEnd() + "); windows are recorded in the order they close, so send them in "
                    + "that order");
        }
        MonitoringPolicy policy = state.policy().orElseThrow();
        List<FeatureResult> drifted = c.results().stream().filter(FeatureResult::drifted).toList();
        double share = (double) drifted.size() / c.results().size();
        boolean datasetDrifted = share >= policy.datasetDriftShare();
        String reportId = reportId(c.modelName(), window.windowId());

        List<MonitorEvent> events = new ArrayList<>();
        events.add(new DriftReportRecorded(c.modelName(), reportId, window, c.results(), c.badRecords(), share,
                policy.datasetDriftShare(), datasetDrifted, now));
        if (!datasetDrifted || state.pendingRetrain().isPresent()) {
            return Decision.of(events); // a waiting retrain will pass this window's rows too
        }
        Instant lastRequest = state.lastRetrainRequestedAt().orElse(null);
        if (lastRequest != null && now.isBefore(lastRequest.plus(policy.retrainCooldown()))) {
            events.add(new RetrainSuppressed(c.modelName(), reportId, state.lastRetrainReportId().orElseThrow(),
                    lastRequest.plus(policy.retrainCooldown()), now));
            return Decision.of(events);
        }
        String reason = driftReason(window, c.results(), drifted, share, policy.datasetDriftShare());
        long labeled = state.labeledRows();
        if (labeled < policy.minLabeledRowsForRetrain()) {
            events.add(new RetrainAwaitingLabels(c.modelName(), reportId, reason, labeled,
                    policy.minLabeledRowsForRetrain(), now));
            events.add(new AlertRaised(c.modelName(), AlertKind.DRIFT, "model " + c.modelName() + " drifted: "
                    + reason + "; retraining waits for " + policy.minLabeledRowsForRetrain() + " labelled production "
                    + "rows (" + labeled + " kept so far, report " + reportId + ")", policy.webhooks(), now));
            return Decision.of(events);
        }
        List<String> windowData = new ArrayList<>(state.driftedWindowData());
        if (window.dataLocation() != null) {
            windowData.add(window.dataLocation());
        }
        events.add(retrainRequested(c.modelName(), reportId, reason, window, windowData, state.labeledData(), now));
        events.add(new AlertRaised(c.modelName(), AlertKind.DRIFT, "model " + c.modelName() + " drifted: " + reason
                + "; retraining requested (report " + reportId + ")", policy.webhooks(), now));
        return Decision.of(events);
    }

    /** The share of the labelled rows, newest first, kept out of training to compare champion and challenger on. */
    static final double EVALUATION_SHARE = 0.3;

    /**
     * A retrain request with the production data kept since the last one: the drifted windows' rows, and the
     * labelled rows split by time — the newest {@link #EVALUATION_SHARE} (at least one location) for evaluation, the
     * rest for training, so that champion and challenger are compared on rows neither was trained on.
     */
    private static RetrainRequested retrainRequested(String model, String reportId, String reason, ClosedWindow window,
                                                     List<String> windowData,
                                                     List<MonitoredModelState.LabeledData> labeled, Instant now) {
        long total = 0;
        for (MonitoredModelState.LabeledData d : labeled) {
            total += d.rows();
        }
        List<String> evaluation = new ArrayList<>();
        long held = 0;
        int i = labeled.size() - 1;
        for (; i >= 0 && (evaluation.isEmpty() || held < EVALUATION_SHARE * total); i--) {
            evaluation.add(0, labeled.get(i).location());
            held += labeled.get(i).rows();
        }
        List<String> training = new ArrayList<>();
        for (int j = 0; j <= i; j++) {
            training.add(labeled.get(j).location());
        }
        return new RetrainRequested(model, reportId, reason, window.championVersion(), window.featureSet(), now,
                windowData, training, evaluation, window.championArtifact());
    }

    /** The id of the drift report of a window: unique per model because window ids are. */
    public static String reportId(String modelName, String windowId) {
        return modelName + "/" + windowId;
    }

    private static List<String> windowProblems(RecordWindow c) {
        List<String> out = new ArrayList<>();
        ClosedWindow w = c.window();
        if (w == null) {
            out.add("the window is missing: give its id, start, end, row count, champion version and feature set");
        } else {
            if (blank(w.windowId())) {
                out.add("the window has no id: give each window of a model a unique id");
            } else if (w.windowId().contains("/")) {
                out.add("window id '" + w.windowId() + "' contains '/': leave it out (report ids are "
                        + "<model>/<window id>)");
            }
            if (w.start() == null || w.end() == null) {
                out.add("the window needs both its start and its end");
            } else if (w.end().isBefore(w.start())) {
                out.add("the window ends (" + w.end() + ") before it starts (" + w.start() + "): swap them");
            }
            if (w.rowCount() < 0) {
                out.add("rowCount " + w.rowCount() + " is negative: give the number of rows compared");
            }
            if (w.championVersion() < 1) {
                out.add("championVersion " + w.championVersion() + " is not a model version: give the version "
                        + "(1 or more) whose reference the window was compared with");
            }
            FeatureSetRef fs = w.featureSet();
            if (fs == null || blank(fs.name()) || fs.version() < 1) {
                out.add("the window needs the feature set it was compared with: its name and version (1 or more)");
            }
        }
        if (c.results().isEmpty()) {
            out.add("the window has no feature results: a window compares at least one feature");
        }
        Set<String> seen = new HashSet<>();
        for (FeatureResult r : c.results()) {
            if (r == null) {
                out.add("a feature result is null: leave it out");
                continue;
            }
            String f = blank(r.feature()) ? "(unnamed)" : r.feature();
            if (blank(r.feature())) {
                out.add("a feature result has no feature name: name the feature it is for");
            } else if (!seen.add(r.feature())) {
                out.add("feature '" + f + "' has two results: give one result per feature and window");
            }
            if (!DriftMethods.isKnown(r.method())) {
                out.add("feature '" + f + "' has unknown drift method '" + r.method() + "': use one of "
                        + DriftMethods.NAMES);
            }
            if (Double.isNaN(r.statistic())) {
                out.add("feature '" + f + "' has a NaN statistic: a test that could not be computed is left out of "
                        + "the window (and its rows counted as bad records)");
            }
            if (r.pValue() != null && !(r.pValue() >= 0 && r.pValue() <= 1)) {
                out.add("feature '" + f + "' has p-value " + r.pValue() + ": give a p-value in [0, 1], or null for "
                        + "distances");
            }
            if (!Double.isFinite(r.threshold())) {
                out.add("feature '" + f + "' has threshold " + r.threshold() + ": give the finite threshold the "
                        + "verdict was taken with");
            }
        }
        for (Map.Entry<String, Long> e : c.badRecords().entrySet()) {
            if (blank(e.getKey())) {
                out.add("a bad-record count has no reason: key each count by its reason, e.g. missing_feature");
            }
            if (e.getValue() == null || e.getValue() < 0) {
                out.add("bad-record count '" + e.getKey() + "' is " + e.getValue() + ": give a count of at least 0");
            }
        }
        return out;
    }

    private static String driftReason(ClosedWindow window, List<FeatureResult> all, List<FeatureResult> drifted,
                                      double share, double threshold) {
        StringBuilder out = new StringBuilder();
        out.append(drifted.size()).append(" of ").append(all.size()).append(" features drifted in window ")
                .append(window.windowId()).append(" against ").append(window.featureSet().name()).append(" v")
                .append(window.featureSet().version()).append(" (")
                .append(PerformanceComparison.percent(share)).append(", dataset threshold ")
                .append(PerformanceComparison.percent(threshold)).append("): ");
        for (int i = 0; i < drifted.size(); i++) {
            FeatureResult r = drifted.get(i);
            out.append(i == 0 ? "" : ", ").append(r.feature()).append(" (").append(r.method()).append(' ');
            if (r.pValue() != null) {
                out.append("p=").append(PerformanceComparison.number(r.pValue())).append(" < ");
            } else {
                out.append(PerformanceComparison.number(r.statistic())).append(" > ");
            }
            out.append(PerformanceComparison.number(r.threshold())).append(')');
        }
        return out.toString();
    }

    // ---- performance

    private Decision recordPerformance(MonitoredModelState state, RecordPerformance c, Instant now) {
        MonitoringPolicy policy = state.policy().orElseThrow();
        DegradationPolicy degradation = policy.degradation();
        if (degradation == null) {
            return reject(c, RejectionCode.NO_DEGRADATION_POLICY, "model '" + c.modelName() + "' has no degradation "
                    + "policy, so its performance is not monitored; configure one (metric, direction, allowed drop) "
                    + "before reporting performance");
        }
        List<String> problems = new ArrayList<>();
        if (blank(c.windowId())) {
            problems.add("the performance has no window id: give the id of the window its labels belong to");
        }
        if (c.version() < 1) {
            problems.add("version " + c.version() + " is not a model version: give the version that served the "
                    + "labelled predictions");
        }
        if (blank(c.metric())) {
            problems.add("the performance names no metric: give '" + degradation.metric() + "'");
        }
        if (!Double.isFinite(c.observed())) {
            problems.add("observed value " + c.observed() + " is not a finite number");
        }
        if (!Double.isFinite(c.baseline())) {
            problems.add("baseline " + c.baseline() + " is not a finite number: give the value the version was "
                    + "registered with");
        }
        if (c.labelCount() < 1) {
            problems.add("labelCount " + c.labelCount() + ": performance needs at least one labelled prediction");
        }
        if (!problems.isEmpty()) {
            return reject(c, RejectionCode.INVALID_ARGUMENT, String.join("; ", problems));
        }
        if (!c.metric().equals(degradation.metric())) {
            return reject(c, RejectionCode.METRIC_MISMATCH, "the degradation policy of model '" + c.modelName()
                    + "' watches '" + degradation.metric() + "', not '" + c.metric() + "'; report '"
                    + degradation.metric() + "', or change the policy");
        }
        if (c.windowId().equals(state.lastPerformanceWindowId())) {
            return reject(c, RejectionCode.DUPLICATE_WINDOW, "the performance of window " + c.windowId()
                    + " is already recorded; a resent report changes nothing");
        }
        List<MonitorEvent> events = new ArrayList<>();
        events.add(new PerformanceRecorded(c.modelName(), c.windowId(), c.version(), c.metric(), c.observed(),
                c.labelCount(), c.baseline(), now, c.labeledDataLocation(), c.labelsByWindow()));
        waitingRetrain(state, c, policy, now).ifPresent(events::addAll);
        PerformanceComparison comparison = PerformanceComparison.of(degradation, c.version(), c.observed(),
                c.baseline());
        if (!comparison.degraded()) {
            return Decision.of(events);
        }
        events.add(new DegradationDetected(c.modelName(), c.windowId(), c.version(), c.metric(),
                degradation.direction(), c.observed(), c.baseline(), comparison.drop(), comparison.relativeDrop(),
                comparison.reason(), now));
        String subject = "model " + c.modelName() + " degraded in window " + c.windowId() + " (" + c.labelCount()
                + " labels): " + comparison.reason();
        if (degradation.rollsBack() && !state.rolledBackVersions().contains(c.version())) {
            events.add(new RollbackRequested(c.modelName(), c.version(), comparison.reason(), now));
            events.add(new AlertRaised(c.modelName(), AlertKind.ROLLBACK, subject + "; rollback from version "
                    + c.version() + " requested", policy.webhooks(), now));
        } else if (!state.degradedVersions().contains(c.version())) {
            events.add(new AlertRaised(c.modelName(), AlertKind.DEGRADATION, subject, policy.webhooks(), now));
        }
        return Decision.of(events);
    }

    /** The retrain that waited for labels, requested now if this performance brings enough of them. */
    private static java.util.Optional<List<MonitorEvent>> waitingRetrain(MonitoredModelState state,
                                                                         RecordPerformance c, MonitoringPolicy policy,
                                                                         Instant now) {
        MonitoredModelState.PendingRetrain pending = state.pendingRetrain().orElse(null);
        if (pending == null || c.labeledDataLocation() == null) {
            return java.util.Optional.empty();
        }
        List<MonitoredModelState.LabeledData> labeled = new ArrayList<>(state.labeledData());
        labeled.add(new MonitoredModelState.LabeledData(c.labeledDataLocation(), c.labelCount()));
        long rows = state.labeledRows() + c.labelCount();
        if (rows < policy.minLabeledRowsForRetrain()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(List.of(
                retrainRequested(c.modelName(), pending.reportId(), pending.reason(), pending.window(),
                        state.driftedWindowData(), labeled, now),
                new AlertRaised(c.modelName(), AlertKind.DRIFT, "model " + c.modelName() + ": " + rows
                        + " labelled production rows are kept; retraining requested for report "
                        + pending.reportId() + " (" + pending.reason() + ")", policy.webhooks(), now)));
    }

    // ---- runs

    private Decision recordRetrainRun(MonitoredModelState state, RecordRetrainRun c, Instant now) {
        List<String> problems = new ArrayList<>();
        if (blank(c.reportId())) {
            problems.add("the run names no report: give the id of the drift report whose retrain request started it");
        }
        if (blank(c.pipelineId()) || blank(c.runId())) {
            problems.add("the run needs its pipeline id and run id");
        }
        if (!problems.isEmpty()) {
            return reject(c, RejectionCode.INVALID_ARGUMENT, String.join("; ", problems));
        }
        if (!state.requestedRetrain(c.reportId())) {
            return reject(c, RejectionCode.REPORT_NOT_FOUND, "report " + c.reportId() + " of model '"
                    + c.modelName() + "' requested no retrain; link the run to the report named in its run "
                    + "parameters");
        }
        if (state.retrainRuns().get(c.reportId()).contains(new RetrainRun(c.pipelineId(), c.runId()))) {
            return reject(c, RejectionCode.UNCHANGED, "run " + c.runId() + " is already linked to report "
                    + c.reportId());
        }
        return Decision.of(List.of(new RetrainRunLinked(c.modelName(), c.reportId(), c.pipelineId(), c.runId(),
                now)));
    }

    private Decision recordRunFailed(MonitoredModelState state, RecordRunFailed c, Instant now) {
        if (blank(c.pipelineId()) || blank(c.runId())) {
            return reject(c, RejectionCode.INVALID_ARGUMENT, "the failed run needs its pipeline id and run id");
        }
        String report = state.reportOfRun(c.pipelineId(), c.runId())
                .map(r -> ", started by the retrain request of report " + r).orElse("");
        String message = "run " + c.runId() + " of pipeline " + c.pipelineId() + " failed" + report
                + (blank(c.reason()) ? "" : ": " + c.reason());
        return Decision.of(List.of(new AlertRaised(c.modelName(), AlertKind.RUN_FAILED, message,
                state.policy().orElseThrow().webhooks(), now)));
    }

    private Decision recordRetrainDeclined(MonitoredModelState state, MonitorCommand.RecordRetrainDeclined c,
                                           Instant now) {
        if (blank(c.reportId()) || blank(c.pipelineId()) || blank(c.runId())) {
            return reject(c, RejectionCode.INVALID_ARGUMENT, "the declined retrain needs its report id, pipeline id "
                    + "and run id");
        }
        if (!state.requestedRetrain(c.reportId())) {
            return reject(c, RejectionCode.REPORT_NOT_FOUND, "report " + c.reportId() + " of model '"
                    + c.modelName() + "' requested no retrain");
        }
        if (state.declinedRuns().contains(c.runId())) {
            return reject(c, RejectionCode.UNCHANGED, "run " + c.runId() + " is already recorded as declined");
        }
        MonitoringPolicy policy = state.policy().orElseThrow();
        Instant next = state.lastRetrainRequestedAt().orElse(now).plus(policy.retrainCooldown());
        String reason = blank(c.reason()) ? "the challenger was not better" : c.reason();
        return Decision.of(List.of(
                new MonitorEvent.RetrainDeclined(c.modelName(), c.reportId(), c.pipelineId(), c.runId(), reason, next,
                        now),
                new AlertRaised(c.modelName(), AlertKind.RETRAIN_DECLINED, "retraining run " + c.runId() + " for "
                        + "report " + c.reportId() + " did not replace the champion of " + c.modelName() + ": "
                        + reason + "; the champion and its reference stay, and drift may request another retrain "
                        + "from " + next, policy.webhooks(), now)));
    }

    // ---- helpers

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static Decision reject(MonitorCommand c, RejectionCode code, String message) {
        return Decision.of(List.of(new MonitorCommandRejected(c.modelName(), c.commandId(), code, message)));
    }
}

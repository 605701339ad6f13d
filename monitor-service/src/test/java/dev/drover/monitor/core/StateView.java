package dev.drover.monitor.core;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Everything a {@link MonitoredModelState} holds, as a value: what tests compare to see whether state changed. */
record StateView(MonitoringPolicy policy, String configuredBy, Instant configuredAt, String lastWindowId,
                 Instant lastWindowEnd, String lastReportId, long reportCount, long driftedReportCount,
                 Instant lastRetrainRequestedAt, String lastRetrainReportId, Map<String, List<RetrainRun>> runs,
                 String lastPerformanceWindowId, Set<Integer> degradedVersions, Set<Integer> rolledBackVersions,
                 List<String> driftedWindowData, List<MonitoredModelState.LabeledData> labeledData,
                 MonitoredModelState.PendingRetrain pendingRetrain, Set<String> declinedRuns) {

    static StateView of(MonitoredModelState s) {
        return new StateView(s.policy().orElse(null), s.configuredBy(), s.configuredAt(), s.lastWindowId(),
                s.lastWindowEnd(), s.lastReportId(), s.reportCount(), s.driftedReportCount(),
                s.lastRetrainRequestedAt().orElse(null), s.lastRetrainReportId().orElse(null),
                Map.copyOf(s.retrainRuns()), s.lastPerformanceWindowId(), Set.copyOf(s.degradedVersions()),
                Set.copyOf(s.rolledBackVersions()), s.driftedWindowData(), s.labeledData(),
                s.pendingRetrain().orElse(null), Set.copyOf(s.declinedRuns()));
    }
}

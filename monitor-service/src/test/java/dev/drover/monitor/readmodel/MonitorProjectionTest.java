package dev.drover.monitor.readmodel;

import dev.drover.monitor.core.MonitorEvent;
import dev.drover.monitor.readmodel.DriftReportView.FeatureResultView;
import dev.drover.monitor.readmodel.DriftReportView.FeatureSetVersion;
import dev.drover.monitor.wire.EventEnvelope;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.drover.monitor.readmodel.MonitorStory.minutes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The projection of a history holding every kind of monitor event into a real PostgreSQL, read back through
 * {@link MonitorQueries}. Envelopes are fed to {@link MonitorProjection} directly, as if from partition 0 at offsets
 * 0, 1, 2 …; the projector's Kafka side is exercised by the API test.
 */
class MonitorProjectionTest {
    private static final String MODEL = "churn-projection";
    private static final MonitorProjection PROJECTION = new MonitorProjection();
    private static MonitorStory story;
    private static DataSource db;
    private static MonitorQueries queries;

    @BeforeAll
    static void project() throws SQLException {
        story = MonitorStory.everyEventType(MODEL);
        db = ReadModelDatabase.fresh(MonitorProjectionTest.class.getSimpleName());
        queries = new MonitorQueries(db);
        assertThat(applyAll(story.envelopes())).as("each event applied once").doesNotContain(false);
    }

    private static List<Boolean> applyAll(List<EventEnvelope> envelopes) throws SQLException {
        List<Boolean> applied = new ArrayList<>();
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            for (int offset = 0; offset < envelopes.size(); offset++) {
                applied.add(PROJECTION.apply(c, envelopes.get(offset), 0, offset));
            }
            c.commit();
        }
        return applied;
    }

    @Test
    void theStoryHoldsEveryKindOfEventSoEveryKindIsProjected() {
        Set<Class<?>> kinds = new HashSet<>(List.of(MonitorEvent.class.getPermittedSubclasses()));
        Set<Class<?>> told = new HashSet<>();
        story.envelopes().forEach(e -> told.add(e.event().getClass()));
        assertThat(told).as("event kinds in the story: add the new kind to MonitorStory.everyEventType and "
                + "project it in MonitorProjection").containsExactlyInAnyOrderElementsOf(kinds);
    }

    @Test
    void theMonitorHasItsPolicyAndCounters() {
        MonitorView m = queries.monitor(MODEL).orElseThrow();
        assertThat(m.configuredBy()).isEqualTo("alice");
        assertThat(m.configuredAt()).isEqualTo(minutes(0));
        assertThat(m.policy()).isEqualTo(MonitorJson.read("""
                {"window": {"rows": 1000}, "datasetDriftShare": 0.5, "featureOverrides": {},
                 "retrainCooldown": "PT1H", "degradation": {"metric": "auc", "direction": "GREATER",
                 "maxAbsoluteDrop": 0.05, "maxRelativeDrop": null, "rollback": true},
                 "webhooks": [{"url": "https://hooks.example.com/drover", "format": "SLACK"}],
                 "retrainMinLabeledRows": 0}"""));
        assertThat(m.reportCount()).isEqualTo(3);
        assertThat(m.driftedReportCount()).isEqualTo(3);
        assertThat(m.latestReportId()).isEqualTo(MODEL + "/w-3");
        assertThat(m.latestWindowEnd()).isEqualTo(minutes(30));
        assertThat(m.retrainRequestCount()).isEqualTo(1);
        assertThat(m.lastRetrainReportId()).isEqualTo(MODEL + "/w-1");
        assertThat(m.badRecordCount()).isEqualTo(4);
        assertThat(m.degradedVersions()).containsExactly(3);
        assertThat(m.rolledBackVersions()).containsExactly(3);
        assertThat(queries.monitor("nobody")).isEmpty();
    }

    @Test
    void aReportHasEveryFeaturesStatisticThresholdAndVerdict() {
        DriftReportView r = queries.report(MODEL, "w-1").orElseThrow();
        assertThat(r.reportId()).isEqualTo(MODEL + "/w-1");
        assertThat(r.windowStart()).isEqualTo(minutes(0));
        assertThat(r.windowEnd()).isEqualTo(minutes(10));
        assertThat(r.featureSet()).isEqualTo(new FeatureSetVersion("churn-features", 2));
        assertThat(r.featureCount()).isEqualTo(3);
        assertThat(r.driftedFeatureCount()).isEqualTo(2);
        assertThat(r.driftedShare()).isEqualTo(2.0 / 3);
        assertThat(r.datasetDrifted()).isTrue();
        List<FeatureResultView> expected = new ArrayList<>();
        MonitorStory.results().forEach(f -> expected.add(new FeatureResultView(f.feature(), f.method(),
                f.statistic(), f.pValue(), f.threshold(), f.drifted())));
        assertThat(r.features()).isEqualTo(expected);
        assertThat(r.badRecords()).isEqualTo(Map.of("missing_feature", 4L));
        assertThat(queries.report(MODEL, "w-9")).isEmpty();
    }

    @Test
    void reportsAreListedNewestFirstPageByPage() {
        Page<DriftReportView> first = queries.reports(MODEL, 2, null);
        assertThat(first.items()).extracting(DriftReportView::windowId).containsExactly("w-3", "w-2");
        assertThat(first.items().get(0).features()).isNull();
        Page<DriftReportView> second = queries.reports(MODEL, 2, first.nextPageToken());
        assertThat(second.items()).extracting(DriftReportView::windowId).containsExactly("w-1");
        assertThat(second.nextPageToken()).isNull();
        assertThatThrownBy(() -> queries.reports(MODEL, 1, "not-a-token"))
                .isInstanceOf(MonitorQueries.InvalidQueryException.class);
        assertThatThrownBy(() -> queries.reports(MODEL, 0, null))
                .isInstanceOf(MonitorQueries.InvalidQueryException.class);
    }

    @Test
    void triggersListRequestsWithTheirRunsAndSuppressionsWithTheirCooldown() {
        List<TriggerView> triggers = new ArrayList<>(queries.triggers(MODEL, 10, null).items());
        assertThat(triggers).extracting(TriggerView::outcome).containsExactly("AWAITING_LABELS", "SUPPRESSED",
                "REQUESTED");
        TriggerView awaiting = triggers.remove(0);
        assertThat(awaiting.reportId()).isEqualTo(MODEL + "/w-3");
        assertThat(awaiting.labeledRows()).isEqualTo(500);
        assertThat(awaiting.labelsNeeded()).isEqualTo(1000);
        TriggerView suppressed = triggers.get(0);
        assertThat(suppressed.lastReportId()).isEqualTo(MODEL + "/w-1");
        assertThat(suppressed.cooldownUntil()).isEqualTo(minutes(70));
        assertThat(suppressed.runs()).isEmpty();
        TriggerView requested = triggers.get(1);
        assertThat(requested.reason()).isEqualTo("age and income drifted");
        assertThat(requested.championVersion()).isEqualTo(3);
        assertThat(requested.runs()).containsExactly(new TriggerView.RunView("retrain-churn", "run-7", minutes(21)));
        assertThat(requested.trainingData()).containsExactly("/data/churn/labeled/p-0.csv");
        assertThat(requested.evaluationData()).containsExactly("/data/churn/labeled/p-1.csv");
        assertThat(requested.windowData()).containsExactly("/data/churn/windows/w-1.csv");
        assertThat(requested.declined()).isEqualTo(new TriggerView.Declined("run-7", "version 4 is not better on auc",
                minutes(70)));
    }

    @Test
    void aWindowsDataSaysWhereItsRowsAreAndHowManyLabelsScoreThem() {
        WindowDataView w3 = queries.windowData(MODEL, "w-3").orElseThrow();
        assertThat(w3.location()).isEqualTo("/data/churn/windows/w-3.csv");
        assertThat(w3.rows()).isEqualTo(1000);
        assertThat(w3.labels()).isEqualTo(480);
        assertThat(queries.windowData(MODEL, "w-1").orElseThrow().labels()).isEqualTo(20);
        assertThat(queries.windowData(MODEL, "w-2").orElseThrow().location()).as("kept no data").isNull();
        assertThat(queries.windowData(MODEL, "w-9")).isEmpty();
    }

    @Test
    void performanceCarriesItsDegradationAndAlertsAreNewestFirst() {
        List<PerformanceView> performance = queries.performance(MODEL, 10, null).items();
        assertThat(performance).containsExactly(new PerformanceView("p-1", 3, "auc", 0.70, 500, 0.80, minutes(30),
                new PerformanceView.Degradation("GREATER", 0.10, 0.125, "auc of version 3 fell")));
        assertThat(queries.alerts(MODEL, 10, null).items()).extracting(AlertView::kind)
                .containsExactly("ROLLBACK", "DRIFT");
    }

    @Test
    void projectingTheSameEventsAgainChangesNothing() throws SQLException {
        Map<String, List<String>> before = ReadModelDatabase.dump(db, MODEL);
        assertThat(applyAll(story.envelopes())).as("every event is known already").containsOnly(false);
        assertThat(ReadModelDatabase.dump(db, MODEL)).isEqualTo(before);
    }
}

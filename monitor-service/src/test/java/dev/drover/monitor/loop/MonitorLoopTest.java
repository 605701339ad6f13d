package dev.drover.monitor.loop;

import dev.drover.embedded.TestInfrastructure;
import dev.drover.monitor.core.ClosedWindow;
import dev.drover.monitor.core.DegradationPolicy;
import dev.drover.monitor.core.FeatureResult;
import dev.drover.monitor.core.FeatureSetRef;
import dev.drover.monitor.core.MetricDirection;
import dev.drover.monitor.core.MonitorCommand.ConfigureMonitoring;
import dev.drover.monitor.core.MonitorCommand.RecordWindow;
import dev.drover.monitor.core.MonitorEvent;
import dev.drover.monitor.core.MonitorEvent.DriftReportRecorded;
import dev.drover.monitor.core.MonitorEvent.MonitorCommandRejected;
import dev.drover.monitor.core.MonitorEvent.RetrainRequested;
import dev.drover.monitor.core.MonitorEvent.RetrainSuppressed;
import dev.drover.monitor.core.MonitoringPolicy;
import dev.drover.monitor.core.TumblingWindow;
import dev.drover.monitor.wire.CommandEnvelope;
import dev.drover.monitor.wire.EventEnvelope;
import dev.drover.monitor.wire.MonitorCodec;
import dev.drover.platform.eventlog.CommandLog.Outcome;
import dev.drover.platform.eventlog.DecisionLoop;
import dev.drover.platform.kafka.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The monitor's decision loop on a real broker: a policy, drifted windows within the cooldown (one retrain request,
 * then suppression), and the cooldown surviving a restart of the loop (state rebuilt from the events alone).
 */
class MonitorLoopTest {
    private static final MonitorCodec CODEC = new MonitorCodec();
    private static String bootstrap;
    private static MonitorGateway gateway;
    private static DecisionLoop loop;

    @BeforeAll
    static void start() {
        bootstrap = TestInfrastructure.kafkaBootstrap();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Topics.ensureTopics(admin, 3, (short) 1);
        }
        gateway = new MonitorGateway(bootstrap, CODEC);
        loop = newLoop();
        loop.start();
    }

    @AfterAll
    static void stop() {
        loop.close();
        gateway.close();
    }

    private static DecisionLoop newLoop() {
        return MonitorLoop.create(bootstrap, "monitor-loop-test", Duration.ofSeconds(10), CODEC, Clock.systemUTC());
    }

    private static List<MonitorEvent> send(Object command) throws Exception {
        Outcome<EventEnvelope> o = gateway.send(new CommandEnvelope((dev.drover.monitor.core.MonitorCommand) command,
                Instant.now(), "test")).get(30, TimeUnit.SECONDS);
        return o.events().stream().map(EventEnvelope::event).toList();
    }

    private static RecordWindow drifted(String model, int n) {
        Instant end = Instant.now();
        return new RecordWindow(UUID.randomUUID().toString(), model, new ClosedWindow("w-" + n,
                end.minusSeconds(60), end, 1000, 1, new FeatureSetRef("churn-features", 1)),
                List.of(new FeatureResult("tenure_months", "KS", 0.4, 0.0001, 0.05, true),
                        new FeatureResult("monthly_charges", "KS", 0.3, 0.001, 0.05, true),
                        new FeatureResult("support_calls", "KS", 0.01, 0.9, 0.05, false)),
                Map.of("missing_feature", 3L));
    }

    @Test
    void aBurstOfDriftedWindowsRequestsOneRetrainAndTheCooldownSurvivesARestart() throws Exception {
        String model = "churn-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(send(drifted(model, 1))).singleElement().isInstanceOf(MonitorCommandRejected.class);

        MonitoringPolicy policy = new MonitoringPolicy(TumblingWindow.ofRows(1000), 0.5, Map.of(),
                Duration.ofHours(1), new DegradationPolicy("auc", MetricDirection.GREATER, 0.05, null, true),
                List.of());
        send(new ConfigureMonitoring(UUID.randomUUID().toString(), model, policy, "alice"));

        List<MonitorEvent> first = send(drifted(model, 1));
        assertThat(first).hasAtLeastOneElementOfType(DriftReportRecorded.class)
                .hasAtLeastOneElementOfType(RetrainRequested.class);
        DriftReportRecorded report = (DriftReportRecorded) first.get(0);
        assertThat(report.datasetDrifted()).isTrue();
        assertThat(send(drifted(model, 2))).hasAtLeastOneElementOfType(RetrainSuppressed.class)
                .doesNotHaveAnyElementsOfTypes(RetrainRequested.class);

        loop.close();
        loop = newLoop();
        loop.start();
        assertThat(send(drifted(model, 3))).as("the cooldown is part of the rebuilt state")
                .hasAtLeastOneElementOfType(RetrainSuppressed.class)
                .doesNotHaveAnyElementsOfTypes(RetrainRequested.class);
    }
}

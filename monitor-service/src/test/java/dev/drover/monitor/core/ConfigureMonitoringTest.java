package dev.drover.monitor.core;

import dev.drover.monitor.core.MonitorCommand.RecordRetrainRun;
import dev.drover.monitor.core.MonitorCommand.RecordRunFailed;
import dev.drover.monitor.core.MonitorEvent.MonitoringConfigured;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.drover.monitor.core.MonitorFixtures.ALICE;
import static dev.drover.monitor.core.MonitorFixtures.AUC_ROLLBACK;
import static dev.drover.monitor.core.MonitorFixtures.CMD;
import static dev.drover.monitor.core.MonitorFixtures.HOOK_URL;
import static dev.drover.monitor.core.MonitorFixtures.MODEL;
import static dev.drover.monitor.core.MonitorFixtures.POLICY;
import static dev.drover.monitor.core.MonitorFixtures.configure;
import static dev.drover.monitor.core.MonitorFixtures.configured;
import static dev.drover.monitor.core.MonitorFixtures.minutes;
import static dev.drover.monitor.core.MonitorFixtures.performance;
import static dev.drover.monitor.core.MonitorFixtures.recordWindow;
import static dev.drover.monitor.core.MonitorFixtures.results;
import static dev.drover.monitor.core.Scenario.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Configuring monitoring: defaults are filled in before the policy is logged, and every bad part is named. */
class ConfigureMonitoringTest {

    @Test
    void the_logged_policy_holds_every_default() {
        MonitoringPolicy sparse = new MonitoringPolicy(TumblingWindow.ofDuration(Duration.ofHours(1)), null, null,
                null, new DegradationPolicy("auc", MetricDirection.GREATER, null, 0.05, null),
                List.of(new Webhook(HOOK_URL, null)));

        given().when(configure(sparse), minutes(1)).then(new MonitoringConfigured(MODEL,
                new MonitoringPolicy(TumblingWindow.ofDuration(Duration.ofHours(1)), 0.5, Map.of(),
                        Duration.ofHours(1), new DegradationPolicy("auc", MetricDirection.GREATER, null, 0.05, false),
                        List.of(new Webhook(HOOK_URL, WebhookFormat.GENERIC)), 0L), ALICE, minutes(1)));
    }

    @Test
    void a_new_policy_replaces_the_old_one() {
        MonitoringPolicy stricter = new MonitoringPolicy(TumblingWindow.ofRows(500), 0.3,
                Map.of("age", new FeatureOverride("PSI", 0.2)), Duration.ZERO, null, List.of(), 0L);

        MonitoredModelState state = given(configured()).when(configure(stricter), minutes(5))
                .then(new MonitoringConfigured(MODEL, stricter, ALICE, minutes(5))).stateAfter();

        assertThat(state.policy()).contains(stricter);
        assertThat(state.configuredAt()).isEqualTo(minutes(5));
    }

    @Test
    void the_same_policy_again_changes_nothing() {
        MonitoringPolicy sameWithDefaultsLeftOut = new MonitoringPolicy(TumblingWindow.ofRows(1000), null, null, null,
                AUC_ROLLBACK, POLICY.webhooks());

        given(configured()).when(configure(sameWithDefaultsLeftOut), minutes(5))
                .thenRejected(RejectionCode.UNCHANGED, "already monitored with this policy");
    }

    @Test
    void a_window_needs_exactly_one_of_rows_and_duration() {
        given().when(configure(policy(new TumblingWindow(1000L, Duration.ofHours(1)))), minutes(1))
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "exactly one of rows", "or duration");
        given().when(configure(policy(new TumblingWindow(null, null))), minutes(1))
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "exactly one of rows");
        given().when(configure(policy(null)), minutes(1))
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "exactly one of rows");
        given().when(configure(policy(TumblingWindow.ofRows(3))), minutes(1))
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "window rows 3 is too small", "at least 10");
        given().when(configure(policy(TumblingWindow.ofDuration(Duration.ofSeconds(-5)))), minutes(1))
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "window duration PT-5S is not positive");
    }

    @Test
    void no_policy_at_all_is_refused() {
        given().when(configure(null), minutes(1))
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "a monitoring policy is required");
    }

    @Test
    void an_unknown_drift_method_names_the_known_ones_and_the_likely_spelling() {
        MonitoringPolicy p = new MonitoringPolicy(TumblingWindow.ofRows(1000), null,
                Map.of("age", new FeatureOverride("jensen-shannon", null)), null, null, null);

        given().when(configure(p), minutes(1)).thenRejected(RejectionCode.INVALID_ARGUMENT,
                "feature 'age' has unknown drift method 'jensen-shannon'", "KS, PSI, WASSERSTEIN",
                "(names are upper case: JENSEN_SHANNON)");
    }

    @Test
    void every_problem_of_a_policy_is_listed_at_once() {
        MonitoringPolicy bad = new MonitoringPolicy(TumblingWindow.ofRows(1000), 1.5,
                Map.of("age", new FeatureOverride(null, null), "plan", new FeatureOverride("CHI_SQUARE",
                        Double.NaN)), Duration.ofMinutes(-1),
                new DegradationPolicy(" ", null, null, null, true),
                List.of(new Webhook("ftp://example.com/x", WebhookFormat.SLACK), new Webhook(HOOK_URL, null),
                        new Webhook(HOOK_URL, WebhookFormat.SLACK), new Webhook("not a url", null)));

        String message = given().when(configure(bad), minutes(1)).rejection().message();

        assertThat(message).contains("datasetDriftShare 1.5 is not in (0, 1]",
                "the override of feature 'age' sets nothing", "feature 'plan' has threshold NaN",
                "retrainCooldown PT-1M is negative", "the degradation policy has no metric",
                "has no direction", "allows any drop", "'ftp://example.com/x' is not an absolute http(s) URL",
                "webhook " + HOOK_URL + " is listed twice", "'not a url' is not a URL");
    }

    @Test
    void a_model_name_with_a_slash_cannot_be_monitored() {
        MonitoredModelState state = new MonitoredModelState("a/b");

        Decision d = new MonitorDecider().decide(state, new MonitorCommand.ConfigureMonitoring(CMD, "a/b", POLICY,
                ALICE), minutes(1));

        assertThat(d.rejection()).hasValueSatisfying(r -> {
            assertThat(r.code()).isEqualTo(RejectionCode.INVALID_ARGUMENT);
            assertThat(r.message()).contains("no '/'");
        });
    }

    @Test
    void nothing_but_configuration_is_accepted_for_an_unmonitored_model() {
        for (MonitorCommand c : List.of(recordWindow(1, results(1, 2)), performance("w-1", 3, 0.8, 0.9),
                new RecordRetrainRun("c-2", MODEL, MODEL + "/w-1", "retrain", "retrain.1"),
                new RecordRunFailed("c-3", MODEL, "retrain", "retrain.1", "exit 1"))) {
            given().when(c, minutes(1)).thenRejected(RejectionCode.NOT_CONFIGURED, "model 'churn' is not monitored",
                    "configure monitoring for it first");
        }
    }

    private static MonitoringPolicy policy(TumblingWindow window) {
        return new MonitoringPolicy(window, null, null, null, null, null);
    }
}

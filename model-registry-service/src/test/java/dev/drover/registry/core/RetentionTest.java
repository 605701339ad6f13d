package dev.drover.registry.core;

import dev.drover.registry.core.ModelEvent.RetentionPolicySet;
import dev.drover.registry.core.ModelEvent.VersionsArchived;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.drover.registry.core.ModelFixtures.ALICE;
import static dev.drover.registry.core.ModelFixtures.CHAMPION;
import static dev.drover.registry.core.ModelFixtures.MODEL;
import static dev.drover.registry.core.ModelFixtures.NOW;
import static dev.drover.registry.core.ModelFixtures.applyRetention;
import static dev.drover.registry.core.ModelFixtures.created;
import static dev.drover.registry.core.ModelFixtures.given;
import static dev.drover.registry.core.ModelFixtures.moved;
import static dev.drover.registry.core.ModelFixtures.policySet;
import static dev.drover.registry.core.ModelFixtures.protectedAlias;
import static dev.drover.registry.core.ModelFixtures.registered;
import static dev.drover.registry.core.ModelFixtures.requested;
import static dev.drover.registry.core.ModelFixtures.setPolicy;
import static dev.drover.registry.core.ModelFixtures.staged;
import static dev.drover.registry.core.ModelFixtures.withVersions;
import static org.assertj.core.api.Assertions.assertThat;

/** Retention: keep the last N, anything holding an alias, anything recent; archive the rest, forget nothing. */
class RetentionTest {
    static final RetentionPolicy KEEP_2 = new RetentionPolicy(2, Duration.ZERO);
    static final String REASON = "retention policy: " + KEEP_2.describe();

    @Test
    void a_policy_is_set() {
        given(withVersions(1))
                .when(setPolicy(KEEP_2), NOW)
                .then(new RetentionPolicySet(MODEL, KEEP_2, ALICE, NOW));
    }

    @Test
    void the_same_policy_again_changes_nothing() {
        given(withVersions(1, policySet(KEEP_2)))
                .when(setPolicy(new RetentionPolicy(2, null)), NOW)
                .thenRejected(RejectionCode.UNCHANGED);
    }

    @Test
    void an_invalid_policy_is_refused() {
        given(withVersions(1))
                .when(setPolicy(new RetentionPolicy(-1, Duration.ofDays(-1))), NOW)
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "keepLastVersions must be >= 0",
                        "keepNewerThan must not be negative");
    }

    @Test
    void a_missing_policy_is_refused() {
        given(withVersions(1))
                .when(setPolicy(null), NOW)
                .thenRejected(RejectionCode.INVALID_ARGUMENT);
    }

    @Test
    void applying_retention_without_a_policy_is_refused() {
        given(withVersions(3))
                .when(applyRetention(), NOW)
                .thenRejected(RejectionCode.NO_RETENTION_POLICY, "set one first");
    }

    @Test
    void versions_older_than_the_last_n_are_archived() {
        given(withVersions(5, policySet(KEEP_2)))
                .when(applyRetention(), NOW)
                .then(new VersionsArchived(MODEL, List.of(1, 2, 3), REASON, "retention-timer", NOW));
    }

    @Test
    void versions_holding_an_alias_are_kept() {
        given(withVersions(5, policySet(KEEP_2), moved(CHAMPION, null, 1), moved("shadow", null, 3)))
                .when(applyRetention(), NOW)
                .then(new VersionsArchived(MODEL, List.of(2), REASON, "retention-timer", NOW));
    }

    @Test
    void versions_a_pending_approval_would_point_at_are_kept() {
        given(withVersions(5, policySet(KEEP_2), protectedAlias(CHAMPION), requested(CHAMPION, null, 2)))
                .when(applyRetention(), NOW)
                .then(new VersionsArchived(MODEL, List.of(1, 3), REASON, "retention-timer", NOW));
    }

    @Test
    void versions_in_staging_or_production_are_kept() {
        given(withVersions(5, policySet(KEEP_2), staged(1, ModelStage.NONE, ModelStage.PRODUCTION),
                staged(2, ModelStage.NONE, ModelStage.STAGING)))
                .when(applyRetention(), NOW)
                .then(new VersionsArchived(MODEL, List.of(3), REASON, "retention-timer", NOW));
    }

    @Test
    void versions_newer_than_the_duration_are_kept() {
        RetentionPolicy policy = new RetentionPolicy(1, Duration.ofDays(7));
        List<ModelEvent> history = new ArrayList<>(List.of(created(), policySet(policy)));
        for (int v = 1; v <= 4; v++) {
            // versions 1 and 2 are 30 and 10 days old, 3 and 4 one and two days old
            long ageDays = new long[]{30, 10, 2, 1}[v - 1];
            history.add(registered(v, Map.of("auc", 0.8), NOW.minus(Duration.ofDays(ageDays))));
        }

        given(history)
                .when(applyRetention(), NOW)
                .then(new VersionsArchived(MODEL, List.of(1, 2), "retention policy: " + policy.describe(),
                        "retention-timer", NOW));
    }

    @Test
    void keeping_zero_versions_archives_all_that_nothing_else_keeps() {
        RetentionPolicy policy = new RetentionPolicy(0, Duration.ZERO);
        given(withVersions(3, policySet(policy), moved(CHAMPION, null, 3)))
                .when(applyRetention(), NOW)
                .then(new VersionsArchived(MODEL, List.of(1, 2), "retention policy: " + policy.describe(),
                        "retention-timer", NOW));
    }

    @Test
    void nothing_to_archive_decides_nothing() {
        given(withVersions(2, policySet(KEEP_2)))
                .when(applyRetention(), NOW)
                .thenNothing();
    }

    @Test
    void versions_already_archived_are_not_archived_again() {
        given(withVersions(4, policySet(KEEP_2), new VersionsArchived(MODEL, List.of(1), "earlier", ALICE, NOW)))
                .when(applyRetention(), NOW)
                .then(new VersionsArchived(MODEL, List.of(2), REASON, "retention-timer", NOW));
    }

    @Test
    void archived_versions_stay_in_the_history() {
        RegisteredModelState state = given(withVersions(5, policySet(KEEP_2)))
                .when(applyRetention(), NOW).stateAfter();

        assertThat(state.versions()).hasSize(5);
        assertThat(state.versions()).extracting(ModelVersionState::stage).containsExactly(ModelStage.ARCHIVED,
                ModelStage.ARCHIVED, ModelStage.ARCHIVED, ModelStage.NONE, ModelStage.NONE);
        assertThat(state.version(1).orElseThrow().artifactLocation()).isEqualTo("s3://models/churn/1");
        assertThat(state.retentionPolicy()).contains(KEEP_2);
    }
}

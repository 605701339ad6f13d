package dev.drover.registry.core;

import dev.drover.registry.core.ModelEvent.VersionStageTransitioned;
import dev.drover.registry.core.ModelEvent.VersionsArchived;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.drover.registry.core.ModelFixtures.ALICE;
import static dev.drover.registry.core.ModelFixtures.MODEL;
import static dev.drover.registry.core.ModelFixtures.NOW;
import static dev.drover.registry.core.ModelFixtures.given;
import static dev.drover.registry.core.ModelFixtures.staged;
import static dev.drover.registry.core.ModelFixtures.transition;
import static dev.drover.registry.core.ModelFixtures.withVersions;
import static org.assertj.core.api.Assertions.assertThat;

/** MLflow stages: None, Staging, Production, Archived, with archive_existing_versions. */
class StageTransitionTest {

    @Test
    void a_version_moves_to_a_stage() {
        RegisteredModelState state = given(withVersions(1))
                .when(transition(1, ModelStage.STAGING, false), NOW)
                .then(new VersionStageTransitioned(MODEL, 1, ModelStage.NONE, ModelStage.STAGING, ALICE, NOW))
                .stateAfter();

        assertThat(state.version(1).orElseThrow().stage()).isEqualTo(ModelStage.STAGING);
    }

    @Test
    void without_archive_existing_other_versions_keep_their_stage() {
        given(withVersions(2, staged(1, ModelStage.NONE, ModelStage.PRODUCTION)))
                .when(transition(2, ModelStage.PRODUCTION, false), NOW)
                .then(new VersionStageTransitioned(MODEL, 2, ModelStage.NONE, ModelStage.PRODUCTION, ALICE, NOW));
    }

    @Test
    void archive_existing_archives_the_other_versions_in_the_target_stage() {
        RegisteredModelState state = given(withVersions(4, staged(1, ModelStage.NONE, ModelStage.PRODUCTION),
                staged(2, ModelStage.NONE, ModelStage.PRODUCTION), staged(3, ModelStage.NONE, ModelStage.STAGING)))
                .when(transition(4, ModelStage.PRODUCTION, true), NOW)
                .then(new VersionStageTransitioned(MODEL, 4, ModelStage.NONE, ModelStage.PRODUCTION, ALICE, NOW),
                        new VersionsArchived(MODEL, List.of(1, 2),
                                "archive_existing_versions: version 4 moved to Production", ALICE, NOW))
                .stateAfter();

        assertThat(state.versions()).extracting(ModelVersionState::stage).containsExactly(ModelStage.ARCHIVED,
                ModelStage.ARCHIVED, ModelStage.STAGING, ModelStage.PRODUCTION);
    }

    @Test
    void archive_existing_is_only_for_staging_and_production() {
        given(withVersions(2))
                .when(transition(1, ModelStage.ARCHIVED, true), NOW)
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "Staging or Production, not Archived");
    }

    @Test
    void the_stage_a_version_is_in_changes_nothing() {
        given(withVersions(2, staged(1, ModelStage.NONE, ModelStage.STAGING)))
                .when(transition(1, ModelStage.STAGING, false), NOW)
                .thenRejected(RejectionCode.UNCHANGED, "already in stage Staging");
    }

    @Test
    void the_same_stage_with_archive_existing_still_archives_the_others() {
        given(withVersions(2, staged(1, ModelStage.NONE, ModelStage.STAGING),
                staged(2, ModelStage.NONE, ModelStage.STAGING)))
                .when(transition(1, ModelStage.STAGING, true), NOW)
                .then(new VersionsArchived(MODEL, List.of(2), "archive_existing_versions: version 1 moved to Staging",
                        ALICE, NOW));
    }

    @Test
    void an_archived_version_can_come_back() {
        given(withVersions(1, staged(1, ModelStage.NONE, ModelStage.ARCHIVED)))
                .when(transition(1, ModelStage.NONE, false), NOW)
                .then(new VersionStageTransitioned(MODEL, 1, ModelStage.ARCHIVED, ModelStage.NONE, ALICE, NOW));
    }

    @Test
    void an_unknown_version_is_refused() {
        given(withVersions(1))
                .when(transition(2, ModelStage.STAGING, false), NOW)
                .thenRejected(RejectionCode.VERSION_NOT_FOUND);
    }

    @Test
    void a_missing_stage_is_refused() {
        given(withVersions(1))
                .when(transition(1, null, false), NOW)
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "None, Staging, Production, Archived");
    }

    @Test
    void stages_parse_case_insensitively_as_in_mlflow() {
        assertThat(ModelStage.fromMlflowName("production")).contains(ModelStage.PRODUCTION);
        assertThat(ModelStage.fromMlflowName("STAGING")).contains(ModelStage.STAGING);
        assertThat(ModelStage.fromMlflowName("None")).contains(ModelStage.NONE);
        assertThat(ModelStage.fromMlflowName("live")).isEmpty();
        assertThat(ModelStage.fromMlflowName(null)).isEmpty();
        assertThat(ModelStage.ARCHIVED.mlflowName()).isEqualTo("Archived");
    }
}

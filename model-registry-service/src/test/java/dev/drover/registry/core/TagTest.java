package dev.drover.registry.core;

import dev.drover.registry.core.ModelCommand.DeleteModelTag;
import dev.drover.registry.core.ModelCommand.DeleteVersionTag;
import dev.drover.registry.core.ModelCommand.SetModelTag;
import dev.drover.registry.core.ModelCommand.SetVersionTag;
import dev.drover.registry.core.ModelEvent.ModelTagDeleted;
import dev.drover.registry.core.ModelEvent.ModelTagSet;
import dev.drover.registry.core.ModelEvent.VersionTagDeleted;
import dev.drover.registry.core.ModelEvent.VersionTagSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.drover.registry.core.ModelFixtures.ALICE;
import static dev.drover.registry.core.ModelFixtures.CMD;
import static dev.drover.registry.core.ModelFixtures.MODEL;
import static dev.drover.registry.core.ModelFixtures.NOW;
import static dev.drover.registry.core.ModelFixtures.given;
import static dev.drover.registry.core.ModelFixtures.seconds;
import static dev.drover.registry.core.ModelFixtures.withVersions;
import static org.assertj.core.api.Assertions.assertThat;

/** Tags of models and versions, with MLflow's key rules and size limits. */
class TagTest {

    static SetModelTag setTag(String key, String value) {
        return new SetModelTag(CMD, MODEL, key, value, ALICE);
    }

    static SetVersionTag setVersionTag(int version, String key, String value) {
        return new SetVersionTag(CMD, MODEL, version, key, value, ALICE);
    }

    @Test
    void a_model_tag_is_set() {
        RegisteredModelState state = given(withVersions(1))
                .when(setTag("owner", "growth"), NOW)
                .then(new ModelTagSet(MODEL, "owner", "growth", ALICE, NOW))
                .stateAfter();

        assertThat(state.tags()).containsEntry("owner", "growth");
        assertThat(state.lastUpdatedAt()).isEqualTo(NOW);
    }

    @Test
    void a_model_tag_is_overwritten() {
        given(withVersions(1, new ModelTagSet(MODEL, "owner", "growth", ALICE, seconds(5))))
                .when(setTag("owner", "risk"), NOW)
                .then(new ModelTagSet(MODEL, "owner", "risk", ALICE, NOW));
    }

    @Test
    void setting_the_same_value_changes_nothing() {
        given(withVersions(1, new ModelTagSet(MODEL, "owner", "growth", ALICE, seconds(5))))
                .when(setTag("owner", "growth"), NOW)
                .thenRejected(RejectionCode.UNCHANGED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a//b", "/abs", "trailing/", "./rel", "..", "../up", "a/./b", "semi;colon", "q?"})
    void keys_mlflow_refuses_are_refused(String key) {
        given(withVersions(1))
                .when(setTag(key, "v"), NOW)
                .thenRejected(RejectionCode.INVALID_ARGUMENT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"owner", "mlflow.source", "a/b", "with space", "x-y_z", "ключ"})
    void keys_mlflow_accepts_are_accepted(String key) {
        given(withVersions(1))
                .when(setTag(key, "v"), NOW)
                .then(new ModelTagSet(MODEL, key, "v", ALICE, NOW));
    }

    @Test
    void a_value_over_5000_characters_is_refused() {
        given(withVersions(1))
                .when(setTag("notes", "x".repeat(5001)), NOW)
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "at most 5000");
    }

    @Test
    void a_key_over_250_characters_is_refused() {
        given(withVersions(1))
                .when(setTag("k".repeat(251), "v"), NOW)
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "at most 250");
    }

    @Test
    void a_null_value_is_refused() {
        given(withVersions(1))
                .when(setTag("owner", null), NOW)
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "needs a value");
    }

    @Test
    void a_model_tag_is_deleted() {
        RegisteredModelState state = given(withVersions(1, new ModelTagSet(MODEL, "owner", "growth", ALICE,
                seconds(5))))
                .when(new DeleteModelTag(CMD, MODEL, "owner", ALICE), NOW)
                .then(new ModelTagDeleted(MODEL, "owner", ALICE, NOW))
                .stateAfter();

        assertThat(state.tags()).doesNotContainKey("owner");
    }

    @Test
    void deleting_a_missing_model_tag_changes_nothing() {
        given(withVersions(1))
                .when(new DeleteModelTag(CMD, MODEL, "owner", ALICE), NOW)
                .thenRejected(RejectionCode.UNCHANGED, "no tag 'owner'");
    }

    @Test
    void deleting_with_no_key_is_refused() {
        given(withVersions(1))
                .when(new DeleteModelTag(CMD, MODEL, null, ALICE), NOW)
                .thenRejected(RejectionCode.INVALID_ARGUMENT);
    }

    @Test
    void a_version_tag_is_set_on_that_version_only() {
        RegisteredModelState state = given(withVersions(2))
                .when(setVersionTag(2, "validated", "true"), NOW)
                .then(new VersionTagSet(MODEL, 2, "validated", "true", ALICE, NOW))
                .stateAfter();

        assertThat(state.version(2).orElseThrow().tags()).containsEntry("validated", "true");
        assertThat(state.version(2).orElseThrow().lastUpdatedAt()).isEqualTo(NOW);
        assertThat(state.version(1).orElseThrow().tags()).doesNotContainKey("validated");
    }

    @Test
    void a_version_tag_on_an_unknown_version_is_refused() {
        given(withVersions(2))
                .when(setVersionTag(3, "validated", "true"), NOW)
                .thenRejected(RejectionCode.VERSION_NOT_FOUND);
    }

    @Test
    void a_version_tag_with_an_invalid_key_is_refused() {
        given(withVersions(2))
                .when(setVersionTag(1, "a//b", "true"), NOW)
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "resolves to 'a/b'");
    }

    @Test
    void setting_a_version_tag_to_its_value_changes_nothing() {
        given(withVersions(2, new VersionTagSet(MODEL, 1, "validated", "true", ALICE, seconds(5))))
                .when(setVersionTag(1, "validated", "true"), NOW)
                .thenRejected(RejectionCode.UNCHANGED);
    }

    @Test
    void a_version_tag_is_deleted() {
        given(withVersions(2, new VersionTagSet(MODEL, 1, "validated", "true", ALICE, seconds(5))))
                .when(new DeleteVersionTag(CMD, MODEL, 1, "validated", ALICE), NOW)
                .then(new VersionTagDeleted(MODEL, 1, "validated", ALICE, NOW));
    }

    @Test
    void deleting_a_missing_version_tag_changes_nothing() {
        given(withVersions(2))
                .when(new DeleteVersionTag(CMD, MODEL, 1, "validated", ALICE), NOW)
                .thenRejected(RejectionCode.UNCHANGED);
    }

    @Test
    void deleting_a_tag_of_an_unknown_version_is_refused() {
        given(withVersions(2))
                .when(new DeleteVersionTag(CMD, MODEL, 9, "validated", ALICE), NOW)
                .thenRejected(RejectionCode.VERSION_NOT_FOUND);
    }
}

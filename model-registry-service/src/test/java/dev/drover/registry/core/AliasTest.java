package dev.drover.registry.core;

import dev.drover.registry.core.ModelCommand.SetAlias;
import dev.drover.registry.core.ModelEvent.AliasChanged;
import dev.drover.registry.core.ModelEvent.AliasDeleted;
import dev.drover.registry.core.ModelEvent.AliasMoved;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.drover.registry.core.ModelFixtures.ALICE;
import static dev.drover.registry.core.ModelFixtures.CHAMPION;
import static dev.drover.registry.core.ModelFixtures.CMD;
import static dev.drover.registry.core.ModelFixtures.MODEL;
import static dev.drover.registry.core.ModelFixtures.NOW;
import static dev.drover.registry.core.ModelFixtures.deleteAlias;
import static dev.drover.registry.core.ModelFixtures.deleted;
import static dev.drover.registry.core.ModelFixtures.given;
import static dev.drover.registry.core.ModelFixtures.moved;
import static dev.drover.registry.core.ModelFixtures.protectedAlias;
import static dev.drover.registry.core.ModelFixtures.seconds;
import static dev.drover.registry.core.ModelFixtures.setAlias;
import static dev.drover.registry.core.ModelFixtures.withVersions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Setting and deleting aliases; every change records who, when, why and the version it replaced. */
class AliasTest {

    @Test
    void setting_a_new_alias_records_that_it_was_not_set_before() {
        given(withVersions(2))
                .when(setAlias(CHAMPION, 1), NOW)
                .then(new AliasMoved(MODEL, CHAMPION, null, 1, AliasMoveKind.SET, "because", null, null, ALICE, NOW));
    }

    @Test
    void moving_an_alias_records_the_version_it_replaced() {
        given(withVersions(2, moved(CHAMPION, null, 1)))
                .when(setAlias(CHAMPION, 2), NOW)
                .then(new AliasMoved(MODEL, CHAMPION, 1, 2, AliasMoveKind.SET, "because", null, null, ALICE, NOW));
    }

    @Test
    void a_blank_reason_is_recorded_as_none() {
        given(withVersions(1))
                .when(new SetAlias(CMD, MODEL, CHAMPION, 1, "  ", ALICE), NOW)
                .then(new AliasMoved(MODEL, CHAMPION, null, 1, AliasMoveKind.SET, null, null, null, ALICE, NOW));
    }

    @Test
    void the_state_answers_which_version_holds_an_alias() {
        RegisteredModelState state = given(withVersions(3, moved("staging", null, 3)))
                .when(setAlias(CHAMPION, 2), NOW).stateAfter();

        assertThat(state.champion().orElseThrow().version()).isEqualTo(2);
        assertThat(state.aliasVersion("staging")).contains(3);
        assertThat(state.aliases()).containsOnlyKeys(CHAMPION, "staging");
        assertThat(state.aliasesOf(2)).containsExactly(CHAMPION);
        assertThat(state.versionByAlias("nope")).isEmpty();
    }

    @Test
    void pointing_an_alias_where_it_already_points_changes_nothing() {
        given(withVersions(2, moved(CHAMPION, null, 2)))
                .when(setAlias(CHAMPION, 2), NOW)
                .thenRejected(RejectionCode.UNCHANGED);
    }

    @Test
    void an_unknown_version_is_refused() {
        given(withVersions(2))
                .when(setAlias(CHAMPION, 7), NOW)
                .thenRejected(RejectionCode.VERSION_NOT_FOUND, "no version 7", "1 to 2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "latest", "LATEST", "Latest", "v1", "V12", "v007", "has space", "a.b", "a/b", "a:b",
            "é!"})
    void alias_names_mlflow_reserves_or_refuses_are_refused(String alias) {
        given(withVersions(1))
                .when(setAlias(alias, 1), NOW)
                .thenRejected(RejectionCode.INVALID_ALIAS);
    }

    @Test
    void an_alias_longer_than_255_characters_is_refused() {
        given(withVersions(1))
                .when(setAlias("a".repeat(256), 1), NOW)
                .thenRejected(RejectionCode.INVALID_ALIAS, "at most 255");
    }

    @ParameterizedTest
    @ValueSource(strings = {"champion", "challenger-2", "blue_green", "v1a", "vx", "latest2", "ünïcödé", "V", "_"})
    void alias_names_mlflow_accepts_are_accepted(String alias) {
        given(withVersions(1))
                .when(setAlias(alias, 1), NOW)
                .then(new AliasMoved(MODEL, alias, null, 1, AliasMoveKind.SET, "because", null, null, ALICE, NOW));
    }

    @Test
    void deleting_an_alias_records_the_version_it_pointed_at() {
        RegisteredModelState state = given(withVersions(2, moved(CHAMPION, null, 2)))
                .when(deleteAlias(CHAMPION), NOW)
                .then(new AliasDeleted(MODEL, CHAMPION, 2, "because", ALICE, NOW))
                .stateAfter();

        assertThat(state.champion()).isEmpty();
    }

    @Test
    void deleting_an_alias_that_is_not_set_changes_nothing() {
        given(withVersions(2))
                .when(deleteAlias(CHAMPION), NOW)
                .thenRejected(RejectionCode.UNCHANGED, "not set");
    }

    @Test
    void a_protected_alias_cannot_be_deleted() {
        given(withVersions(2, moved(CHAMPION, null, 2), protectedAlias(CHAMPION)))
                .when(deleteAlias(CHAMPION), NOW)
                .thenRejected(RejectionCode.ALIAS_PROTECTED, "unprotect it first");
    }

    @Test
    void deleting_checks_the_alias_name_too() {
        given(withVersions(1))
                .when(deleteAlias("latest"), NOW)
                .thenRejected(RejectionCode.INVALID_ALIAS);
    }

    @Test
    void the_history_of_an_alias_is_every_change_with_who_when_why_and_what_it_replaced() {
        RegisteredModelState state = given(withVersions(3, moved(CHAMPION, null, 1, seconds(10)),
                moved("staging", null, 3, seconds(11)), moved(CHAMPION, 1, 2, seconds(20)),
                deleted(CHAMPION, 2, seconds(30))))
                .when(setAlias(CHAMPION, 3), NOW).stateAfter();

        assertThat(state.aliasHistory(CHAMPION))
                .extracting(AliasChanged::previousVersion, AliasChanged::newVersion, AliasChanged::by,
                        AliasChanged::at, AliasChanged::reason)
                .containsExactly(
                        tuple(null, 1, ALICE, seconds(10), "because"),
                        tuple(1, 2, ALICE, seconds(20), "because"),
                        tuple(2, null, ALICE, seconds(30), "because"),
                        tuple(null, 3, ALICE, NOW, "because"));
        assertThat(state.aliasHistory()).hasSize(5);
    }
}

package dev.drover.registry.core;

import dev.drover.registry.core.ModelCommand.RollbackAlias;
import dev.drover.registry.core.ModelEvent.AliasChangeRequested;
import dev.drover.registry.core.ModelEvent.AliasMoved;
import org.junit.jupiter.api.Test;

import static dev.drover.registry.core.ModelFixtures.ALICE;
import static dev.drover.registry.core.ModelFixtures.CHAMPION;
import static dev.drover.registry.core.ModelFixtures.CMD;
import static dev.drover.registry.core.ModelFixtures.MODEL;
import static dev.drover.registry.core.ModelFixtures.NOW;
import static dev.drover.registry.core.ModelFixtures.deleted;
import static dev.drover.registry.core.ModelFixtures.given;
import static dev.drover.registry.core.ModelFixtures.moved;
import static dev.drover.registry.core.ModelFixtures.protectedAlias;
import static dev.drover.registry.core.ModelFixtures.rollback;
import static dev.drover.registry.core.ModelFixtures.rolledBack;
import static dev.drover.registry.core.ModelFixtures.seconds;
import static dev.drover.registry.core.ModelFixtures.withVersions;
import static org.assertj.core.api.Assertions.assertThat;

/** Rolling an alias back points it at the version that held it before; repeated rollbacks walk further back. */
class RollbackTest {

    @Test
    void rollback_returns_the_alias_to_the_version_before() {
        given(withVersions(2, moved(CHAMPION, null, 1), moved(CHAMPION, 1, 2)))
                .when(rollback(CHAMPION), NOW)
                .then(rolledBack(CHAMPION, 2, 1, "rolled back from version 2 to version 1", NOW));
    }

    @Test
    void a_given_reason_is_kept() {
        given(withVersions(2, moved(CHAMPION, null, 1), moved(CHAMPION, 1, 2)))
                .when(new RollbackAlias(CMD, MODEL, CHAMPION, "v2 doubles latency", ALICE), NOW)
                .then(rolledBack(CHAMPION, 2, 1, "v2 doubles latency", NOW));
    }

    @Test
    void rolling_back_twice_walks_two_steps_back() {
        RegisteredModelState state = given(withVersions(3, moved(CHAMPION, null, 1), moved(CHAMPION, 1, 2),
                moved(CHAMPION, 2, 3), rolledBack(CHAMPION, 3, 2, "bad", seconds(500))))
                .when(rollback(CHAMPION), NOW)
                .then(rolledBack(CHAMPION, 2, 1, "rolled back from version 2 to version 1", NOW))
                .stateAfter();

        assertThat(state.rollbackChain(CHAMPION)).isEmpty();
        assertThat(state.rollbackTarget(CHAMPION)).isEmpty();
    }

    @Test
    void after_a_rollback_a_new_move_can_be_rolled_back_to_the_restored_version() {
        given(withVersions(3, moved(CHAMPION, null, 1), moved(CHAMPION, 1, 2),
                rolledBack(CHAMPION, 2, 1, "bad", seconds(500)), moved(CHAMPION, 1, 3, seconds(600))))
                .when(rollback(CHAMPION), NOW)
                .then(rolledBack(CHAMPION, 3, 1, "rolled back from version 3 to version 1", NOW));
    }

    @Test
    void moving_back_by_hand_and_rolling_back_returns_to_the_version_left() {
        given(withVersions(2, moved(CHAMPION, null, 1), moved(CHAMPION, 1, 2), moved(CHAMPION, 2, 1)))
                .when(rollback(CHAMPION), NOW)
                .then(rolledBack(CHAMPION, 1, 2, "rolled back from version 1 to version 2", NOW));
    }

    @Test
    void rolling_back_a_deleted_alias_restores_it() {
        given(withVersions(2, moved(CHAMPION, null, 2), deleted(CHAMPION, 2, seconds(300))))
                .when(rollback(CHAMPION), NOW)
                .then(rolledBack(CHAMPION, null, 2, "restored to version 2 after it was deleted", NOW));
    }

    @Test
    void an_alias_set_only_once_has_nothing_to_roll_back_to() {
        given(withVersions(2, moved(CHAMPION, null, 2)))
                .when(rollback(CHAMPION), NOW)
                .thenRejected(RejectionCode.NO_ALIAS_HISTORY, "points at version 2", "no earlier version");
    }

    @Test
    void an_alias_never_set_has_nothing_to_roll_back_to() {
        given(withVersions(2))
                .when(rollback(CHAMPION), NOW)
                .thenRejected(RejectionCode.NO_ALIAS_HISTORY, "never pointed at a version");
    }

    @Test
    void rolling_back_checks_the_alias_name() {
        given(withVersions(2))
                .when(rollback("Latest"), NOW)
                .thenRejected(RejectionCode.INVALID_ALIAS);
    }

    @Test
    void rolling_back_a_protected_alias_asks_for_approval() {
        given(withVersions(2, moved(CHAMPION, null, 1), moved(CHAMPION, 1, 2), protectedAlias(CHAMPION)))
                .when(rollback(CHAMPION), NOW)
                .then(new AliasChangeRequested(MODEL, CMD, CHAMPION, 2, 1, AliasMoveKind.ROLLBACK,
                        "rolled back from version 2 to version 1", null, ALICE, NOW));
    }

    @Test
    void the_history_shows_the_rollback_as_such() {
        RegisteredModelState state = given(withVersions(2, moved(CHAMPION, null, 1), moved(CHAMPION, 1, 2)))
                .when(rollback(CHAMPION), NOW).stateAfter();

        assertThat(state.champion().orElseThrow().version()).isEqualTo(1);
        assertThat(state.aliasHistory(CHAMPION)).last().isInstanceOfSatisfying(AliasMoved.class, m -> {
            assertThat(m.kind()).isEqualTo(AliasMoveKind.ROLLBACK);
            assertThat(m.previousVersion()).isEqualTo(2);
            assertThat(m.by()).isEqualTo(ALICE);
            assertThat(m.at()).isEqualTo(NOW);
        });
    }
}

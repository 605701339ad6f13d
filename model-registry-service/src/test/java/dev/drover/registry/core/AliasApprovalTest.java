package dev.drover.registry.core;

import dev.drover.registry.core.ModelEvent.AliasChangeApproved;
import dev.drover.registry.core.ModelEvent.AliasChangeRejected;
import dev.drover.registry.core.ModelEvent.AliasChangeRequested;
import dev.drover.registry.core.ModelEvent.AliasMoved;
import dev.drover.registry.core.ModelEvent.AliasProtected;
import dev.drover.registry.core.ModelEvent.AliasUnprotected;
import dev.drover.registry.core.ModelEvent.ModelCommandRejected;
import org.junit.jupiter.api.Test;

import static dev.drover.registry.core.ModelFixtures.ALICE;
import static dev.drover.registry.core.ModelFixtures.AUC;
import static dev.drover.registry.core.ModelFixtures.BOB;
import static dev.drover.registry.core.ModelFixtures.CHAMPION;
import static dev.drover.registry.core.ModelFixtures.CMD;
import static dev.drover.registry.core.ModelFixtures.MODEL;
import static dev.drover.registry.core.ModelFixtures.NOW;
import static dev.drover.registry.core.ModelFixtures.REQUEST;
import static dev.drover.registry.core.ModelFixtures.approve;
import static dev.drover.registry.core.ModelFixtures.created;
import static dev.drover.registry.core.ModelFixtures.given;
import static dev.drover.registry.core.ModelFixtures.moved;
import static dev.drover.registry.core.ModelFixtures.promote;
import static dev.drover.registry.core.ModelFixtures.protect;
import static dev.drover.registry.core.ModelFixtures.protectedAlias;
import static dev.drover.registry.core.ModelFixtures.registered;
import static dev.drover.registry.core.ModelFixtures.rejectChange;
import static dev.drover.registry.core.ModelFixtures.requested;
import static dev.drover.registry.core.ModelFixtures.seconds;
import static dev.drover.registry.core.ModelFixtures.setAlias;
import static dev.drover.registry.core.ModelFixtures.unprotect;
import static dev.drover.registry.core.ModelFixtures.withVersions;
import static org.assertj.core.api.Assertions.assertThat;

/** Protected aliases move only with the approval of a second principal; requests and decisions are events. */
class AliasApprovalTest {

    @Test
    void protecting_an_alias_is_recorded_with_who_and_why() {
        given(withVersions(1))
                .when(protect(CHAMPION), NOW)
                .then(new AliasProtected(MODEL, CHAMPION, "production traffic", BOB, NOW));
    }

    @Test
    void an_alias_can_be_protected_before_it_is_first_set() {
        RegisteredModelState state = given(created()).when(protect(CHAMPION), NOW).stateAfter();

        assertThat(state.isProtected(CHAMPION)).isTrue();
        assertThat(state.champion()).isEmpty();
    }

    @Test
    void protecting_twice_changes_nothing() {
        given(withVersions(1, protectedAlias(CHAMPION)))
                .when(protect(CHAMPION), NOW)
                .thenRejected(RejectionCode.UNCHANGED);
    }

    @Test
    void protecting_checks_the_alias_name() {
        given(withVersions(1))
                .when(protect("v2"), NOW)
                .thenRejected(RejectionCode.INVALID_ALIAS);
    }

    @Test
    void unprotecting_is_recorded() {
        given(withVersions(1, protectedAlias(CHAMPION)))
                .when(unprotect(CHAMPION), NOW)
                .then(new AliasUnprotected(MODEL, CHAMPION, "migration", BOB, NOW));
    }

    @Test
    void unprotecting_an_unprotected_alias_changes_nothing() {
        given(withVersions(1))
                .when(unprotect(CHAMPION), NOW)
                .thenRejected(RejectionCode.UNCHANGED);
    }

    @Test
    void setting_a_protected_alias_asks_for_approval_instead_of_moving_it() {
        RegisteredModelState state = given(withVersions(2, moved(CHAMPION, null, 1), protectedAlias(CHAMPION)))
                .when(setAlias(CHAMPION, 2), NOW)
                .then(new AliasChangeRequested(MODEL, CMD, CHAMPION, 1, 2, AliasMoveKind.SET, "because", null, ALICE,
                        NOW))
                .stateAfter();

        assertThat(state.champion().orElseThrow().version()).isEqualTo(1);
        assertThat(state.pendingApprovals()).singleElement().satisfies(p -> {
            assertThat(p.requestId()).isEqualTo(CMD);
            assertThat(p.alias()).isEqualTo(CHAMPION);
            assertThat(p.previousVersion()).isEqualTo(1);
            assertThat(p.version()).isEqualTo(2);
            assertThat(p.requestedBy()).isEqualTo(ALICE);
            assertThat(p.requestedAt()).isEqualTo(NOW);
        });
        assertThat(state.pendingApprovalFor(CHAMPION)).isPresent();
    }

    @Test
    void a_second_request_while_one_is_pending_is_refused() {
        given(withVersions(3, moved(CHAMPION, null, 1), protectedAlias(CHAMPION), requested(CHAMPION, 1, 2)))
                .when(setAlias(CHAMPION, 3), NOW)
                .thenRejected(RejectionCode.APPROVAL_PENDING, REQUEST, "approve or reject it first");
    }

    @Test
    void approval_by_another_principal_moves_the_alias_and_records_both() {
        RegisteredModelState state = given(withVersions(2, moved(CHAMPION, null, 1), protectedAlias(CHAMPION),
                requested(CHAMPION, 1, 2)))
                .when(approve(REQUEST, BOB), NOW)
                .then(new AliasChangeApproved(MODEL, REQUEST, CHAMPION, "looks good", BOB, NOW),
                        new AliasMoved(MODEL, CHAMPION, 1, 2, AliasMoveKind.SET, "because", null,
                                new Approval(REQUEST, BOB, "looks good"), ALICE, NOW))
                .stateAfter();

        assertThat(state.champion().orElseThrow().version()).isEqualTo(2);
        assertThat(state.pendingApprovals()).isEmpty();
        assertThat(state.aliasHistory(CHAMPION)).last().isInstanceOfSatisfying(AliasMoved.class,
                m -> assertThat(m.approval().approvedBy()).isEqualTo(BOB));
    }

    @Test
    void the_requester_cannot_approve_their_own_request() {
        given(withVersions(2, moved(CHAMPION, null, 1), protectedAlias(CHAMPION), requested(CHAMPION, 1, 2)))
                .when(approve(REQUEST, ALICE), NOW)
                .thenRejected(RejectionCode.SELF_REVIEW, "another principal");
    }

    @Test
    void rejection_by_another_principal_leaves_the_alias_and_closes_the_request() {
        RegisteredModelState state = given(withVersions(2, moved(CHAMPION, null, 1), protectedAlias(CHAMPION),
                requested(CHAMPION, 1, 2)))
                .when(rejectChange(REQUEST, BOB), NOW)
                .then(new AliasChangeRejected(MODEL, REQUEST, CHAMPION, "not now", BOB, NOW))
                .stateAfter();

        assertThat(state.champion().orElseThrow().version()).isEqualTo(1);
        assertThat(state.pendingApprovals()).isEmpty();
    }

    @Test
    void the_requester_cannot_reject_their_own_request_either() {
        given(withVersions(2, moved(CHAMPION, null, 1), protectedAlias(CHAMPION), requested(CHAMPION, 1, 2)))
                .when(rejectChange(REQUEST, ALICE), NOW)
                .thenRejected(RejectionCode.SELF_REVIEW);
    }

    @Test
    void approving_an_unknown_request_is_refused() {
        given(withVersions(2, protectedAlias(CHAMPION), requested(CHAMPION, null, 2)))
                .when(approve("req-9", BOB), NOW)
                .thenRejected(RejectionCode.APPROVAL_NOT_FOUND, "req-9", "pending: " + REQUEST);
    }

    @Test
    void a_request_can_be_decided_only_once() {
        given(withVersions(2, protectedAlias(CHAMPION), requested(CHAMPION, null, 2),
                new AliasChangeRejected(MODEL, REQUEST, CHAMPION, "no", BOB, seconds(300))))
                .when(approve(REQUEST, BOB), NOW)
                .thenRejected(RejectionCode.APPROVAL_NOT_FOUND, "nothing is pending");
    }

    @Test
    void rejecting_an_unknown_request_is_refused() {
        given(withVersions(2))
                .when(rejectChange(REQUEST, BOB), NOW)
                .thenRejected(RejectionCode.APPROVAL_NOT_FOUND);
    }

    @Test
    void a_request_made_stale_by_a_move_after_unprotecting_cannot_be_approved() {
        given(withVersions(3, moved(CHAMPION, null, 1), protectedAlias(CHAMPION), requested(CHAMPION, 1, 2),
                new AliasUnprotected(MODEL, CHAMPION, "hotfix", BOB, seconds(250)),
                moved(CHAMPION, 1, 3, seconds(260))))
                .when(approve(REQUEST, BOB), NOW)
                .thenRejected(RejectionCode.STALE_APPROVAL, "version 1 then, version 3 now", "ask again");
    }

    @Test
    void a_winning_promotion_on_a_protected_alias_waits_for_approval_with_its_numbers() {
        AliasChangeRequested request = given(created(), registered(1, 0.80), registered(2, 0.85),
                moved(CHAMPION, null, 1), protectedAlias(CHAMPION))
                .when(promote(2, AUC), NOW)
                .single(AliasChangeRequested.class);

        assertThat(request.kind()).isEqualTo(AliasMoveKind.PROMOTION);
        assertThat(request.previousVersion()).isEqualTo(1);
        assertThat(request.version()).isEqualTo(2);
        assertThat(request.evaluation().championValue()).isEqualTo(0.80);
        assertThat(request.evaluation().challengerValue()).isEqualTo(0.85);
        assertThat(request.reason()).isEqualTo(request.evaluation().explanation());
    }

    @Test
    void approving_a_promotion_moves_the_alias_as_a_promotion_with_its_numbers() {
        PromotionEvaluation evaluation = PromotionEvaluation.evaluate(AUC, 2, 0.85, 1, 0.80);
        AliasChangeRequested request = new AliasChangeRequested(MODEL, REQUEST, CHAMPION, 1, 2,
                AliasMoveKind.PROMOTION, evaluation.explanation(), evaluation, "promote-task", seconds(200));

        given(created(), registered(1, 0.80), registered(2, 0.85), moved(CHAMPION, null, 1),
                protectedAlias(CHAMPION), request)
                .when(approve(REQUEST, BOB), NOW)
                .then(new AliasChangeApproved(MODEL, REQUEST, CHAMPION, "looks good", BOB, NOW),
                        new AliasMoved(MODEL, CHAMPION, 1, 2, AliasMoveKind.PROMOTION, evaluation.explanation(),
                                evaluation, new Approval(REQUEST, BOB, "looks good"), "promote-task", NOW));
    }

    @Test
    void a_losing_promotion_on_a_protected_alias_is_declined_without_a_request() {
        given(created(), registered(1, 0.80), registered(2, 0.75), moved(CHAMPION, null, 1),
                protectedAlias(CHAMPION))
                .when(promote(2, AUC), NOW)
                .single(ModelEvent.PromotionDeclined.class);
    }

    @Test
    void unprotecting_keeps_pending_requests_and_they_can_still_be_approved() {
        RegisteredModelState state = given(withVersions(2, moved(CHAMPION, null, 1), protectedAlias(CHAMPION),
                requested(CHAMPION, 1, 2)))
                .when(unprotect(CHAMPION), NOW).stateAfter();

        assertThat(state.pendingApproval(REQUEST)).isPresent();
        Decision<ModelEvent> d = new ModelDecider().decide(state, approve(REQUEST, BOB), NOW.plusSeconds(1));
        assertThat(d.events()).hasSize(2).noneMatch(e -> e instanceof ModelCommandRejected);
    }

    @Test
    void a_direct_set_of_an_unprotected_alias_never_asks_for_approval() {
        given(withVersions(2, moved(CHAMPION, null, 1)))
                .when(setAlias(CHAMPION, 2), NOW)
                .single(AliasMoved.class);
    }
}

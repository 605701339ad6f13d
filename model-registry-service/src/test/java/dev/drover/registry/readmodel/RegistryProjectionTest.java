package dev.drover.registry.readmodel;

import dev.drover.registry.core.FeatureSetEvent;
import dev.drover.registry.core.ModelEvent;
import dev.drover.registry.core.ModelEvent.ModelCommandRejected;
import dev.drover.registry.wire.EventEnvelope;
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

import static dev.drover.registry.readmodel.RegistryStory.ALICE;
import static dev.drover.registry.readmodel.RegistryStory.BOB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The projection of a history holding every kind of registry event into a real PostgreSQL, read back through
 * {@link RegistryQueries}. Envelopes are fed to {@link RegistryProjection} directly, as if from partition 0 at
 * offsets 0, 1, 2 …; the projector's Kafka side is {@link RegistryProjectorTest}'s business.
 */
class RegistryProjectionTest {
    private static final String MODEL = "churn";
    private static final String FEATURE_SET = "churn-features";
    private static final RegistryProjection PROJECTION = new RegistryProjection();

    private static RegistryStory story;
    private static DataSource db;
    private static RegistryQueries queries;

    @BeforeAll
    static void project() throws SQLException {
        story = RegistryStory.everyEventType("proj", MODEL, FEATURE_SET);
        db = ReadModelDatabase.fresh(RegistryProjectionTest.class.getSimpleName());
        queries = new RegistryQueries(db);
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
        Set<Class<?>> kinds = new HashSet<>();
        collectRecords(ModelEvent.class, kinds);
        collectRecords(FeatureSetEvent.class, kinds);
        Set<Class<?>> told = new HashSet<>();
        story.envelopes().forEach(e -> told.add(e.event().getClass()));
        assertThat(told).as("event kinds in the story: add the new kind to RegistryStory.everyEventType and "
                + "project it in RegistryProjection").containsExactlyInAnyOrderElementsOf(kinds);
    }

    private static void collectRecords(Class<?> sealed, Set<Class<?>> out) {
        for (Class<?> c : sealed.getPermittedSubclasses()) {
            if (c.isSealed()) {
                collectRecords(c, out);
            } else {
                out.add(c);
            }
        }
    }

    @Test
    void theModelHasItsTagsVersionsAliasesAndRetention() {
        ModelView m = queries.model(MODEL).orElseThrow();
        assertThat(m.description()).isEqualTo("predicts churn");
        assertThat(m.tags()).isEqualTo(Map.of("owner", "alice"));
        assertThat(m.createdBy()).isEqualTo(ALICE);
        assertThat(m.createdAt()).isEqualTo(story.envelopes().get(0).at());
        EventEnvelope lastChange = story.envelopes().stream()
                .filter(e -> e.event() instanceof ModelEvent && !(e.event() instanceof ModelCommandRejected))
                .reduce((a, b) -> b).orElseThrow();
        assertThat(m.updatedAt()).isEqualTo(lastChange.at());
        assertThat(m.latestVersion()).isEqualTo(2);
        assertThat(m.aliases()).isEqualTo(Map.of("champion", 1));
        assertThat(m.protectedAliases()).isEmpty();
        assertThat(m.retention()).isEqualTo(new ModelView.Retention(1, "PT720H"));
        assertThat(queries.model("nobody")).isEmpty();
    }

    @Test
    void versionsHaveTheirRegistrationStageTagsAndAliases() {
        ModelVersionView v1 = queries.version(MODEL, 1).orElseThrow();
        assertThat(v1.artifactLocation()).isEqualTo("s3://models/churn/1");
        assertThat(v1.description()).isEqualTo("first");
        assertThat(v1.params()).isEqualTo(Map.of("depth", "4"));
        assertThat(v1.metrics()).isEqualTo(Map.of("auc", 0.80));
        assertThat(v1.lineage()).isEqualTo(new ModelVersionView.Lineage("train.1", "train", "abc123",
                new ModelVersionView.FeatureSetVersionRef(FEATURE_SET, 1)));
        assertThat(v1.tags()).isEmpty();
        assertThat(v1.stage()).isEqualTo("Archived");
        assertThat(v1.aliases()).containsExactly("champion");
        assertThat(v1.updatedAt()).isAfter(v1.createdAt());

        ModelVersionView v2 = queries.version(MODEL, 2).orElseThrow();
        assertThat(v2.metrics()).isEqualTo(Map.of("auc", 0.85, "loss", 0.3));
        assertThat(v2.lineage()).isEqualTo(new ModelVersionView.Lineage(null, null, null, null));
        assertThat(v2.tags()).isEqualTo(Map.of("validated", "yes"));
        assertThat(v2.stage()).isEqualTo("Production");
        assertThat(v2.aliases()).isEmpty();
        assertThat(queries.version(MODEL, 3)).isEmpty();
    }

    @Test
    void versionsArePagedNewestFirst() {
        Page<ModelVersionView> first = queries.versions(MODEL, 1, null);
        assertThat(first.items()).extracting(ModelVersionView::version).containsExactly(2);
        assertThat(first.nextPageToken()).isNotNull();
        Page<ModelVersionView> second = queries.versions(MODEL, 1, first.nextPageToken());
        assertThat(second.items()).extracting(ModelVersionView::version).containsExactly(1);
        assertThat(second.nextPageToken()).isNull();
        assertThat(queries.versions(MODEL, 10, null).items()).extracting(ModelVersionView::version)
                .containsExactly(2, 1);

        assertThatThrownBy(() -> queries.versions(MODEL, 0, null))
                .isInstanceOf(RegistryQueries.InvalidQueryException.class).hasMessageContaining("between 1 and");
        assertThatThrownBy(() -> queries.versions(MODEL, 10, "not-a-token"))
                .isInstanceOf(RegistryQueries.InvalidQueryException.class).hasMessageContaining("nextPageToken");
        // a models token is not a versions token
        String modelsToken = queries.models(null, 1, null).nextPageToken();
        if (modelsToken != null) {
            assertThatThrownBy(() -> queries.versions(MODEL, 10, modelsToken))
                    .isInstanceOf(RegistryQueries.InvalidQueryException.class);
        }
    }

    @Test
    void theAliasLookupReturnsTheVersionAndHowTheAliasGotThere() {
        AliasView champion = queries.alias(MODEL, "champion").orElseThrow();
        assertThat(champion.version()).isEqualTo(queries.version(MODEL, 1).orElseThrow());
        assertThat(champion.kind()).isEqualTo("ROLLBACK");
        assertThat(champion.reason()).isEqualTo("v2 misbehaves");
        assertThat(champion.movedBy()).as("the requester, not the approver").isEqualTo(ALICE);
        assertThat(queries.alias(MODEL, "staging")).as("deleted").isEmpty();
        assertThat(queries.alias(MODEL, "never")).isEmpty();
    }

    @Test
    void aliasHistoryHoldsEveryMoveAndDeletionWithItsEvidence() {
        List<AliasChangeView> champion = queries.aliasHistory(MODEL, "champion");
        assertThat(champion).extracting(c -> c.previousVersion() + "->" + c.version() + " " + c.kind() + " by "
                + c.by()).containsExactly("null->1 SET by alice", "1->2 PROMOTION by alice",
                "2->1 ROLLBACK by alice");
        @SuppressWarnings("unchecked")
        Map<String, Object> evaluation = (Map<String, Object>) champion.get(1).evaluation();
        assertThat(evaluation).containsEntry("challengerVersion", 2).containsEntry("holderVersion", 1)
                .containsEntry("challengerValue", 0.85).containsEntry("holderValue", 0.8)
                .containsEntry("promote", true);
        assertThat((String) evaluation.get("explanation")).startsWith("version 2 wins");
        assertThat(champion.get(1).approval()).isNull();
        @SuppressWarnings("unchecked")
        Map<String, Object> approval = (Map<String, Object>) champion.get(2).approval();
        assertThat(approval).containsEntry("approvedBy", BOB).containsEntry("comment", "agreed");
        assertThat(champion.get(0).at()).isBefore(champion.get(1).at());

        assertThat(queries.aliasHistory(MODEL, "staging")).extracting(c -> c.previousVersion() + "->" + c.version()
                + " " + c.kind() + " " + c.reason()).containsExactly("null->2 SET null", "2->null null cleanup");
    }

    @Test
    void requestsToMoveProtectedAliasesKeepTheirDecision() {
        List<AliasChangeRequestView> all = queries.aliasChangeRequests(MODEL, null);
        assertThat(all).extracting(r -> r.alias() + " " + r.previousVersion() + "->" + r.version() + " " + r.kind()
                        + " " + r.status() + " by " + r.decidedBy() + ": " + r.comment())
                .containsExactly("champion 2->1 ROLLBACK APPROVED by bob: agreed",
                        "champion 1->2 SET REJECTED by bob: not yet");
        assertThat(all).allSatisfy(r -> {
            assertThat(r.requestedBy()).isEqualTo(ALICE);
            assertThat(r.decidedAt()).isAfter(r.requestedAt());
        });
        assertThat(queries.aliasChangeRequests(MODEL, "PENDING")).isEmpty();
        assertThat(queries.aliasChangeRequests(MODEL, "REJECTED")).hasSize(1);
        assertThat(queries.aliasChangeRequest(MODEL, all.get(0).requestId())).contains(all.get(0));
        assertThat(queries.aliasChangeRequest("other", all.get(0).requestId())).isEmpty();
    }

    @Test
    void theHistoryHasEveryEventOfTheModelInLogOrderRejectionsIncluded() {
        List<EventEnvelope> modelEnvelopes = story.envelopes().stream()
                .filter(e -> e.event() instanceof ModelEvent).toList();
        List<ModelEventView> history = queries.history(MODEL);
        assertThat(history).extracting(ModelEventView::eventId)
                .containsExactlyElementsOf(modelEnvelopes.stream().map(EventEnvelope::eventId).toList());
        assertThat(history).extracting(ModelEventView::type).containsExactlyElementsOf(
                modelEnvelopes.stream().map(e -> e.event().getClass().getSimpleName()).toList());
        ModelEventView created = history.get(0);
        assertThat(created.by()).isEqualTo(ALICE);
        assertThat(created.correlationId()).isEqualTo("corr-" + created.causationId());
        @SuppressWarnings("unchecked")
        Map<String, Object> payload = (Map<String, Object>) created.payload();
        assertThat(payload).containsEntry("modelName", MODEL).containsEntry("tags", Map.of("team", "risk"))
                .containsEntry("at", created.at().toString());
        ModelEventView rejected = history.get(history.size() - 1);
        assertThat(rejected.type()).isEqualTo("ModelCommandRejected");
        assertThat(rejected.by()).isNull();
        assertThat(rejected.payload()).asString().contains("MODEL_EXISTS");
    }

    @Test
    void decidedCommandsPointAtTheLastEventOfEachCommand() {
        List<EventEnvelope> all = story.envelopes();
        for (int offset = 0; offset < all.size(); offset++) {
            EventEnvelope e = all.get(offset);
            if (!e.last()) {
                continue;
            }
            DecidedCommand decided = queries.decidedCommand(e.causationId()).orElseThrow();
            assertThat(decided.partition()).isZero();
            assertThat(decided.lastOffset()).isEqualTo(offset);
            assertThat(decided.key()).isEqualTo(e.key());
            if (e.event() instanceof dev.drover.registry.core.Rejection r) {
                assertThat(decided.rejected()).isEqualTo(r.code().name());
                assertThat(decided.rejectionMessage()).isEqualTo(r.message());
            } else {
                assertThat(decided.rejected()).isNull();
            }
        }
        assertThat(all.stream().filter(EventEnvelope::last).map(EventEnvelope::causationId).distinct().count())
                .isEqualTo(all.stream().map(EventEnvelope::causationId).distinct().count());
        assertThat(queries.decidedCommand("never-sent")).isEmpty();

        // an approval is two events; both can be found from its command id
        EventEnvelope approved = all.stream().filter(e -> e.event() instanceof ModelEvent.AliasChangeApproved)
                .findFirst().orElseThrow();
        assertThat(queries.eventsOfCommand(approved.causationId())).extracting(ModelEventView::type)
                .containsExactly("AliasChangeApproved", "AliasMoved");
    }

    @Test
    void featureSetsHaveTheirVersionsInTheApiShape() {
        assertThat(queries.featureSets()).singleElement().satisfies(f -> {
            assertThat(f.name()).isEqualTo(FEATURE_SET);
            assertThat(f.latestVersion()).isEqualTo(1);
        });
        FeatureSetVersionView v = queries.featureSetVersion(FEATURE_SET, null).orElseThrow();
        assertThat(queries.featureSetVersion(FEATURE_SET, 1)).contains(v);
        assertThat(queries.featureSetVersion(FEATURE_SET, 2)).isEmpty();
        assertThat(queries.featureSetVersion("none", null)).isEmpty();
        assertThat(v.description()).isEqualTo("January");
        assertThat(v.dataLocation()).isEqualTo("s3://features/jan");
        assertThat(v.createdBy()).isEqualTo(ALICE);
        assertThat(v.schema()).isEqualTo(Map.of("features", List.of(Map.of("name", "tenure", "type", "NUMERIC"),
                Map.of("name", "plan", "type", "CATEGORICAL"))));
        assertThat(v.statistics()).isEqualTo(Map.of("rowCount", 100, "features", Map.of(
                "tenure", Map.of("missing", 2, "histogram", Map.of("edges", List.of(0.0, 12.0, 60.0),
                                "counts", List.of(60, 38)),
                        "quantiles", List.of(Map.of("p", 0.0, "value", 0.0), Map.of("p", 0.5, "value", 10.5),
                                Map.of("p", 1.0, "value", 60.0))),
                "plan", Map.of("missing", 5, "categories", Map.of("basic", 55, "pro", 40)))));
        String registeredBy = story.envelopes().stream()
                .filter(e -> e.event() instanceof FeatureSetEvent.FeatureSetVersionRegistered)
                .findFirst().orElseThrow().causationId();
        assertThat(queries.featureSetVersionOfCommand(registeredBy)).contains(v);
    }

    @Test
    void modelsAreListedByNameWithAPatternAndPages() throws SQLException {
        RegistryStory other = new RegistryStory("list");
        other.model(new dev.drover.registry.core.ModelCommand.CreateModel(other.nextId(), "Churn_v2", null, null,
                ALICE));
        other.model(new dev.drover.registry.core.ModelCommand.CreateModel(other.nextId(), "fraud", null, null,
                ALICE));
        try (Connection c = db.getConnection()) {
            long offset = 1000;
            for (EventEnvelope e : other.envelopes()) {
                PROJECTION.apply(c, e, 1, offset++);
            }
        }
        assertThat(queries.models(null, 100, null).items()).extracting(ModelView::name)
                .containsExactly("Churn_v2", "churn", "fraud");
        assertThat(queries.models("%CHURN%", 100, null).items()).extracting(ModelView::name)
                .containsExactly("Churn_v2", "churn");
        Page<ModelView> first = queries.models(null, 2, null);
        assertThat(first.items()).extracting(ModelView::name).containsExactly("Churn_v2", "churn");
        Page<ModelView> second = queries.models(null, 2, first.nextPageToken());
        assertThat(second.items()).extracting(ModelView::name).containsExactly("fraud");
        assertThat(second.nextPageToken()).isNull();
        assertThat(queries.model("fraud").orElseThrow().tags()).isEmpty();
    }

    @Test
    void projectingTheSameEventsAgainChangesNothing() throws SQLException {
        Map<String, List<String>> before = ReadModelDatabase.dump(db, MODEL);
        assertThat(applyAll(story.envelopes())).as("nothing applied twice").containsOnly(false);
        assertThat(ReadModelDatabase.dump(db, MODEL)).isEqualTo(before);
    }
}

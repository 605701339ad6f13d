package dev.drover.registry.core;

import dev.drover.registry.core.FeatureSetEvent.FeatureSetCommandRejected;
import dev.drover.registry.core.FeatureSetEvent.FeatureSetVersionRegistered;
import dev.drover.registry.core.ModelEvent.AliasChangeApproved;
import dev.drover.registry.core.ModelEvent.AliasChangeRejected;
import dev.drover.registry.core.ModelEvent.AliasChangeRequested;
import dev.drover.registry.core.ModelEvent.AliasDeleted;
import dev.drover.registry.core.ModelEvent.AliasMoved;
import dev.drover.registry.core.ModelEvent.AliasProtected;
import dev.drover.registry.core.ModelEvent.AliasUnprotected;
import dev.drover.registry.core.ModelEvent.ModelCommandRejected;
import dev.drover.registry.core.ModelEvent.ModelCreated;
import dev.drover.registry.core.ModelEvent.ModelDescriptionUpdated;
import dev.drover.registry.core.ModelEvent.ModelTagDeleted;
import dev.drover.registry.core.ModelEvent.ModelTagSet;
import dev.drover.registry.core.ModelEvent.PromotionDeclined;
import dev.drover.registry.core.ModelEvent.RetentionPolicySet;
import dev.drover.registry.core.ModelEvent.VersionDescriptionUpdated;
import dev.drover.registry.core.ModelEvent.VersionStageTransitioned;
import dev.drover.registry.core.ModelEvent.VersionTagDeleted;
import dev.drover.registry.core.ModelEvent.VersionTagSet;
import dev.drover.registry.core.ModelEvent.VersionsArchived;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static dev.drover.registry.core.FeatureSetFixtures.DATA;
import static dev.drover.registry.core.FeatureSetFixtures.FEATURE_SET;
import static dev.drover.registry.core.FeatureSetFixtures.SCHEMA;
import static dev.drover.registry.core.FeatureSetFixtures.STATS;
import static dev.drover.registry.core.FeatureSetFixtures.versionRegistered;
import static dev.drover.registry.core.ModelFixtures.ALICE;
import static dev.drover.registry.core.ModelFixtures.AUC;
import static dev.drover.registry.core.ModelFixtures.BOB;
import static dev.drover.registry.core.ModelFixtures.CHAMPION;
import static dev.drover.registry.core.ModelFixtures.MODEL;
import static dev.drover.registry.core.ModelFixtures.NOW;
import static dev.drover.registry.core.ModelFixtures.REQUEST;
import static dev.drover.registry.core.ModelFixtures.moved;
import static dev.drover.registry.core.ModelFixtures.policySet;
import static dev.drover.registry.core.ModelFixtures.protectedAlias;
import static dev.drover.registry.core.ModelFixtures.registered;
import static dev.drover.registry.core.ModelFixtures.requested;
import static dev.drover.registry.core.ModelFixtures.withVersions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Every event the registry can log has an applier: adding an event to {@link ModelEvent} or {@link FeatureSetEvent}
 * without teaching the aggregate's {@code apply} about it fails here (first because this test has no example of it,
 * then because applying the example fails or changes nothing). The events that are logged only for the record —
 * rejections and declined promotions — must change nothing.
 */
class EventApplierCoverageTest {

    /** A model with versions 1–3, champion on 1, a model tag, a version tag, a policy, and a pending request. */
    static List<ModelEvent> modelBackground() {
        return List.of(withVersions(3, moved(CHAMPION, null, 1),
                new ModelTagSet(MODEL, "owner", "growth", ALICE, NOW),
                new VersionTagSet(MODEL, 1, "k", "v", ALICE, NOW),
                policySet(new RetentionPolicy(2, Duration.ZERO)), protectedAlias("prod"), requested("prod", null, 2)));
    }

    /** One example of every model event, each valid on top of {@link #modelBackground()}. */
    static final Map<Class<?>, ModelEvent> MODEL_EXAMPLES = examples(
            new ModelCreated(MODEL, "another description", Map.of(), BOB, NOW),
            registered(4),
            new ModelDescriptionUpdated(MODEL, "predicts churn within 30 days", ALICE, NOW),
            new VersionDescriptionUpdated(MODEL, 2, "retrained on February's data", ALICE, NOW),
            new ModelTagSet(MODEL, "team", "risk", ALICE, NOW),
            new ModelTagDeleted(MODEL, "owner", ALICE, NOW),
            new VersionTagSet(MODEL, 2, "validated", "true", ALICE, NOW),
            new VersionTagDeleted(MODEL, 1, "k", ALICE, NOW),
            new VersionStageTransitioned(MODEL, 2, ModelStage.NONE, ModelStage.STAGING, ALICE, NOW),
            new VersionsArchived(MODEL, List.of(2), "retention", ALICE, NOW),
            new RetentionPolicySet(MODEL, new RetentionPolicy(5, Duration.ofDays(30)), ALICE, NOW),
            new AliasProtected(MODEL, CHAMPION, "traffic", BOB, NOW),
            new AliasUnprotected(MODEL, "prod", "done", BOB, NOW),
            new AliasChangeRequested(MODEL, "req-2", CHAMPION, 1, 3, AliasMoveKind.SET, "why", null, ALICE, NOW),
            new AliasChangeApproved(MODEL, REQUEST, "prod", "ok", BOB, NOW),
            new AliasChangeRejected(MODEL, REQUEST, "prod", "no", BOB, NOW),
            new AliasMoved(MODEL, CHAMPION, 1, 2, AliasMoveKind.SET, "why", null, null, ALICE, NOW),
            new AliasDeleted(MODEL, CHAMPION, 1, "why", ALICE, NOW),
            new PromotionDeclined(MODEL, CHAMPION, PromotionEvaluation.evaluate(AUC, 2, 0.7, 1, 0.8), "worse", ALICE,
                    NOW),
            new ModelCommandRejected(MODEL, "c-9", RejectionCode.UNCHANGED, "nothing to do"));

    static final Set<Class<?>> MODEL_RECORD_ONLY = Set.of(PromotionDeclined.class, ModelCommandRejected.class);

    static final Map<Class<?>, FeatureSetEvent> FEATURE_SET_EXAMPLES = examples(
            new FeatureSetVersionRegistered(FEATURE_SET, 2, null, SCHEMA, DATA, STATS, ALICE, NOW),
            new FeatureSetCommandRejected(FEATURE_SET, "c-9", RejectionCode.INVALID_ARGUMENT, "bad statistics"));

    /** Every concrete event type under {@code root}, found through the sealed hierarchy. */
    static Set<Class<?>> eventClasses(Class<?> root) {
        Set<Class<?>> out = new LinkedHashSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            Class<?> c = todo.poll();
            if (c.isSealed()) {
                todo.addAll(List.of(c.getPermittedSubclasses()));
            } else if (!c.isInterface()) {
                out.add(c);
            }
        }
        return out;
    }

    @Test
    void the_hierarchies_are_found() {
        assertThat(eventClasses(ModelEvent.class)).contains(AliasMoved.class, AliasDeleted.class,
                ModelCommandRejected.class).hasSizeGreaterThanOrEqualTo(18)
                .allMatch(ModelEvent.class::isAssignableFrom);
        assertThat(eventClasses(FeatureSetEvent.class)).containsExactlyInAnyOrder(FeatureSetVersionRegistered.class,
                FeatureSetCommandRejected.class);
    }

    @Test
    void every_event_type_has_an_example_here() {
        assertThat(MODEL_EXAMPLES.keySet()).as("add an example of each new model event to %s",
                getClass().getSimpleName()).containsExactlyInAnyOrderElementsOf(eventClasses(ModelEvent.class));
        assertThat(FEATURE_SET_EXAMPLES.keySet()).as("add an example of each new feature-set event")
                .containsExactlyInAnyOrderElementsOf(eventClasses(FeatureSetEvent.class));
    }

    @TestFactory
    Stream<DynamicTest> every_model_event_is_applied() {
        return coverage(ModelEvent.class, MODEL_EXAMPLES, MODEL_RECORD_ONLY, () -> {
            RegisteredModelState s = new RegisteredModelState(MODEL);
            modelBackground().forEach(s::apply);
            return s;
        }, RegisteredModelState::apply, ModelView::of);
    }

    @TestFactory
    Stream<DynamicTest> every_feature_set_event_is_applied() {
        return coverage(FeatureSetEvent.class, FEATURE_SET_EXAMPLES, Set.of(FeatureSetCommandRejected.class), () -> {
            FeatureSetState s = new FeatureSetState(FEATURE_SET);
            s.apply(versionRegistered(1, NOW));
            return s;
        }, FeatureSetState::apply, s -> List.copyOf(s.versions()));
    }

    private static <E, S> Stream<DynamicTest> coverage(Class<E> root, Map<Class<?>, E> examples,
                                                       Set<Class<?>> recordOnly, Supplier<S> background,
                                                       java.util.function.BiConsumer<S, E> apply,
                                                       Function<S, Object> view) {
        return eventClasses(root).stream().filter(examples::containsKey).map(type -> DynamicTest.dynamicTest(
                type.getSimpleName(), () -> {
                    S state = background.get();
                    Object before = view.apply(state);

                    assertThatCode(() -> apply.accept(state, examples.get(type))).doesNotThrowAnyException();
                    if (recordOnly.contains(type)) {
                        assertThat(view.apply(state)).as("%s is logged for the record and changes nothing",
                                type.getSimpleName()).isEqualTo(before);
                    } else {
                        assertThat(view.apply(state)).as("applying %s changes the state", type.getSimpleName())
                                .isNotEqualTo(before);
                    }
                }));
    }

    @SafeVarargs
    private static <E> Map<Class<?>, E> examples(E... events) {
        Map<Class<?>, E> out = new LinkedHashMap<>();
        for (E e : events) {
            out.put(e.getClass(), e);
        }
        return out;
    }
}

package dev.drover.registry.core;

import dev.drover.registry.core.ModelCommand.RegisterVersion;
import dev.drover.registry.core.ModelEvent.ModelCreated;
import dev.drover.registry.core.ModelEvent.VersionRegistered;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.drover.registry.core.ModelFixtures.ALICE;
import static dev.drover.registry.core.ModelFixtures.CMD;
import static dev.drover.registry.core.ModelFixtures.LINEAGE;
import static dev.drover.registry.core.ModelFixtures.MODEL;
import static dev.drover.registry.core.ModelFixtures.NOW;
import static dev.drover.registry.core.ModelFixtures.created;
import static dev.drover.registry.core.ModelFixtures.given;
import static dev.drover.registry.core.ModelFixtures.registerVersion;
import static dev.drover.registry.core.ModelFixtures.registered;
import static dev.drover.registry.core.ModelFixtures.withVersions;
import static org.assertj.core.api.Assertions.assertThat;

/** Registering versions: numbered 1, 2, 3 … from the state, with everything needed to trace where they came from. */
class RegisterVersionTest {

    static VersionRegistered expected(int version) {
        return new VersionRegistered(MODEL, version, "s3://models/churn/new", "nightly", Map.of("lr", "0.1"),
                Map.of("auc", 0.91), LINEAGE, Map.of("data", "2030-01"), ALICE, NOW);
    }

    @Test
    void the_first_version_is_1() {
        given(created())
                .when(registerVersion(Map.of("auc", 0.91)), NOW)
                .then(expected(1));
    }

    @Test
    void the_next_version_follows_the_latest() {
        given(withVersions(3))
                .when(registerVersion(Map.of("auc", 0.91)), NOW)
                .then(expected(4));
    }

    @Test
    void the_version_keeps_artifact_params_metrics_and_lineage() {
        ModelVersionState v = given(created())
                .when(registerVersion(Map.of("auc", 0.91)), NOW)
                .stateAfter().version(1).orElseThrow();

        assertThat(v.artifactLocation()).isEqualTo("s3://models/churn/new");
        assertThat(v.params()).containsEntry("lr", "0.1");
        assertThat(v.metric("auc")).contains(0.91);
        assertThat(v.lineage().runId()).isEqualTo("train.7");
        assertThat(v.lineage().taskId()).isEqualTo("train");
        assertThat(v.lineage().codeVersion()).isEqualTo("3f2c9e1");
        assertThat(v.lineage().featureSet()).isEqualTo(new FeatureSetRef("churn-features", 2));
        assertThat(v.tags()).containsEntry("data", "2030-01");
        assertThat(v.stage()).isEqualTo(ModelStage.NONE);
        assertThat(v.registeredBy()).isEqualTo(ALICE);
        assertThat(v.registeredAt()).isEqualTo(NOW);
    }

    @Test
    void registering_for_a_model_nobody_created_is_refused() {
        given()
                .when(registerVersion(Map.of("auc", 0.91)), NOW)
                .thenRejected(RejectionCode.MODEL_NOT_FOUND, "createModelIfMissing");
    }

    @Test
    void with_create_if_missing_the_model_and_its_first_version_come_together() {
        RegisterVersion c = new RegisterVersion(CMD, MODEL, "s3://models/churn/new", "nightly", Map.of("lr", "0.1"),
                Map.of("auc", 0.91), LINEAGE, Map.of("data", "2030-01"), true, ALICE);

        given()
                .when(c, NOW)
                .then(new ModelCreated(MODEL, null, Map.of(), ALICE, NOW), expected(1));
    }

    @Test
    void create_if_missing_on_an_existing_model_only_registers() {
        RegisterVersion c = new RegisterVersion(CMD, MODEL, "s3://models/churn/new", "nightly", Map.of("lr", "0.1"),
                Map.of("auc", 0.91), LINEAGE, Map.of("data", "2030-01"), true, ALICE);

        given(withVersions(1))
                .when(c, NOW)
                .then(expected(2));
    }

    @Test
    void create_if_missing_still_checks_the_name() {
        RegisterVersion c = new RegisterVersion(CMD, "a/b", "s3://x", null, null, null, null, null, true, ALICE);

        Decision<ModelEvent> d = new ModelDecider().decide(new RegisteredModelState("a/b"), c, NOW);

        assertThat(d.rejection().orElseThrow().code()).isEqualTo(RejectionCode.INVALID_NAME);
    }

    @Test
    void every_problem_of_a_registration_is_reported_at_once() {
        Map<String, Double> metrics = new java.util.HashMap<>();
        metrics.put("auc", Double.NaN);
        metrics.put("loss", null);
        RegisterVersion c = new RegisterVersion(CMD, MODEL, " ", null, Map.of("bad:key", "1", "long", "x".repeat(6001)),
                metrics, new Lineage(null, null, null, new FeatureSetRef("", 0)), Map.of("/abs", "v"), false, ALICE);

        given(created())
                .when(c, NOW)
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "artifactLocation is required", "bad:key",
                        "6001 characters", "metric 'auc' must be a finite number", "metric 'loss'", "/abs",
                        "lineage.featureSet: a feature set name cannot be empty", "start at 1");
    }

    @Test
    void a_registration_without_lineage_or_metrics_is_fine() {
        RegisterVersion c = new RegisterVersion(CMD, MODEL, "s3://x", null, null, null, null, null, false, ALICE);

        given(created())
                .when(c, NOW)
                .then(new VersionRegistered(MODEL, 1, "s3://x", null, Map.of(), Map.of(), Lineage.NONE, Map.of(),
                        ALICE, NOW));
    }

    @Test
    void registrations_racing_each_other_get_distinct_consecutive_numbers() {
        // Two pipelines register at once: their commands land in the model's partition in some order and the loop
        // decides each against the state the previous decision left.
        RegisteredModelState state = new RegisteredModelState(MODEL);
        state.apply(created());
        ModelDecider decider = new ModelDecider();
        List<Integer> numbers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            RegisterVersion c = new RegisterVersion("cmd-" + i, MODEL, "s3://models/churn/" + i, null, null,
                    Map.of("auc", 0.5 + i / 100.0), new Lineage(i % 2 == 0 ? "a.1" : "b.1", "train", null, null),
                    null, false, i % 2 == 0 ? "pipeline-a" : "pipeline-b");
            for (ModelEvent e : decider.decide(state, c, NOW).events()) {
                state.apply(e);
                numbers.add(((VersionRegistered) e).version());
            }
        }

        assertThat(numbers).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(state.versions()).extracting(ModelVersionState::artifactLocation)
                .containsExactly("s3://models/churn/0", "s3://models/churn/1", "s3://models/churn/2",
                        "s3://models/churn/3", "s3://models/churn/4", "s3://models/churn/5", "s3://models/churn/6",
                        "s3://models/churn/7", "s3://models/churn/8", "s3://models/churn/9");
    }

    @Test
    void numbering_comes_from_the_latest_version_in_the_state() {
        // why the loop must apply a decision before deciding the next command of the same model
        given(created(), registered(1), registered(2))
                .when(registerVersion(Map.of("auc", 0.91)), NOW)
                .then(expected(3));
    }
}

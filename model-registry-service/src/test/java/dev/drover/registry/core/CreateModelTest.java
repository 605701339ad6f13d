package dev.drover.registry.core;

import dev.drover.registry.core.ModelCommand.CreateModel;
import dev.drover.registry.core.ModelEvent.ModelCreated;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static dev.drover.registry.core.ModelFixtures.ALICE;
import static dev.drover.registry.core.ModelFixtures.CHAMPION;
import static dev.drover.registry.core.ModelFixtures.CMD;
import static dev.drover.registry.core.ModelFixtures.MODEL;
import static dev.drover.registry.core.ModelFixtures.NOW;
import static dev.drover.registry.core.ModelFixtures.created;
import static dev.drover.registry.core.ModelFixtures.createModel;
import static dev.drover.registry.core.ModelFixtures.given;
import static dev.drover.registry.core.ModelFixtures.setAlias;
import static org.assertj.core.api.Assertions.assertThat;

/** Creating registered models: names follow MLflow's rules, and a name is taken once. */
class CreateModelTest {

    @Test
    void a_new_name_creates_the_model() {
        given()
                .when(createModel(), NOW)
                .then(new ModelCreated(MODEL, "predicts churn", Map.of("team", "growth"), ALICE, NOW));
    }

    @Test
    void the_created_model_exists_with_its_description_and_tags_and_no_versions() {
        RegisteredModelState state = given().when(createModel(), NOW).stateAfter();

        assertThat(state.exists()).isTrue();
        assertThat(state.description()).isEqualTo("predicts churn");
        assertThat(state.tags()).containsEntry("team", "growth");
        assertThat(state.createdBy()).isEqualTo(ALICE);
        assertThat(state.createdAt()).isEqualTo(NOW);
        assertThat(state.versions()).isEmpty();
        assertThat(state.latestVersion()).isZero();
        assertThat(state.champion()).isEmpty();
    }

    @Test
    void a_name_that_is_taken_is_refused() {
        given(created())
                .when(createModel(), NOW)
                .thenRejected(RejectionCode.MODEL_EXISTS, "already exists", "register a new version");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "team/churn", "team\\churn", "50%", "churn\tmodel", "churn\n"})
    void names_mlflow_would_refuse_are_refused(String name) {
        new Scenario<>(new Scenario.Aggregate<>(() -> new RegisteredModelState(name), RegisteredModelState::apply,
                new ModelDecider()::decide, ModelView::of, ModelCommand::commandId), java.util.List.of())
                .when(new CreateModel(CMD, name, null, Map.of(), ALICE), NOW)
                .thenRejected(RejectionCode.INVALID_NAME);
    }

    @Test
    void a_name_longer_than_mlflow_allows_is_refused() {
        String name = "m".repeat(NamingRules.MAX_NAME_LENGTH + 1);
        RegisteredModelState state = new RegisteredModelState(name);

        Decision<ModelEvent> d = new ModelDecider().decide(state, new CreateModel(CMD, name, null, Map.of(), ALICE),
                NOW);

        assertThat(d.rejection().orElseThrow().code()).isEqualTo(RejectionCode.INVALID_NAME);
        assertThat(d.rejection().orElseThrow().message()).contains("at most 256");
    }

    @Test
    void names_with_spaces_dots_and_unicode_are_fine_as_in_mlflow() {
        String name = "Churn model v2.1 – Ü";
        Decision<ModelEvent> d = new ModelDecider().decide(new RegisteredModelState(name),
                new CreateModel(CMD, name, null, Map.of(), ALICE), NOW);

        assertThat(d.events()).containsExactly(new ModelCreated(name, null, Map.of(), ALICE, NOW));
    }

    @Test
    void invalid_tags_are_refused_with_every_problem() {
        given()
                .when(new CreateModel(CMD, MODEL, null, Map.of("a//b", "x", "ok", "y".repeat(5001)), ALICE), NOW)
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "a//b", "5001 characters");
    }

    @Test
    void any_other_command_on_a_model_nobody_created_is_refused() {
        given()
                .when(setAlias(CHAMPION, 1), NOW)
                .thenRejected(RejectionCode.MODEL_NOT_FOUND, "create it first");
    }
}

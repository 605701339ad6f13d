package dev.drover.registry.core;

import dev.drover.registry.core.ModelCommand.UpdateModelDescription;
import dev.drover.registry.core.ModelCommand.UpdateVersionDescription;
import dev.drover.registry.core.ModelEvent.ModelDescriptionUpdated;
import dev.drover.registry.core.ModelEvent.VersionDescriptionUpdated;
import org.junit.jupiter.api.Test;

import static dev.drover.registry.core.ModelFixtures.ALICE;
import static dev.drover.registry.core.ModelFixtures.CMD;
import static dev.drover.registry.core.ModelFixtures.MODEL;
import static dev.drover.registry.core.ModelFixtures.NOW;
import static dev.drover.registry.core.ModelFixtures.given;
import static dev.drover.registry.core.ModelFixtures.registered;
import static dev.drover.registry.core.ModelFixtures.seconds;
import static dev.drover.registry.core.ModelFixtures.withVersions;
import static org.assertj.core.api.Assertions.assertThat;

/** Descriptions of models and versions, which MLflow clients replace with update-registered-model / -model-version. */
class DescriptionTest {

    static UpdateModelDescription describeModel(String description) {
        return new UpdateModelDescription(CMD, MODEL, description, ALICE);
    }

    static UpdateVersionDescription describeVersion(int version, String description) {
        return new UpdateVersionDescription(CMD, MODEL, version, description, ALICE);
    }

    @Test
    void the_model_description_is_replaced() {
        RegisteredModelState state = given(withVersions(1))
                .when(describeModel("predicts churn within 30 days"), NOW)
                .then(new ModelDescriptionUpdated(MODEL, "predicts churn within 30 days", ALICE, NOW))
                .stateAfter();

        assertThat(state.description()).isEqualTo("predicts churn within 30 days");
        assertThat(state.lastUpdatedAt()).isEqualTo(NOW);
    }

    @Test
    void the_model_description_is_cleared_with_null() {
        RegisteredModelState state = given(withVersions(1))
                .when(describeModel(null), NOW)
                .then(new ModelDescriptionUpdated(MODEL, null, ALICE, NOW))
                .stateAfter();

        assertThat(state.description()).isNull();
    }

    @Test
    void the_same_model_description_changes_nothing() {
        // ModelFixtures.created() describes the model as "predicts churn"
        given(withVersions(1))
                .when(describeModel("predicts churn"), NOW)
                .thenRejected(RejectionCode.UNCHANGED, "already has this description");
    }

    @Test
    void describing_a_model_nobody_created_is_refused() {
        given()
                .when(describeModel("anything"), NOW)
                .thenRejected(RejectionCode.MODEL_NOT_FOUND, "create it first");
    }

    @Test
    void a_version_description_is_replaced_on_that_version_only() {
        RegisteredModelState state = given(withVersions(2))
                .when(describeVersion(2, "retrained on February's data"), NOW)
                .then(new VersionDescriptionUpdated(MODEL, 2, "retrained on February's data", ALICE, NOW))
                .stateAfter();

        assertThat(state.version(2).orElseThrow().description()).isEqualTo("retrained on February's data");
        assertThat(state.version(2).orElseThrow().lastUpdatedAt()).isEqualTo(NOW);
        assertThat(state.version(1).orElseThrow().description()).isNull();
        assertThat(state.lastUpdatedAt()).isEqualTo(NOW);
    }

    @Test
    void a_version_keeps_its_registered_description_until_it_is_replaced() {
        ModelEvent.VersionRegistered described = new ModelEvent.VersionRegistered(MODEL, 1, "s3://models/churn/1",
                "nightly", registered(1).params(), registered(1).metrics(), registered(1).lineage(),
                registered(1).tags(), ALICE, seconds(1));
        RegisteredModelState state = given(ModelFixtures.created(), described)
                .when(describeVersion(1, "nightly"), NOW)
                .thenRejected(RejectionCode.UNCHANGED, "version 1 already has this description")
                .stateAfter();

        assertThat(state.version(1).orElseThrow().description()).isEqualTo("nightly");
    }

    @Test
    void a_version_description_replaced_twice_keeps_the_latest() {
        given(withVersions(1, new VersionDescriptionUpdated(MODEL, 1, "first", ALICE, seconds(10))))
                .when(describeVersion(1, "first"), NOW)
                .thenRejected(RejectionCode.UNCHANGED);
        given(withVersions(1, new VersionDescriptionUpdated(MODEL, 1, "first", ALICE, seconds(10))))
                .when(describeVersion(1, "second"), NOW)
                .then(new VersionDescriptionUpdated(MODEL, 1, "second", ALICE, NOW));
    }

    @Test
    void describing_an_unknown_version_is_refused() {
        given(withVersions(2))
                .when(describeVersion(3, "anything"), NOW)
                .thenRejected(RejectionCode.VERSION_NOT_FOUND, "versions are 1 to 2");
    }

    @Test
    void describing_a_version_of_a_model_nobody_created_is_refused() {
        given()
                .when(describeVersion(1, "anything"), NOW)
                .thenRejected(RejectionCode.MODEL_NOT_FOUND);
    }
}

package dev.drover.registry.mlflow;

import dev.drover.registry.mlflow.OrderBy.Term;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.drover.registry.mlflow.SearchTarget.MODEL_VERSIONS;
import static dev.drover.registry.mlflow.SearchTarget.REGISTERED_MODELS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code order_by} with MLflow's defaults and tie-breakers. */
class OrderByTest {

    @Test
    void registeredModelsSortByNameUnlessToldOtherwise() {
        assertThat(OrderBy.parse(List.of(), REGISTERED_MODELS)).containsExactly(new Term("name", true));
        assertThat(OrderBy.parse(List.of("last_updated_timestamp DESC"), REGISTERED_MODELS))
                .containsExactly(new Term("last_updated_timestamp", false), new Term("name", true));
        assertThat(OrderBy.parse(List.of("name desc"), REGISTERED_MODELS)).containsExactly(new Term("name", false));
    }

    @Test
    void timestampMeansLastUpdatedTimestamp() {
        assertThat(OrderBy.parse(List.of("timestamp"), REGISTERED_MODELS))
                .containsExactly(new Term("last_updated_timestamp", true), new Term("name", true));
    }

    @Test
    void modelVersionsDefaultToNewestUpdateFirstThenNameThenNewestVersion() {
        assertThat(OrderBy.parse(List.of(), MODEL_VERSIONS)).containsExactly(
                new Term("last_updated_timestamp", false), new Term("name", true), new Term("version_number", false));
        assertThat(OrderBy.parse(List.of("`version_number` ASC", "attribute.name DESC"), MODEL_VERSIONS))
                .containsExactly(new Term("version_number", true), new Term("name", false));
    }

    @Test
    void refusesUnknownKeysBadDirectionsAndDuplicates() {
        assertThatThrownBy(() -> OrderBy.parse(List.of("version_number"), REGISTERED_MODELS))
                .isInstanceOf(MlflowException.class)
                .hasMessageContaining("Invalid order by key 'version_number'")
                .hasMessageContaining("[name, timestamp, last_updated_timestamp, creation_timestamp]");
        assertThatThrownBy(() -> OrderBy.parse(List.of("name UP"), REGISTERED_MODELS))
                .hasMessageContaining("the direction must be ASC or DESC");
        assertThatThrownBy(() -> OrderBy.parse(List.of("name ASC extra"), REGISTERED_MODELS))
                .hasMessageContaining("Could not be parsed");
        assertThatThrownBy(() -> OrderBy.parse(List.of("timestamp", "last_updated_timestamp DESC"),
                REGISTERED_MODELS)).hasMessageContaining("`order_by` contains duplicate fields");
    }
}

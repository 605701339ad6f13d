package dev.drover.registry.mlflow;

import dev.drover.registry.mlflow.FilterCondition.Comparator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static dev.drover.registry.mlflow.SearchTarget.MODEL_VERSIONS;
import static dev.drover.registry.mlflow.SearchTarget.REGISTERED_MODELS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** MLflow's filter grammar, as far as the registry serves it, and the errors for everything else. */
class SearchFilterTest {

    @Test
    void noFilterMeansNoCondition() {
        assertThat(SearchFilter.parse(null, REGISTERED_MODELS)).isEmpty();
        assertThat(SearchFilter.parse("   ", MODEL_VERSIONS)).isEmpty();
    }

    @Test
    void readsComparisonsJoinedByAnd() {
        List<FilterCondition> conditions = SearchFilter.parse(
                "name LIKE 'churn%' and tags.team = 'fraud' AND tags.`mlflow.prompt.is_prompt` != 'true'",
                REGISTERED_MODELS);

        assertThat(conditions).containsExactly(
                new FilterCondition(false, "name", Comparator.LIKE, List.of("churn%")),
                new FilterCondition(true, "team", Comparator.EQUALS, List.of("fraud")),
                new FilterCondition(true, "mlflow.prompt.is_prompt", Comparator.NOT_EQUALS, List.of("true")));
    }

    @Test
    void readsTheModelVersionAttributes() {
        List<FilterCondition> conditions = SearchFilter.parse("name='m' AND run_id IN ('r1', \"r2\") "
                + "AND source_path ILIKE 's3://%' AND version_number >= 3 AND tag.\"stage owner\" = 'ml'",
                MODEL_VERSIONS);

        assertThat(conditions).containsExactly(
                new FilterCondition(false, "name", Comparator.EQUALS, List.of("m")),
                new FilterCondition(false, "run_id", Comparator.IN, List.of("r1", "r2")),
                new FilterCondition(false, "source_path", Comparator.ILIKE, List.of("s3://%")),
                new FilterCondition(false, "version_number", Comparator.GREATER_OR_EQUAL, List.of("3")),
                new FilterCondition(true, "stage owner", Comparator.EQUALS, List.of("ml")));
    }

    @Test
    void keepsQuotesThatAreDoubledOrEscapedAndKeywordsInAnyCase() {
        assertThat(SearchFilter.parse("name = 'it''s' and run_id not in ('a\\'b')", MODEL_VERSIONS))
                .containsExactly(new FilterCondition(false, "name", Comparator.EQUALS, List.of("it's")),
                        new FilterCondition(false, "run_id", Comparator.NOT_IN, List.of("a'b")));
    }

    @Test
    void acceptsAQuotedVersionNumberAndAnAttributePrefix() {
        assertThat(SearchFilter.parse("attribute.version_number = '7'", MODEL_VERSIONS))
                .containsExactly(new FilterCondition(false, "version_number", Comparator.EQUALS, List.of("7")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "name = 'a' OR name = 'b'                  | OR is not supported at position 11",
            "(name = 'a')                              | parentheses around comparisons are not supported",
            "name = a                                  | expected a quoted string value after 'name =' at position 7",
            "name                                      | expected a comparator",
            "name = 'a' name = 'b'                     | expected AND or the end of the filter at position 11",
            "description = 'x'                         | invalid attribute key 'description'; valid keys for registered models are [name]",
            "metrics.acc > 0.9                         | invalid entity type 'metrics'",
            "name = 'unterminated                      | the quote ' opened at position 7 is never closed",
            "tags.team > 'a'                           | comparator '>' is not supported for tags",
            "name IS NULL                              | IS NULL and IS NOT NULL are not supported",
            "name IN ()                                | the list after IN is empty",
            "name IN 'a'                               | expected a parenthesised list of quoted strings after IN",
            "name = 'a' AND                            | expected an attribute or tags.<key> at position 14, found the end of the filter",
            "name = 'a' ; drop table x                 | unexpected character ';' at position 11",
    })
    void refusesWhatItCannotReadWithTheProblem(String filter, String problem) {
        assertThatThrownBy(() -> SearchFilter.parse(filter, REGISTERED_MODELS))
                .isInstanceOfSatisfying(MlflowException.class, e -> {
                    assertThat(e.code()).isEqualTo(MlflowErrorCode.INVALID_PARAMETER_VALUE);
                    assertThat(e.getMessage()).startsWith("Invalid filter \"" + filter + "\": ").contains(problem);
                });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "version_number = 'three'  | 'version_number' is compared with an integer",
            "version_number LIKE '1%'  | comparator 'LIKE' is not supported for 'version_number'",
            "source_path IN ('a')      | comparator 'IN' is not supported for 'source_path'",
            "run_id > 'a'              | comparator '>' is not supported for 'run_id'",
            "stage = 'Production'      | invalid attribute key 'stage'; valid keys for model versions are [name, run_id, source_path, version_number]",
    })
    void checksComparatorsAndValuesPerModelVersionAttribute(String filter, String problem) {
        assertThatThrownBy(() -> SearchFilter.parse(filter, MODEL_VERSIONS))
                .isInstanceOfSatisfying(MlflowException.class, e -> assertThat(e.getMessage()).contains(problem));
    }

    @Test
    void aVersionNumberIsOnlyAnAttributeOfModelVersions() {
        assertThatThrownBy(() -> SearchFilter.parse("version_number = 1", REGISTERED_MODELS))
                .hasMessageContaining("invalid attribute key 'version_number'");
        assertThatThrownBy(() -> SearchFilter.parse("run_id IN ('a')", REGISTERED_MODELS))
                .hasMessageContaining("invalid attribute key 'run_id'");
    }
}

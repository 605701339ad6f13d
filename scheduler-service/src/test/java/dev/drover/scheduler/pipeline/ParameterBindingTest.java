package dev.drover.scheduler.pipeline;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.drover.scheduler.pipeline.PipelineSpecParserTest.parsed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class ParameterBindingTest {
    private static final PipelineSpec SPEC = parsed("""
            id: train
            parameters:
              dataset: {description: where the data is}
              epochs: {type: integer, default: 10}
              lr: {type: number, default: 0.01}
              dryRun: {type: boolean, default: false}
              tag: {type: string, default: latest}
            tasks: [{id: a, type: noop}]
            """);

    @Test
    void defaultsFillWhatIsNotSupplied() {
        ParameterBinding.BindResult result = ParameterBinding.bind(SPEC, Map.of("dataset", "s3://d"));

        assertThat(result.ok()).isTrue();
        assertThat(result.problems()).isEmpty();
        assertThat(result.parameters()).containsExactly(
                Map.entry("dataset", "s3://d"),
                Map.entry("epochs", 10L),
                Map.entry("lr", 0.01),
                Map.entry("dryRun", false),
                Map.entry("tag", "latest"));
    }

    @Test
    void suppliedValuesAreCoercedToTheirTypes() {
        ParameterBinding.BindResult result = ParameterBinding.bind(SPEC,
                Map.of("dataset", "d", "epochs", "20", "lr", 1, "dryRun", "TRUE", "tag", 7));

        assertThat(result.parameters()).containsExactly(
                Map.entry("dataset", "d"),
                Map.entry("epochs", 20L),
                Map.entry("lr", 1.0),
                Map.entry("dryRun", true),
                Map.entry("tag", "7"));
        assertThat(ParameterBinding.bind(SPEC, Map.of("dataset", "d", "epochs", 30)).parameters().get("epochs"))
                .isEqualTo(30L);
        assertThat(ParameterBinding.bind(SPEC, Map.of("dataset", "d", "epochs", 4.0)).parameters().get("epochs"))
                .isEqualTo(4L);
    }

    @Test
    void aStringParameterIsTextOfAtMost64KiB() {
        ParameterBinding.BindResult tooLong = ParameterBinding.bind(SPEC, Map.of("dataset",
                "x".repeat(ParameterBinding.MAX_STRING_LENGTH + 1)));
        assertThat(tooLong.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("/parameters/dataset");
            assertThat(p.message()).contains("at most 65536").contains("path or URI");
        });
        assertThat(ParameterBinding.bind(SPEC, Map.of("dataset", "a\u0000b")).problems()).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("U+0000"));
        assertThat(ParameterBinding.bind(SPEC, Map.of("dataset", "x".repeat(ParameterBinding.MAX_STRING_LENGTH)))
                .ok()).isTrue();
    }

    @Test
    void aNullValueCountsAsNotSupplied() {
        Map<String, Object> supplied = new HashMap<>();
        supplied.put("dataset", "d");
        supplied.put("epochs", null);
        assertThat(ParameterBinding.bind(SPEC, supplied).parameters()).containsEntry("epochs", 10L);
    }

    @Test
    void everyProblemIsReportedWithItsPath() {
        ParameterBinding.BindResult result = ParameterBinding.bind(SPEC,
                Map.of("epochz", 3, "epochs", "ten", "lr", "fast", "dryRun", "yes", "tag", List.of("a")));

        assertThat(result.ok()).isFalse();
        assertThat(result.problems()).extracting(SpecProblem::path, SpecProblem::message).containsExactlyInAnyOrder(
                tuple("/parameters/epochz", "unknown parameter `epochz`; pipeline train declares dataset (string), "
                        + "epochs (integer), lr (number), dryRun (boolean), tag (string); fix the name or remove it; "
                        + "did you mean `epochs`?"),
                tuple("/parameters/dataset", "missing required parameter `dataset` (string: where the data is); "
                        + "supply it, e.g. dataset=text"),
                tuple("/parameters/epochs", "parameter `epochs` must be an integer, got a string (\"ten\"); supply a "
                        + "whole number, e.g. 10"),
                tuple("/parameters/lr", "parameter `lr` must be a number, got a string (\"fast\"); supply a number, "
                        + "e.g. 0.5"),
                tuple("/parameters/dryRun", "parameter `dryRun` must be a boolean, got a string (\"yes\"); supply "
                        + "true or false"),
                tuple("/parameters/tag", "parameter `tag` must be a string, got a list; supply text, e.g. \"v2\""));
        assertThatThrownBy(result::parameters).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void fractionsAndHugeNumbersAreNotIntegers() {
        assertThat(ParameterBinding.bind(SPEC, Map.of("dataset", "d", "epochs", 2.5)).ok()).isFalse();
        assertThat(ParameterBinding.bind(SPEC, Map.of("dataset", "d", "epochs", BigInteger.TEN.pow(30))).ok())
                .isFalse();
        assertThat(ParameterBinding.bind(SPEC, Map.of("dataset", "d", "epochs", "99999999999999999999")).ok())
                .isFalse();
    }

    @Test
    void aPipelineWithoutParametersRejectsAny() {
        PipelineSpec none = parsed("id: p\ntasks: [{id: a, type: noop}]\n");

        assertThat(ParameterBinding.bind(none, null).parameters()).isEmpty();
        assertThat(ParameterBinding.bind(none, Map.of("x", 1)).problems()).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("declares no parameters, so remove it"));
    }
}

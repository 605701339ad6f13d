package dev.drover.scheduler.pipeline;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code deadline} keys: parsed with clear problems, stored, and part of the hash. */
class DeadlineKeysTest {
    static final String DOC = """
            id: nightly
            deadline: 2h
            tasks:
              - {id: extract, type: noop, deadline: 30m}
              - {id: train, type: noop, dependsOn: [extract]}
            """;

    @Test
    void deadlinesAreReadIntoTheOptions() {
        ParseResult parsed = PipelineSpecParser.parse(DOC);
        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.spec().options().deadline()).isEqualTo(Duration.ofHours(2));
        assertThat(parsed.spec().task("extract").orElseThrow().options().deadline()).isEqualTo(Duration.ofMinutes(30));
        assertThat(parsed.spec().task("train").orElseThrow().options().deadline()).isNull();
    }

    @Test
    void storedSpecsKeepTheirDeadlinesAndAreValidDocumentsAgain() {
        PipelineSpec spec = PipelineSpecParser.parse(DOC).spec();
        String json = PipelineSpecs.toJson(spec);
        assertThat(PipelineSpecs.fromJson(json)).isEqualTo(spec);
        assertThat(json).contains("\"deadline\":\"2h\"").contains("\"deadline\":\"30m\"");
        ParseResult again = PipelineSpecParser.parse(json);
        assertThat(again.problems()).isEmpty();
        assertThat(again.spec()).isEqualTo(spec);
    }

    @Test
    void aDeadlineChangesTheHashAndNoDeadlineKeepsTheOldOne() {
        String without = "id: nightly\ntasks: [{id: extract, type: noop}]";
        String with = "id: nightly\ntasks: [{id: extract, type: noop, deadline: 30m}]";
        PipelineSpec plain = PipelineSpecParser.parse(without).spec();
        assertThat(PipelineSpecs.toJson(plain)).doesNotContain("deadline");
        assertThat(PipelineSpecParser.parse(with).spec()).isNotEqualTo(plain);
        assertThat(((ParseResult.Parsed) PipelineSpecParser.parse(with)).hash())
                .isNotEqualTo(((ParseResult.Parsed) PipelineSpecParser.parse(without)).hash());
    }

    @Test
    void badDeadlinesSayWhatToWrite() {
        ParseResult parsed = PipelineSpecParser.parse("""
                id: nightly
                deadline: 0s
                tasks:
                  - {id: extract, type: noop, deadline: 90}
                  - {id: train, type: noop, deadline: soon}
                """);
        assertThat(parsed.problems()).extracting(SpecProblem::path)
                .containsExactly("/deadline", "/tasks/0/deadline", "/tasks/1/deadline");
        assertThat(parsed.problems().get(0).message()).contains("longer than zero").contains("2h");
        assertThat(parsed.problems().get(1).message()).contains("need a unit").contains("90m");
        assertThat(parsed.problems().get(2).message()).contains("not a duration");
    }
}

package dev.drover.scheduler.pipeline;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code schedule} and {@code maxActiveRuns}: parsed with clear problems, stored and read back unchanged. */
class ScheduleOptionsTest {
    private static final String TASKS = "id: p\ntasks: [{id: t, type: noop}]\n";

    private static PipelineSpec parsed(String yaml) {
        ParseResult r = PipelineSpecParser.parse(yaml);
        assertThat(r).as(r.toString()).isInstanceOf(ParseResult.Parsed.class);
        return ((ParseResult.Parsed) r).spec();
    }

    private static List<String> problems(String yaml) {
        ParseResult r = PipelineSpecParser.parse(yaml);
        assertThat(r).isInstanceOf(ParseResult.Invalid.class);
        return ((ParseResult.Invalid) r).problems().stream().map(p -> p.path() + ": " + p.message()).toList();
    }

    @Test
    void aStringIsACronExpressionInUtc() {
        PipelineSpec spec = parsed(TASKS + "schedule: '@daily'");
        assertThat(spec.options().schedule()).isEqualTo(new Schedule("@daily", "UTC", null, null, false, 50));
        assertThat(parsed(TASKS + "schedule: '0 3 * * *'").options().schedule().cron()).isEqualTo("0 3 * * *");
    }

    @Test
    void theLongFormSetsZoneDatesAndCatchUp() {
        PipelineSpec spec = parsed(TASKS + "schedule: {cron: '30 2 * * *', timezone: Europe/Berlin, startDate: "
                + "2026-03-01, endDate: '2026-12-31T23:00:00Z', catchup: true, maxCatchupRuns: 7}\nmaxActiveRuns: 2");
        assertThat(spec.options().schedule()).isEqualTo(new Schedule("30 2 * * *", "Europe/Berlin",
                Instant.parse("2026-02-28T23:00:00Z"), Instant.parse("2026-12-31T23:00:00Z"), true, 7));
        assertThat(spec.options().maxActiveRuns()).isEqualTo(2);
    }

    @Test
    void storedSpecsReadBackEqual() {
        for (String doc : List.of(TASKS, TASKS + "schedule: '@hourly'", TASKS + "maxActiveRuns: 1",
                TASKS + "schedule: {cron: '0 3 * * 1-5', timezone: America/New_York, startDate: 2026-01-01, "
                        + "catchup: true}")) {
            PipelineSpec spec = parsed(doc);
            assertThat(PipelineSpecs.fromJson(PipelineSpecs.toJson(spec))).isEqualTo(spec);
        }
        assertThat(PipelineSpecs.hash(parsed(TASKS))).as("no schedule: the hash specs had before")
                .isEqualTo(PipelineSpecs.hash(parsed(TASKS + "schedule: null")));
    }

    @Test
    void problemsSayWhatIsWrongAndWhatIsAllowed() {
        assertThat(problems(TASKS + "schedule: '@fortnightly'")).singleElement().asString()
                .startsWith("/schedule: unknown preset `@fortnightly`").contains("@daily", "@hourly");
        assertThat(problems(TASKS + "schedule: '0 3 * *'")).singleElement().asString().contains("5 fields");
        assertThat(problems(TASKS + "schedule: {cron: '@daily', timezone: Mars/Olympus}")).singleElement()
                .asString().startsWith("/schedule/timezone:").contains("IANA", "Europe/Berlin");
        assertThat(problems(TASKS + "schedule: {cron: '@daily', catchUp: true}")).singleElement().asString()
                .contains("unknown key `catchUp`", "did you mean `catchup`?");
        assertThat(problems(TASKS + "schedule: {cron: '@daily', startDate: 2026-02-01, endDate: 2026-01-01}"))
                .singleElement().asString().contains("before startDate");
        assertThat(problems(TASKS + "schedule: {timezone: UTC}")).singleElement().asString().contains("needs `cron`");
        assertThat(problems(TASKS + "maxActiveRuns: 0")).singleElement().asString()
                .startsWith("/maxActiveRuns:").contains("from 1");
    }
}

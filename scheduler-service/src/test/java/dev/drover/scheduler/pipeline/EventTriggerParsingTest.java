package dev.drover.scheduler.pipeline;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code triggers: [{event: …}]}: parsing, the problems of a bad one, and the stored form. */
class EventTriggerParsingTest {
    private static final String TASKS = "tasks: [{id: a, type: noop}]\n";

    @Test
    void anEventTriggerIsParsedStoredAndReadBack() {
        PipelineSpec spec = PipelineSpecParserTest.parsed("id: x\nparameters: {table: {}, rows: {type: integer, "
                + "default: 0}}\n" + TASKS + "triggers:\n"
                + "  - event:\n"
                + "      type: com.example.table.updated\n"
                + "      filter: data.table.startsWith('churn') && event.source == '/warehouse'\n"
                + "      parameters: {table: data.table, rows: int(data.rows)}\n"
                + "  - event: {type: com.example.ping, parameters: {table: \"'all'\"}}\n"
                + "  - drift: {model: churn}\n");

        assertThat(spec.triggers()).containsExactly(
                new Trigger.Event("com.example.table.updated",
                        "data.table.startsWith('churn') && event.source == '/warehouse'",
                        Map.of("table", "data.table", "rows", "int(data.rows)")),
                new Trigger.Event("com.example.ping", null, Map.of("table", "'all'")),
                new Trigger.Drift("churn"));
        assertThat(PipelineSpecs.fromJson(PipelineSpecs.toJson(spec))).isEqualTo(spec);
        assertThat(PipelineSpecParser.parse(PipelineSpecs.toJson(spec)).spec()).isEqualTo(spec);
        assertThat(PipelineSpecs.hash(spec)).isNotEqualTo(PipelineSpecs.hash(PipelineSpecParserTest.parsed(
                "id: x\nparameters: {table: {}, rows: {type: integer, default: 0}}\n" + TASKS)));
    }

    @Test
    void theFilterIsPartOfTheHash() {
        String doc = "id: x\n" + TASKS + "triggers: [{event: {type: t, filter: 'data.a == 1'}}]";
        assertThat(PipelineSpecs.hash(PipelineSpecParserTest.parsed(doc)))
                .isNotEqualTo(PipelineSpecs.hash(PipelineSpecParserTest.parsed(doc.replace("1", "2"))));
    }

    @Test
    void aMissingTypeUnknownKeyAndBadExpressionsAreReportedWithTheirPaths() {
        List<SpecProblem> problems = PipelineSpecParserTest.problems("id: x\nparameters: {table: {default: t}}\n"
                + TASKS + "triggers:\n"
                + "  - event: {filter: 'data.rows > 0', when: x}\n"
                + "  - event: {type: t, filter: 'data.rows >'}\n"
                + "  - event: {type: t, parameters: {table: 'dta.table'}}\n"
                + "  - event: {type: t, parameters: [table]}\n"
                + "  - event: t\n");

        assertThat(problems).extracting(SpecProblem::path).containsExactly(
                "/triggers/0/event/when", "/triggers/0/event/type", "/triggers/1/event/filter",
                "/triggers/2/event/parameters/table", "/triggers/3/event/parameters", "/triggers/4/event");
        assertThat(problems.get(0).message()).isEqualTo("unknown key `when`; an event trigger allows: type, filter, "
                + "parameters");
        assertThat(problems.get(1).message()).startsWith("an event trigger needs `type`, the CloudEvent type");
        assertThat(problems.get(2).message()).startsWith("`data.rows >` is not a valid CEL expression: ")
                .endsWith("it may use `event` (id, source, type, subject, time, datacontenttype, dataschema, "
                        + "extensions) and `data`");
        assertThat(problems.get(3).message()).contains("undeclared reference to 'dta'");
        assertThat(problems.get(4).message()).startsWith("`parameters` maps run parameter names to CEL expressions");
    }

    @Test
    void mappedParametersMustBeDeclaredAndRequiredOnesMapped() {
        List<SpecProblem> problems = PipelineSpecParserTest.problems("id: x\nparameters: {table: {}, day: "
                + "{default: today}}\n" + TASKS
                + "triggers: [{event: {type: t, parameters: {tabel: data.table}}}]");

        assertThat(problems).extracting(SpecProblem::path, SpecProblem::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple("/triggers/0/event/parameters/tabel", "parameter `tabel` is not "
                        + "declared; declare it under `parameters` or map one of the declared ones: table, day"),
                org.assertj.core.groups.Tuple.tuple("/triggers/0/event", "parameter `table` is required (it has no "
                        + "default) but this event trigger does not map it, so every event would be refused; add "
                        + "`table: <CEL expression>` under `parameters`, or give the parameter a default"));
    }

    @Test
    void anUnknownKindListsTheKnownOnes() {
        List<SpecProblem> problems = PipelineSpecParserTest.problems("id: x\n" + TASKS
                + "triggers: [{events: {type: t}}]");
        assertThat(problems.get(0).message()).startsWith("a trigger is a mapping with exactly one key naming its "
                + "kind (drift, assets, event)");
    }
}

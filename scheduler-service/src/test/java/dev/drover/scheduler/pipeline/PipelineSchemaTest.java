package dev.drover.scheduler.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the published {@code pipeline.schema.json} in step with {@link PipelineSpecParser}: documents the parser
 * accepts pass the schema, and documents with structural problems fail both. Problems only the parser can see
 * (duplicates, unknown dependencies, cycles, templates) are listed separately, so the boundary is explicit.
 */
class PipelineSchemaTest {
    private static final ObjectMapper YAML = new YAMLMapper();
    private static JsonSchema schema;
    private static JsonNode schemaDocument;

    @BeforeAll
    static void loadSchema() throws IOException {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        try (InputStream in = PipelineSchemaTest.class.getResourceAsStream("/pipeline.schema.json")) {
            assertThat(in).as("pipeline.schema.json on the classpath").isNotNull();
            schemaDocument = new ObjectMapper().readTree(in);
        }
        schema = factory.getSchema(schemaDocument);
    }

    @Test
    void theSchemaIsAValidDraft202012Schema() {
        JsonSchema meta = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        assertThat(meta.validate(schemaDocument)).isEmpty();
        assertThat(schemaDocument.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
    }

    @Test
    void theSchemaKnowsEveryTaskType() {
        Set<String> inSchema = new java.util.TreeSet<>();
        schemaDocument.at("/$defs/task/properties/type/enum").forEach(n -> inSchema.add(n.asText()));
        assertThat(inSchema).containsExactlyInAnyOrderElementsOf(TaskTypes.names());
    }

    static Stream<String> valid() {
        return Stream.of(
                PipelineSpecParserTest.FULL,
                "id: a\ntasks: [{id: s, type: noop}, {id: t, type: shell, dependsOn: [s],"
                        + " mapOver: tasks.s.outputs.files, command: 'echo {{ map.item }} {{ map.index }}'}]",
                "id: a\ntasks: [{id: t, type: noop}]",
                "id: a\ntasks: [{id: t, type: noop}]\ntriggers: [{drift: {model: churn}}, {drift: {model: fraud}}]",
                "id: a\ntasks: [{id: t, type: noop}]\ntriggers: []",
                "{\"id\": \"j\", \"tasks\": [{\"id\": \"a\", \"type\": \"shell\", \"command\": [\"echo\", \"hi\"]}]}",
                "id: a\ndescription: ''\nparameters: {}\ntasks: [{id: t, type: noop}]",
                "id: a\nparameters: {x: {}, y: {type: string}, z: {default: v}}\ntasks: [{id: t, type: noop}]",
                "id: a\nparameters: {n: {type: integer, default: 3.0}}\ntasks: [{id: t, type: noop}]",
                "id: a\nparameters: {r: {type: number, default: 1}}\ntasks: [{id: t, type: noop}]",
                "id: a\ndefaults: {retries: 0, timeout: PT0.5S}\ntasks: [{id: t, type: noop, retries: 3.0}]",
                "id: a\ntasks: [{id: t, type: noop, retries: {count: 0, initialDelay: 0s, maxDelay: 0ms, backoff: 1,"
                        + " jitter: 1}}]",
                "id: a\ntasks: [{id: t, type: noop, timeout: 1d2h3m4s5ms}, {id: u, type: noop, timeout: P1DT2H3M4.5S}]",
                "id: a\ntasks: [{id: t, type: noop, timeout: 10s}, {id: u, type: noop, timeout: 0d1ms}]",
                "id: a\ndefaults: {startTimeout: 30m}\ntasks: [{id: t, type: noop, startTimeout: 2m},"
                        + " {id: u, type: noop}]",
                "id: a\ntasks: [{id: t, type: shell, command: run, queue: gpu, startTimeout: PT1H}]",
                "id: a\ntasks: [{id: t, type: shell, command: [printf, ''], env: {A_1: x, _B: ''}, workingDir: /tmp}]",
                "id: " + "a".repeat(63) + "\ntasks: [{id: T_1-x, type: noop, queue: gpu-2}]",
                RegistryTaskTypesTest.PIPELINE,
                "id: a\ntasks: [{id: p, type: profile_feature_set, feature_set: f, data: /d.csv, features: [x],"
                        + " bins: 1000}]",
                "id: a\ntasks: [{id: r, type: register_model, model: m, artifact: /m, metrics: {a: 1, b: ' 2e-3 '}"
                        + ", feature_set: {name: f, version: '7'}}]",
                "id: a\ntasks: [{id: q, type: promote_model, model: m, version: 1, metric: loss, direction: smaller,"
                        + " min_improvement: 0, min_relative_improvement: '0.5'}]",
                AssetSpecTest.PRODUCER,
                AssetSpecTest.CONSUMER,
                AssetSpecTest.TRIGGERING,
                "id: a\ntasks: [{id: t, type: noop, outlets: []}]\ntriggers: [{assets: {any: [s3://b/k]}}, {drift: "
                        + "{model: m}}]",
                "id: a\ndeadline: 2h\ntasks: [{id: t, type: noop, deadline: 10m}, {id: u, type: noop, deadline: PT1H}]",
                "id: a\nparameters: {table: {}}\ntasks: [{id: t, type: noop}]\ntriggers: [{event: {type: t.updated,"
                        + " filter: 'data.rows > 0', parameters: {table: data.table}}}, {drift: {model: m}}]",
                "id: a\ntasks: [{id: t, type: noop}]\nschedule: '@daily'\nmaxActiveRuns: 2",
                "id: a\ntasks: [{id: t, type: noop}]\nschedule: {cron: '30 2 * * *', timezone: Europe/Berlin,"
                        + " startDate: 2026-01-01, endDate: '2026-12-31T00:00:00Z', catchup: true, maxCatchupRuns: 5}");
    }

    /** Documents with a structural problem: the schema must reject each one, as the parser does. */
    static Stream<String> invalid() {
        String ok = "tasks: [{id: t, type: noop}]";
        return Stream.of(
                "id: a\ndeadline: 0s\n" + ok,
                "id: a\ndeadline: 90\n" + ok,
                "id: a\ntasks: [{id: t, type: noop, deadline: soon}]",
                "id: a\n" + ok + "\ntriggers: {drift: {model: churn}}",
                "id: a\n" + ok + "\nschedule: 5",
                "id: a\n" + ok + "\nschedule: {timezone: UTC}",
                "id: a\n" + ok + "\nschedule: {cron: '@daily', every: 1}",
                "id: a\n" + ok + "\nschedule: {cron: '@daily', catchup: 'yes'}",
                "id: a\n" + ok + "\nschedule: {cron: '@daily', maxCatchupRuns: 0}",
                "id: a\n" + ok + "\nschedule: {cron: '@daily', startDate: yesterday}",
                "id: a\n" + ok + "\nmaxActiveRuns: 0",
                "id: a\n" + ok + "\nmaxActiveRuns: two",
                "id: a\n" + ok + "\ntriggers: [{drift: {}}]",
                "id: a\n" + ok + "\ntriggers: [{drift: {model: ''}}]",
                "id: a\n" + ok + "\ntriggers: [{drift: {model: churn, window: 5}}]",
                "id: a\n" + ok + "\ntriggers: [{cron: '0 * * * *'}]",
                "id: a\n" + ok + "\ntriggers: [{drift: {model: churn}, cron: x}]",
                "id: a\n" + ok + "\ntriggers: [{assets: {every: [s3://b/k]}}]",
                "id: a\n" + ok + "\ntriggers: [{assets: {all: [s3://b/k], any: [s3://b/j]}}]",
                "id: a\n" + ok + "\ntriggers: [{assets: {any: []}}]",
                "id: a\n" + ok + "\ntriggers: [{assets: {any: [churn]}}]",
                "id: a\n" + ok + "\ntriggers: [{assets: {any: ['s3://']}}]",
                "id: a\n" + ok + "\ntriggers: [{assets: {all: s3://b/k}}]",
                "id: a\ntasks: [{id: t, type: noop, outlets: s3://b/k}]",
                "id: a\ntasks: [{id: t, type: noop, outlets: ['s3://b/my file']}]",
                "id: a\ntasks: [{id: t, type: noop, outlets: ['s3://b/{{ params.x }}']}]",
                "id: a\ntasks: [{id: t, type: noop, outlets: [s3://b/k, s3://b/k]}]",
                "id: a\ntasks: [{id: t, type: trigger_pipeline}]",
                "id: a\ntasks: [{id: t, type: trigger_pipeline, pipeline: b, wait: 'yes'}]",
                "id: a\ntasks: [{id: t, type: trigger_pipeline, pipeline: B.x}]",
                "id: a\n" + ok + "\ntriggers: [{event: {}}]",
                "id: a\n" + ok + "\ntriggers: [{event: {type: x, when: y}}]",
                "id: a\n" + ok + "\ntriggers: [{event: {type: x, parameters: [a]}}]",
                "id: a\n" + ok + "\ntriggers: [{event: {type: x, filter: 3}}]",
                "id: a\n" + ok + "\ntriggers: [{event: {type: x}, drift: {model: m}}]",
                "[1, 2]",
                "tasks: [{id: t, type: noop}]",
                "id: a",
                "id: a\ntasks: [{id: t, type: noop, mapOver: [1, 2]}]",
                "id: a\ntasks: [{id: t, type: noop, mapOver: ''}]",
                "id: a\ntasks: []",
                "id: a\ntasks: {t: {type: noop}}",
                "id: Abc\n" + ok,
                "id: a.b\n" + ok,
                "id: -a\n" + ok,
                "id: " + "a".repeat(64) + "\n" + ok,
                "id: 12\n" + ok,
                "id: a\ncolour: blue\n" + ok,
                "id: a\ndescription: 3\n" + ok,
                "id: a\ndescription:\n" + ok,
                "id: a\nparameters: [x]\n" + ok,
                "id: a\nparameters: {1x: {}}\n" + ok,
                "id: a\nparameters: {x: 3}\n" + ok,
                "id: a\nparameters: {x: {type: float}}\n" + ok,
                "id: a\nparameters: {x: {default: 3}}\n" + ok,
                "id: a\nparameters: {x: {type: string, default: true}}\n" + ok,
                "id: a\nparameters: {x: {type: integer, default: 2.5}}\n" + ok,
                "id: a\nparameters: {x: {type: integer, default: '2'}}\n" + ok,
                "id: a\nparameters: {x: {type: number, default: fast}}\n" + ok,
                "id: a\nparameters: {x: {type: boolean, default: 'yes'}}\n" + ok,
                "id: a\nparameters: {x: {type: boolean, default: null}}\n" + ok,
                "id: a\nparameters: {x: {required: true}}\n" + ok,
                "id: a\nparameters: {x: {description: 5}}\n" + ok,
                "id: a\ndefaults: [1]\n" + ok,
                "id: a\ndefaults: {concurrency: 3}\n" + ok,
                "id: a\ndefaults: {timeout: 0s}\n" + ok,
                "id: a\ndefaults: {startTimeout: 0s}\n" + ok,
                "id: a\ndefaults: {startTimeout: 10}\n" + ok,
                "id: a\ndefaults: {queue: GPU}\n" + ok,
                "id: a\ndefaults: {retries: -1}\n" + ok,
                "id: a\ntasks: [x]",
                "id: a\ntasks: [{type: noop}]",
                "id: a\ntasks: [{id: t}]",
                "id: a\ntasks: [{id: t, type: docker}]",
                "id: a\ntasks: [{id: 't t', type: noop}]",
                "id: a\ntasks: [{id: 5, type: noop}]",
                "id: a\ntasks: [{id: t, type: noop, colour: blue}]",
                "id: a\ntasks: [{id: t, type: noop, command: echo}]",
                "id: a\ntasks: [{id: t, type: noop, dependsOn: u}]",
                "id: a\ntasks: [{id: t, type: noop, dependsOn: [1]}]",
                "id: a\ntasks: [{id: u, type: noop}, {id: t, type: noop, dependsOn: [u, u]}]",
                "id: a\ntasks: [{id: t, type: noop, queue: 'my queue'}]",
                "id: a\ntasks: [{id: t, type: noop, queue: -q}]",
                "id: a\ntasks: [{id: t, type: noop, timeout: 30}]",
                "id: a\ntasks: [{id: t, type: noop, timeout: '30'}]",
                "id: a\ntasks: [{id: t, type: noop, timeout: 1.5h}]",
                "id: a\ntasks: [{id: t, type: noop, timeout: 30s1m}]",
                "id: a\ntasks: [{id: t, type: noop, timeout: 5M}]",
                "id: a\ntasks: [{id: t, type: noop, timeout: PT0S}]",
                "id: a\ntasks: [{id: t, type: noop, timeout: 0ms}]",
                "id: a\ntasks: [{id: t, type: noop, timeout: PT0.0001S}]",
                "id: a\ntasks: [{id: t, type: noop, timeout: PT}]",
                "id: a\ntasks: [{id: t, type: noop, startTimeout: 0ms}]",
                "id: a\ntasks: [{id: t, type: noop, startTimeout: 1.5h}]",
                "id: a\ntasks: [{id: t, type: noop, start_timeout: 10m}]",
                "id: a\ntasks: [{id: t, type: noop, retries: 1001}]",
                "id: a\ntasks: [{id: t, type: noop, retries: 2.5}]",
                "id: a\ntasks: [{id: t, type: noop, retries: lots}]",
                "id: a\ntasks: [{id: t, type: noop, retries: {initialDelay: 1s}}]",
                "id: a\ntasks: [{id: t, type: noop, retries: {count: 1, backoff: 0.5}}]",
                "id: a\ntasks: [{id: t, type: noop, retries: {count: 1, jitter: 1.5}}]",
                "id: a\ntasks: [{id: t, type: noop, retries: {count: 1, jitter: -0.1}}]",
                "id: a\ntasks: [{id: t, type: noop, retries: {count: 1, initialDelay: soon}}]",
                "id: a\ntasks: [{id: t, type: noop, retries: {count: 1, maxDelay: -1s}}]",
                "id: a\ntasks: [{id: t, type: noop, retries: {count: 1, factor: 2}}]",
                "id: a\ntasks: [{id: t, type: shell}]",
                "id: a\ntasks: [{id: t, type: shell, command: ' '}]",
                "id: a\ntasks: [{id: t, type: shell, command: []}]",
                "id: a\ntasks: [{id: t, type: shell, command: [' ', x]}]",
                "id: a\ntasks: [{id: t, type: shell, command: [python, 3]}]",
                "id: a\ntasks: [{id: t, type: shell, command: {run: x}}]",
                "id: a\ntasks: [{id: t, type: shell, command: x, comand: y}]",
                "id: a\ntasks: [{id: t, type: shell, command: x, env: [A=1]}]",
                "id: a\ntasks: [{id: t, type: shell, command: x, env: {PORT: 8080}}]",
                "id: a\ntasks: [{id: t, type: shell, command: x, env: {1X: a}}]",
                "id: a\ntasks: [{id: t, type: shell, command: x, env: {DROVER_RUN_ID: a}}]",
                "id: a\ntasks: [{id: t, type: shell, command: x, env: {A: null}}]",
                "id: a\ntasks: [{id: t, type: shell, command: x, workingDir: ''}]",
                "id: a\ntasks: [{id: t, type: shell, command: x, workingDir: 5}]",
                "id: a\ntasks: [{id: p, type: profile_feature_set, data: /d.csv}]",
                "id: a\ntasks: [{id: p, type: profile_feature_set, feature_set: f}]",
                "id: a\ntasks: [{id: p, type: profile_feature_set, feature_set: ' ', data: /d.csv}]",
                "id: a\ntasks: [{id: p, type: profile_feature_set, feature_set: f, data: /d.csv, features: []}]",
                "id: a\ntasks: [{id: p, type: profile_feature_set, feature_set: f, data: /d.csv, features: [3]}]",
                "id: a\ntasks: [{id: p, type: profile_feature_set, feature_set: f, data: /d.csv,"
                        + " features: [{name: x, type: text}]}]",
                "id: a\ntasks: [{id: p, type: profile_feature_set, feature_set: f, data: /d.csv,"
                        + " features: [{type: BINARY}]}]",
                "id: a\ntasks: [{id: p, type: profile_feature_set, feature_set: f, data: /d.csv,"
                        + " features: [{name: x, kind: NUMERIC}]}]",
                "id: a\ntasks: [{id: p, type: profile_feature_set, feature_set: f, data: /d.csv, exclude: y}]",
                "id: a\ntasks: [{id: p, type: profile_feature_set, feature_set: f, data: /d.csv, exclude: [y, y]}]",
                "id: a\ntasks: [{id: p, type: profile_feature_set, feature_set: f, data: /d.csv, bins: 0}]",
                "id: a\ntasks: [{id: p, type: profile_feature_set, feature_set: f, data: /d.csv, bins: 1001}]",
                "id: a\ntasks: [{id: p, type: profile_feature_set, feature_set: f, data: /d.csv, bins: '10'}]",
                "id: a\ntasks: [{id: p, type: profile_feature_set, feature_set: f, data: /d.csv, description: 1}]",
                "id: a\ntasks: [{id: p, type: profile_feature_set, feature_set: f, data: /d.csv, sample: 5}]",
                "id: a\ntasks: [{id: r, type: register_model, artifact: /m}]",
                "id: a\ntasks: [{id: r, type: register_model, model: m}]",
                "id: a\ntasks: [{id: r, type: register_model, model: m, artifact: /m, metrics: [auc]}]",
                "id: a\ntasks: [{id: r, type: register_model, model: m, artifact: /m, metrics: {auc: high}}]",
                "id: a\ntasks: [{id: r, type: register_model, model: m, artifact: /m, metrics: {auc: true}}]",
                "id: a\ntasks: [{id: r, type: register_model, model: m, artifact: /m, params: {a: [1]}}]",
                "id: a\ntasks: [{id: r, type: register_model, model: m, artifact: /m, tags: {a: null}}]",
                "id: a\ntasks: [{id: r, type: register_model, model: m, artifact: /m, code_version: ''}]",
                "id: a\ntasks: [{id: r, type: register_model, model: m, artifact: /m, feature_set: f}]",
                "id: a\ntasks: [{id: r, type: register_model, model: m, artifact: /m, feature_set: {name: f}}]",
                "id: a\ntasks: [{id: r, type: register_model, model: m, artifact: /m,"
                        + " feature_set: {name: f, version: 0}}]",
                "id: a\ntasks: [{id: r, type: register_model, model: m, artifact: /m,"
                        + " feature_set: {name: f, version: latest}}]",
                "id: a\ntasks: [{id: r, type: register_model, model: m, artifact: /m,"
                        + " feature_set: {name: f, version: 1, owner: x}}]",
                "id: a\ntasks: [{id: q, type: promote_model, version: 1, metric: auc}]",
                "id: a\ntasks: [{id: q, type: promote_model, model: m, metric: auc}]",
                "id: a\ntasks: [{id: q, type: promote_model, model: m, version: 1}]",
                "id: a\ntasks: [{id: q, type: promote_model, model: m, version: -1, metric: auc}]",
                "id: a\ntasks: [{id: q, type: promote_model, model: m, version: 1, metric: auc, direction: up}]",
                "id: a\ntasks: [{id: q, type: promote_model, model: m, version: 1, metric: auc,"
                        + " min_improvement: -1}]",
                "id: a\ntasks: [{id: q, type: promote_model, model: m, version: 1, metric: auc,"
                        + " min_relative_improvement: '-0.5'}]",
                "id: a\ntasks: [{id: q, type: promote_model, model: m, version: 1, metric: auc, alias: ''}]",
                "id: a\ntasks: [{id: q, type: promote_model, model: m, version: 1, metric: auc, command: x}]");
    }

    /** Problems beyond what a JSON schema can express: the schema accepts these, only the parser rejects them. */
    static Stream<Arguments> semanticOnly() {
        return Stream.of(
                Arguments.of("duplicate task ids", "id: a\ntasks: [{id: t, type: noop}, {id: t, type: noop}]"),
                Arguments.of("unknown dependency", "id: a\ntasks: [{id: t, type: noop, dependsOn: [u]}]"),
                Arguments.of("self dependency", "id: a\ntasks: [{id: t, type: noop, dependsOn: [t]}]"),
                Arguments.of("cycle", "id: a\ntasks: [{id: t, type: noop, dependsOn: [u]}, "
                        + "{id: u, type: noop, dependsOn: [t]}]"),
                Arguments.of("undeclared parameter", "id: a\ntasks: [{id: t, type: shell, command: '{{ params.x }}'}]"),
                Arguments.of("output of a task that is not upstream", "id: a\ntasks: [{id: t, type: noop}, "
                        + "{id: u, type: shell, command: '{{ tasks.t.outputs.x }}'}]"),
                Arguments.of("template syntax", "id: a\ntasks: [{id: t, type: shell, command: '{{ run.id '}]"),
                Arguments.of("a model name with /", "id: a\ntasks: [{id: r, type: register_model, model: a/b,"
                        + " artifact: /m}]"),
                Arguments.of("a reserved alias", "id: a\ntasks: [{id: q, type: promote_model, model: m, version: 1,"
                        + " metric: auc, alias: latest}]"),
                Arguments.of("a metric name with !", "id: a\ntasks: [{id: q, type: promote_model, model: m,"
                        + " version: 1, metric: 'auc!'}]"),
                Arguments.of("a feature listed twice", "id: a\ntasks: [{id: p, type: profile_feature_set,"
                        + " feature_set: f, data: /d.csv, features: [x, {name: x}]}]"),
                Arguments.of("a column both profiled and excluded", "id: a\ntasks: [{id: p,"
                        + " type: profile_feature_set, feature_set: f, data: /d.csv, features: [x], exclude: [x]}]"),
                Arguments.of("a drift trigger for a model name with /", "id: a\ntasks: [{id: t, type: noop}]\n"
                        + "triggers: [{drift: {model: a/b}}]"),
                Arguments.of("a drift trigger declared twice", "id: a\ntasks: [{id: t, type: noop}]\n"
                        + "triggers: [{drift: {model: m}}, {drift: {model: m}}]"),
                Arguments.of("duration overflow", "id: a\ntasks: [{id: t, type: noop, timeout: 106751991167301d}]"),
                Arguments.of("mapOver that does not compile", "id: a\ntasks: [{id: t, type: noop, mapOver: '[1,'}]"),
                Arguments.of("mapOver reading a task that is not upstream", "id: a\ntasks: [{id: t, type: noop},"
                        + " {id: u, type: noop, mapOver: tasks.t.outputs.x}]"),
                Arguments.of("map in a task without mapOver", "id: a\ntasks: [{id: t, type: shell,"
                        + " command: 'echo {{ map.item }}'}]"),
                Arguments.of("an event filter that is not CEL", "id: a\ntasks: [{id: t, type: noop}]\n"
                        + "triggers: [{event: {type: x, filter: 'data.rows >'}}]"),
                Arguments.of("an event trigger mapping an undeclared parameter", "id: a\ntasks: [{id: t, type: noop}]\n"
                        + "triggers: [{event: {type: x, parameters: {table: data.table}}}]"),
                Arguments.of("duration overflow", "id: a\ntasks: [{id: t, type: noop, timeout: 106751991167301d}]"));
    }

    @ParameterizedTest
    @MethodSource("valid")
    void validDocumentsPassBoth(String doc) throws IOException {
        assertThat(PipelineSpecParser.parse(doc).problems()).as("parser").isEmpty();
        assertThat(schemaErrors(doc)).as("schema").isEmpty();
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void invalidDocumentsFailBoth(String doc) throws IOException {
        assertThat(PipelineSpecParser.parse(doc).ok()).as("parser accepts").isFalse();
        assertThat(schemaErrors(doc)).as("schema").isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("semanticOnly")
    void semanticProblemsAreTheParsersAlone(String what, String doc) throws IOException {
        assertThat(PipelineSpecParser.parse(doc).ok()).as("parser accepts").isFalse();
        assertThat(schemaErrors(doc)).as("schema").isEmpty();
    }

    private static Set<ValidationMessage> schemaErrors(String doc) throws IOException {
        return schema.validate(YAML.readTree(doc));
    }
}

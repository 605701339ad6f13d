package dev.drover.scheduler.api;

/**
 * What the scheduler's OpenAPI document says about identifiers and common parameters, in one place so that the
 * {@code @Parameter}/{@code @Schema} annotations on the controllers agree with each other and with the checks the
 * code makes (PipelineSpecParser, Limits). The document is generated from these annotations at compile time.
 */
final class ApiDocs {
    /** PipelineSpecParser.PIPELINE_ID. */
    static final String PIPELINE_ID = "^[a-z0-9][a-z0-9_-]{0,62}$";
    /** {@code <pipelineId>.<n>} or {@code <pipelineId>.<suffix>} (PipelineController.RUN_SUFFIX). */
    static final String RUN_ID = "^[a-z0-9][a-z0-9_-]{0,62}\\.[A-Za-z0-9_:+.-]{1,120}$";
    /** PipelineSpecParser.TASK_ID, and {@code <taskId>[<index>]} for an instance of a mapped task. */
    static final String TASK_ID = "^[A-Za-z0-9_-]+(\\[[0-9]+])?$";
    /** Limits.POOL. */
    static final String POOL = "^[a-z0-9][a-z0-9_-]{0,62}$";
    /** A position a write answered with: {@code <partition>:<offset>}. */
    static final String POSITION = "^[0-9]{1,9}:[0-9]{1,18}$";
    static final String POSITION_DESCRIPTION = "a `position` a write answered with: the read waits (up to 10 s) "
            + "until the read models include it, else 503 read_model_behind";
    static final String USER_DESCRIPTION = "who asks; recorded in the events (default anonymous)";
    static final String IDEMPOTENCY_DESCRIPTION = "makes retries of this write one write (docs/api.md)";
    static final String LIMIT_DESCRIPTION = "at most this many items (1 to 1000)";
    static final String YAML = "application/yaml";
    static final String X_YAML = "application/x-yaml";
    static final String TEXT_YAML = "text/yaml";
    /** The pipeline spec's JSON Schema, embedded under this name from pipeline.schema.json (SchedulerOpenApi). */
    static final String PIPELINE_SPEC_REF = "#/components/schemas/PipelineSpec";
    /** Any JSON value; declared by the platform's part of the document. */
    static final String ANY_VALUE_REF = "#/components/schemas/AnyValue";

    private ApiDocs() {
    }
}

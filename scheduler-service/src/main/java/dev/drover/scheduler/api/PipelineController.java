package dev.drover.scheduler.api;

import dev.drover.platform.http.ApiError;
import dev.drover.platform.http.ApiException;
import dev.drover.platform.input.RequestRules;
import dev.drover.platform.security.Permission;
import dev.drover.platform.security.Principals;
import dev.drover.platform.security.RequiresPermission;
import dev.drover.platform.security.secrets.SecretReferences;
import dev.drover.platform.security.secrets.SecretStore;
import dev.drover.scheduler.core.SchedulerCommand;
import dev.drover.scheduler.core.SchedulerEvent.CommandRejected;
import dev.drover.scheduler.core.SchedulerEvent.PipelineRegistered;
import dev.drover.scheduler.core.SchedulerEvent.RunStarted;
import dev.drover.scheduler.loop.CommandGateway.Outcome;
import dev.drover.scheduler.pipeline.ParseResult;
import dev.drover.scheduler.pipeline.PipelineSpec;
import dev.drover.scheduler.pipeline.PipelineSpecParser;
import dev.drover.scheduler.pipeline.TaskSpec;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/** Pipelines: register (YAML or JSON), read, list revisions, start runs. See docs/api.md. */
@Controller("/api/v1/pipelines")
@Tag(name = "pipelines")
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(property = "drover.scheduler.enabled", value = "true")
public class PipelineController {
    static final String USER_HEADER = "X-Drover-User";
    private static final Pattern RUN_SUFFIX = Pattern.compile("[A-Za-z0-9_:+.-]{1,120}");
    private final WriteOutcomes writes;
    private final SchedulerQueries queries;
    private final SchedulingQueries scheduling;
    /** Null when security is off (tests of other things): then no pipeline may use secrets. */
    private final SecretStore secrets;

    PipelineController(WriteOutcomes writes, SchedulerQueries queries, SchedulingQueries scheduling,
                       @Nullable SecretStore secrets) {
        this.writes = writes;
        this.queries = queries;
        this.scheduling = scheduling;
        this.secrets = secrets;
    }

    /** A request to start a run. */
    @Serdeable
    public record RunRequest(
            @Schema(description = "run parameters by name, as the pipeline declares them (string, integer, number or "
                    + "boolean values)", type = "object",
                    additionalProperties = Schema.AdditionalPropertiesValue.TRUE)
            @Nullable Map<String, Object> parameters,
            @Schema(description = "the run's id suffix (or whole id <pipelineId>.<suffix>); default the next number",
                    pattern = "^[A-Za-z0-9_:+.-]{1,120}$")
            @Nullable String runId) {
    }

    @Operation(operationId = "registerPipeline",
            summary = "Register a pipeline (a changed spec becomes a new revision)",
            requestBody = @RequestBody(required = true, description = "the pipeline spec, YAML or JSON "
                    + "(docs/pipelines.md; JSON Schema: GET /api/v1/pipelines/schema)", content = {
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = ApiDocs.PIPELINE_SPEC_REF)),
                    @Content(mediaType = ApiDocs.YAML, schema = @Schema(ref = ApiDocs.PIPELINE_SPEC_REF)),
                    @Content(mediaType = ApiDocs.X_YAML, schema = @Schema(ref = ApiDocs.PIPELINE_SPEC_REF)),
                    @Content(mediaType = ApiDocs.TEXT_YAML, schema = @Schema(ref = ApiDocs.PIPELINE_SPEC_REF)),
                    @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(type = "string",
                            description = "the spec as YAML text"))}),
            responses = {
                    @ApiResponse(responseCode = "201", description = "a new revision"),
                    @ApiResponse(responseCode = "200", description = "identical to the latest revision: unchanged")})
    @RequiresPermission(value = Permission.AUTHOR, resourceInBody = "id")
    @Post(consumes = {MediaType.APPLICATION_JSON, "application/yaml", MediaType.APPLICATION_YAML, "text/yaml",
            MediaType.TEXT_PLAIN})
    HttpResponse<Map<String, Object>> register(@Body String body, @Parameter(description = ApiDocs.USER_DESCRIPTION)
                                               @Nullable @Header(USER_HEADER) String user) {
        return registerSpec(body, null, user);
    }

    @Operation(operationId = "putPipeline",
            summary = "Register a pipeline under this id (the spec's id must be the same)",
            requestBody = @RequestBody(required = true, description = "the pipeline spec, YAML or JSON "
                    + "(docs/pipelines.md; JSON Schema: GET /api/v1/pipelines/schema)", content = {
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = ApiDocs.PIPELINE_SPEC_REF)),
                    @Content(mediaType = ApiDocs.YAML, schema = @Schema(ref = ApiDocs.PIPELINE_SPEC_REF)),
                    @Content(mediaType = ApiDocs.X_YAML, schema = @Schema(ref = ApiDocs.PIPELINE_SPEC_REF)),
                    @Content(mediaType = ApiDocs.TEXT_YAML, schema = @Schema(ref = ApiDocs.PIPELINE_SPEC_REF)),
                    @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(type = "string",
                            description = "the spec as YAML text"))}),
            responses = {
                    @ApiResponse(responseCode = "201", description = "a new revision"),
                    @ApiResponse(responseCode = "200", description = "identical to the latest revision: unchanged")})
    @RequiresPermission(value = Permission.AUTHOR, resource = "pipelineId")
    @Put(uri = "/{pipelineId}", consumes = {MediaType.APPLICATION_JSON, "application/yaml",
            MediaType.APPLICATION_YAML, "text/yaml", MediaType.TEXT_PLAIN})
    HttpResponse<Map<String, Object>> put(@Parameter(schema = @Schema(pattern = ApiDocs.PIPELINE_ID))
                                          @PathVariable String pipelineId, @Body String body,
                                          @Parameter(description = ApiDocs.USER_DESCRIPTION)
                                          @Nullable @Header(USER_HEADER) String user) {
        return registerSpec(body, pipelineId, user);
    }

    private HttpResponse<Map<String, Object>> registerSpec(String body, String expectedId, String user) {
        ParseResult parsed = PipelineSpecParser.parse(body == null ? "" : body);
        if (!parsed.ok()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, new ApiError("invalid_pipeline",
                    "the pipeline spec has " + parsed.problems().size() + " problem(s)",
                    parsed.problems().stream().map(p -> new ApiError.Problem(p.path(), p.message())).toList(),
                    "fix each problem at its path; the format is in docs/pipelines.md and GET /api/v1/pipelines/schema"));
        }
        List<ApiError.Problem> unknownSecrets = unknownSecrets(parsed.spec());
        if (!unknownSecrets.isEmpty()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, new ApiError("unknown_secret",
                    "the pipeline refers to " + unknownSecrets.size() + " secret(s) that do not exist",
                    unknownSecrets, "ask an admin to set each one (PUT /api/v1/admin/secrets/NAME), or fix the name; "
                    + "see docs/security.md, \"Secrets\""));
        }
        String id = parsed.spec().id();
        if (expectedId != null && !expectedId.equals(id)) {
            throw ApiException.of(HttpStatus.BAD_REQUEST, "id_mismatch", "the spec's id is '" + id
                    + "' but the path names '" + expectedId + "'", "make the path and the spec's id agree");
        }
        Outcome outcome = writes.send(new SchedulerCommand.RegisterPipeline(UUID.randomUUID().toString(), id,
                parsed.spec(), parsed.hash(), principal(user)), id, principal(user));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("pipelineId", id);
        if (outcome.event().event() instanceof PipelineRegistered r) {
            out.put("revision", r.revision());
            out.put("created", true);
            out.put("position", outcome.position());
            return HttpResponse.created(out);
        }
        CommandRejected unchanged = (CommandRejected) outcome.event().event();
        out.put("created", false);
        out.put("message", unchanged.message());
        out.put("position", outcome.position());
        return HttpResponse.ok(out);
    }

    /** Each reference to a secret that does not exist, at its path: registration fails listing them all. */
    private List<ApiError.Problem> unknownSecrets(PipelineSpec spec) {
        List<ApiError.Problem> out = new ArrayList<>();
        for (int i = 0; i < spec.tasks().size(); i++) {
            TaskSpec task = spec.tasks().get(i);
            for (Map.Entry<String, Object> e : task.config().entrySet()) {
                for (String name : SecretReferences.names(e.getValue())) {
                    if (secrets == null) {
                        out.add(new ApiError.Problem("/tasks/" + i + "/" + e.getKey(), "`{{ secrets." + name
                                + " }}`: this scheduler runs with security off, so it has no secrets"));
                    } else if (secrets.secret(name).isEmpty()) {
                        out.add(new ApiError.Problem("/tasks/" + i + "/" + e.getKey(), "secret `" + name
                                + "` does not exist"));
                    }
                }
            }
        }
        return out;
    }

    @RequiresPermission(Permission.READ)
    @Get(produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "listPipelines", summary = "All pipelines; with recentRuns, what a list page shows of "
            + "each: its latest runs' statuses, running and failed run counts, paused")
    List<Map<String, Object>> list(@Parameter(description = "1-25: add recentRuns (that many, newest first), "
            + "runningRuns, failedRuns and paused to each pipeline") @Nullable @QueryValue Integer recentRuns) {
        if (recentRuns == null) {
            return queries.pipelines();
        }
        return queries.pipelineOverview(RequestRules.bounded("recentRuns", recentRuns, 10, 1, 25));
    }

    @RequiresPermission(value = Permission.READ, resource = "pipelineId")
    @Get(uri = "/{pipelineId}/grid", produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "getPipelineGrid", summary = "The latest runs × tasks of a pipeline with each task's "
            + "status and attempt (the grid view)")
    Map<String, Object> grid(@Parameter(schema = @Schema(pattern = ApiDocs.PIPELINE_ID)) @PathVariable String pipelineId,
                             @Parameter(description = "how many runs, newest first: 1-100 (default 25)")
                             @Nullable @QueryValue Integer runs) {
        if (queries.pipeline(pipelineId).isEmpty()) {
            throw unknown(pipelineId);
        }
        return queries.grid(pipelineId, RequestRules.bounded("runs", runs, 25, 1, 100));
    }

    @RequiresPermission(Permission.READ)
    @Get(uri = "/schema", produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "getPipelineSchema", summary = "The JSON Schema (draft 2020-12) of the pipeline spec",
            responses = @ApiResponse(responseCode = "200", description = "the schema", content = @Content(
                    mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = "object"))))
    HttpResponse<String> schema() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/pipeline.schema.json")) {
            if (in == null) {
                throw new IllegalStateException("pipeline.schema.json missing from the classpath");
            }
            return HttpResponse.ok(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @RequiresPermission(value = Permission.READ, resource = "pipelineId")
    @Get(uri = "/{pipelineId}", produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "getPipeline", summary = "One pipeline with its latest spec and schedule state")
    Map<String, Object> get(@Parameter(schema = @Schema(pattern = ApiDocs.PIPELINE_ID)) @PathVariable String pipelineId,
                            @Parameter(description = ApiDocs.POSITION_DESCRIPTION,
                                    schema = @Schema(pattern = ApiDocs.POSITION))
                            @Nullable @QueryValue String position) {
        writes.awaitProjected(position);
        Map<String, Object> p = queries.pipeline(pipelineId).orElseThrow(() -> unknown(pipelineId));
        List<Map<String, Object>> revisions = queries.revisions(pipelineId);
        p.put("spec", revisions.get(revisions.size() - 1).get("spec"));
        p.putAll(scheduling.summary(pipelineId));
        return p;
    }

    @RequiresPermission(value = Permission.READ, resource = "pipelineId")
    @Get(uri = "/{pipelineId}/revisions", produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "listPipelineRevisions", summary = "Every revision of a pipeline with its spec")
    List<Map<String, Object>> revisions(@Parameter(schema = @Schema(pattern = ApiDocs.PIPELINE_ID))
                                        @PathVariable String pipelineId,
                                        @Parameter(description = ApiDocs.POSITION_DESCRIPTION,
                                                schema = @Schema(pattern = ApiDocs.POSITION))
                                        @Nullable @QueryValue String position) {
        writes.awaitProjected(position);
        List<Map<String, Object>> revisions = queries.revisions(pipelineId);
        if (revisions.isEmpty()) {
            throw unknown(pipelineId);
        }
        return revisions;
    }

    @RequiresPermission(value = Permission.OPERATE, resource = "pipelineId")
    @Post(uri = "/{pipelineId}/runs", consumes = MediaType.APPLICATION_JSON)
    @Operation(operationId = "startRun", summary = "Start a run of the pipeline's latest revision", responses = {
            @ApiResponse(responseCode = "201", description = "started"),
            @ApiResponse(responseCode = "202", description = "queued: the pipeline is paused or at maxActiveRuns"),
            @ApiResponse(responseCode = "200", description = "a repeated request (same Idempotency-Key)")})
    HttpResponse<Map<String, Object>> startRun(@Parameter(schema = @Schema(pattern = ApiDocs.PIPELINE_ID))
                                               @PathVariable String pipelineId, @Nullable @Body RunRequest request,
                                               @Parameter(description = ApiDocs.USER_DESCRIPTION)
                                               @Nullable @Header(USER_HEADER) String user,
                                               @Parameter(description = "without a runId in the body, fixes the run "
                                                       + "id, so a repeated request starts no second run")
                                               @Nullable @Header(IdempotentRuns.HEADER) String idempotencyKey) {
        Map<String, Object> params = request == null || request.parameters() == null ? Map.of() : request.parameters();
        String runId = null;
        if (request != null && request.runId() != null) {
            String suffix = request.runId().startsWith(pipelineId + ".")
                    ? request.runId().substring(pipelineId.length() + 1) : request.runId();
            if (!RUN_SUFFIX.matcher(suffix).matches()) {
                throw ApiException.of(HttpStatus.BAD_REQUEST, "invalid_run_id", "runId '" + request.runId()
                        + "' may only hold letters, digits and _:+.- (at most 120)", "choose a simpler run id");
            }
            runId = pipelineId + "." + suffix;
        }
        if (runId == null && idempotencyKey != null && !idempotencyKey.isBlank()) {
            runId = IdempotentRuns.runId(pipelineId, idempotencyKey);
        }
        String commandId = UUID.randomUUID().toString();
        Outcome outcome;
        try {
            outcome = writes.send(new SchedulerCommand.RequestRun(commandId, pipelineId, runId, params, "api",
                    principal(user)), runId, principal(user));
        } catch (ApiException e) {
            if (idempotencyKey == null || !"run_exists".equals(e.body().error())) {
                throw e;
            }
            // a repeated request: answer with the run the first one started
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("runId", runId);
            out.put("pipelineId", pipelineId);
            out.put("status", queries.run(runId).map(r -> r.get("status")).orElse("RUNNING"));
            out.put("replayed", true);
            return HttpResponse.ok(out);
        }
        if (outcome.event().event() instanceof dev.drover.scheduler.core.SchedulerEvent.RunQueued queued) {
            // paused, or maxActiveRuns reached: it starts, in request order, when it can (docs/scheduling.md)
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("runId", queued.runId());
            out.put("pipelineId", queued.pipelineId());
            out.put("revision", queued.revision());
            out.put("parameters", queued.parameters());
            out.put("status", "QUEUED");
            out.put("reason", queued.reason());
            out.put("position", outcome.position());
            return HttpResponse.accepted().body(out);
        }
        RunStarted started = (RunStarted) outcome.event().event();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("runId", started.runId());
        out.put("pipelineId", started.pipelineId());
        out.put("revision", started.revision());
        out.put("parameters", started.parameters());
        out.put("status", "RUNNING");
        out.put("position", outcome.position());
        return HttpResponse.created(out);
    }

    @RequiresPermission(value = Permission.READ, resource = "pipelineId")
    @Get(uri = "/{pipelineId}/runs", produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "listPipelineRuns", summary = "Runs of a pipeline, newest first")
    List<Map<String, Object>> runs(@Parameter(schema = @Schema(pattern = ApiDocs.PIPELINE_ID))
                                   @PathVariable String pipelineId,
                                   @Parameter(description = "only runs with this status",
                                           schema = @Schema(allowableValues
                                           = {"RUNNING", "SUCCEEDED", "FAILED", "CANCELED", "QUEUED"}))
                                   @Nullable @QueryValue String status,
                                   @Parameter(description = ApiDocs.LIMIT_DESCRIPTION,
                                           schema = @Schema(minimum = "1", maximum = "1000"))
                                   @Nullable @QueryValue Integer limit) {
        if (queries.pipeline(pipelineId).isEmpty()) {
            throw unknown(pipelineId);
        }
        return queries.runs(pipelineId, RunController.status(status), RequestRules.limit(limit, 100, 1000));
    }

    /** Who asked: the authenticated principal (a service account may say for whom in the header). */
    static String principal(String user) {
        return Principals.current(user == null ? null : user.strip(), "anonymous");
    }

    private static ApiException unknown(String pipelineId) {
        return ApiException.of(HttpStatus.NOT_FOUND, "unknown_pipeline", "pipeline '" + pipelineId
                + "' is not registered", "list pipelines with GET /api/v1/pipelines, or register it with POST");
    }
}

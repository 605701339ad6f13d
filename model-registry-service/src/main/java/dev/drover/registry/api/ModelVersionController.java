package dev.drover.registry.api;

import dev.drover.platform.http.ApiException;
import dev.drover.registry.core.FeatureSetRef;
import dev.drover.registry.core.Lineage;
import dev.drover.registry.core.ModelCommand;
import dev.drover.registry.core.ModelStage;
import dev.drover.registry.readmodel.ModelEventView;
import dev.drover.registry.readmodel.ModelVersionView;
import dev.drover.registry.readmodel.Page;
import dev.drover.registry.readmodel.RegistryQueries;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.LinkedHashMap;
import java.util.Map;

import static dev.drover.registry.api.RegistryWrites.IDEMPOTENCY_HEADER;
import static dev.drover.registry.api.RegistryWrites.PRINCIPAL_HEADER;
import static dev.drover.registry.api.RequestBodies.read;
import static dev.drover.registry.api.RequestBodies.required;

/** Versions of a registered model: register, list, read, describe, tags, stage. See docs/registry-api.md. */
@Controller("/api/v1/models/{name}/versions")
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(property = "drover.registry.enabled", value = "true")
public class ModelVersionController {
    private final RegistryWrites writes;
    private final RegistryQueries queries;

    ModelVersionController(RegistryWrites writes, RegistryQueries queries) {
        this.writes = writes;
        this.queries = queries;
    }

    @Post(consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    HttpResponse<ModelVersionView> register(@PathVariable String name, @Nullable @Body String body,
                                            @Nullable @Header(PRINCIPAL_HEADER) String principal,
                                            @Nullable @Header(IDEMPOTENCY_HEADER) String idempotencyKey) {
        RegistryRequests.RegisterVersion request = read(body, RegistryRequests.RegisterVersion.class, null);
        String artifact = required(request.artifactLocation(), "artifactLocation",
                "where the model's files are, e.g. \"s3://models/churn/7\"");
        RegistryWrites.Written written = writes.write(new ModelCommand.RegisterVersion(
                RegistryWrites.commandId(idempotencyKey), name, artifact, request.description(), request.params(),
                request.metrics(), lineage(request.lineage()), request.tags(),
                Boolean.TRUE.equals(request.createModelIfMissing()), RegistryWrites.principal(principal)));
        int version = -1;
        for (ModelEventView e : queries.eventsOfCommand(written.commandId())) {
            if (e.type().equals("VersionRegistered") && e.payload() instanceof Map<?, ?> p
                    && p.get("version") instanceof Number n) {
                version = n.intValue();
            }
        }
        return HttpResponse.created(version(name, version));
    }

    private static Lineage lineage(RegistryRequests.Lineage l) {
        if (l == null) {
            return Lineage.NONE;
        }
        FeatureSetRef featureSet = null;
        if (l.featureSet() != null) {
            featureSet = new FeatureSetRef(required(l.featureSet().name(), "lineage/featureSet/name",
                    "the feature set's name"), required(l.featureSet().version(), "lineage/featureSet/version",
                    "the feature-set version the model was trained on"));
        }
        return new Lineage(l.runId(), l.taskId(), l.codeVersion(), featureSet);
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    Map<String, Object> list(@PathVariable String name, @Nullable @QueryValue Integer limit,
                             @Nullable @QueryValue String pageToken) {
        if (queries.model(name).isEmpty()) {
            throw ModelController.modelNotFound(name);
        }
        Page<ModelVersionView> page = Paging.page(() -> queries.versions(name, Paging.limit(limit), pageToken));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("versions", page.items());
        out.put("nextPageToken", page.nextPageToken());
        return out;
    }

    @Get(uri = "/{version}", produces = MediaType.APPLICATION_JSON)
    ModelVersionView get(@PathVariable String name, @PathVariable String version) {
        return version(name, number(version));
    }

    @Patch(uri = "/{version}", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    ModelVersionView update(@PathVariable String name, @PathVariable String version, @Nullable @Body String body,
                            @Nullable @Header(PRINCIPAL_HEADER) String principal,
                            @Nullable @Header(IDEMPOTENCY_HEADER) String idempotencyKey) {
        int v = number(version);
        RegistryRequests.Description request = read(body, RegistryRequests.Description.class, null);
        writes.write(new ModelCommand.UpdateVersionDescription(RegistryWrites.commandId(idempotencyKey), name, v,
                request.description(), RegistryWrites.principal(principal)));
        return version(name, v);
    }

    @Put(uri = "/{version}/tags/{key}", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    ModelVersionView setTag(@PathVariable String name, @PathVariable String version, @PathVariable String key,
                            @Nullable @Body String body, @Nullable @Header(PRINCIPAL_HEADER) String principal,
                            @Nullable @Header(IDEMPOTENCY_HEADER) String idempotencyKey) {
        int v = number(version);
        RegistryRequests.TagValue request = read(body, RegistryRequests.TagValue.class, null);
        String value = required(request.value(), "value", "the tag's value (a string)");
        writes.write(new ModelCommand.SetVersionTag(RegistryWrites.commandId(idempotencyKey), name, v, key, value,
                RegistryWrites.principal(principal)));
        return version(name, v);
    }

    @Delete(uri = "/{version}/tags/{key}", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    ModelVersionView deleteTag(@PathVariable String name, @PathVariable String version, @PathVariable String key,
                               @Nullable @Header(PRINCIPAL_HEADER) String principal,
                               @Nullable @Header(IDEMPOTENCY_HEADER) String idempotencyKey) {
        int v = number(version);
        writes.write(new ModelCommand.DeleteVersionTag(RegistryWrites.commandId(idempotencyKey), name, v, key,
                RegistryWrites.principal(principal)));
        return version(name, v);
    }

    @Post(uri = "/{version}/stage", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    ModelVersionView transition(@PathVariable String name, @PathVariable String version,
                                @Nullable @Body String body, @Nullable @Header(PRINCIPAL_HEADER) String principal,
                                @Nullable @Header(IDEMPOTENCY_HEADER) String idempotencyKey) {
        int v = number(version);
        RegistryRequests.Stage request = read(body, RegistryRequests.Stage.class, null);
        String stageName = required(request.stage(), "stage", "one of None, Staging, Production, Archived");
        ModelStage stage = ModelStage.fromMlflowName(stageName).orElseThrow(() -> ApiException.of(
                HttpStatus.BAD_REQUEST, "invalid_argument", "stage '" + stageName + "' is unknown",
                "use one of None, Staging, Production, Archived"));
        writes.write(new ModelCommand.TransitionStage(RegistryWrites.commandId(idempotencyKey), name, v, stage,
                Boolean.TRUE.equals(request.archiveExistingVersions()), RegistryWrites.principal(principal)));
        return version(name, v);
    }

    /** A version number from a path, or a 400 that says what a version number looks like. */
    static int number(String version) {
        try {
            int v = Integer.parseInt(version);
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.of(HttpStatus.BAD_REQUEST, "invalid_argument", "'" + version
                + "' is not a version number", "versions are numbered 1, 2, 3 …");
    }

    private ModelVersionView version(String name, int version) {
        return queries.version(name, version).orElseThrow(() -> queries.model(name).isEmpty()
                ? ModelController.modelNotFound(name)
                : ApiException.of(HttpStatus.NOT_FOUND, "version_not_found", "model '" + name + "' has no version "
                        + version, "list its versions with GET /api/v1/models/" + name + "/versions"));
    }
}

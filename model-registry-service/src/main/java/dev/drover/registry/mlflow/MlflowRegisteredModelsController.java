package dev.drover.registry.mlflow;

import dev.drover.registry.core.ModelCommand;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.drover.registry.mlflow.MlflowRoutes.AJAX_API_PREFIX;
import static dev.drover.registry.mlflow.MlflowRoutes.API_PREFIX;

/**
 * MLflow's registered-model endpoints ({@code /api/2.0/mlflow/registered-models/...}), served from the registry's
 * core (writes) and read model (reads). See docs/mlflow-compatibility.md.
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(property = "drover.registry.enabled", value = "true")
public class MlflowRegisteredModelsController {
    private static final String RM = "/registered-models";

    private final MlflowReads reads;
    private final MlflowWrites writes;

    MlflowRegisteredModelsController(MlflowReads reads, MlflowWrites writes) {
        this.reads = reads;
        this.writes = writes;
    }

    @Post(uris = {API_PREFIX + RM + "/create", AJAX_API_PREFIX + RM + "/create"},
            consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    Map<String, Object> create(HttpRequest<?> request, @Nullable @Body String body) {
        MlflowRequest in = MlflowRequest.of(request, body);
        String name = in.requiredString("name");
        writes.send(new ModelCommand.CreateModel(newId(), name, in.optionalString("description").orElse(null),
                in.tags("tags"), in.principal()));
        return MlflowJson.wrap("registered_model", MlflowJson.registeredModel(reads.model(name)));
    }

    /** Replaces the description (absent: none, as MLflow's server then stores an empty one). */
    @Patch(uris = {API_PREFIX + RM + "/update", AJAX_API_PREFIX + RM + "/update"},
            consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    Map<String, Object> update(HttpRequest<?> request, @Nullable @Body String body) {
        MlflowRequest in = MlflowRequest.of(request, body);
        String name = in.requiredString("name");
        writes.send(new ModelCommand.UpdateModelDescription(newId(), name,
                in.optionalString("description").orElse(null), in.principal()));
        return MlflowJson.wrap("registered_model", MlflowJson.registeredModel(reads.model(name)));
    }

    @Get(uris = {API_PREFIX + RM + "/get", AJAX_API_PREFIX + RM + "/get"}, produces = MediaType.APPLICATION_JSON)
    Map<String, Object> get(HttpRequest<?> request) {
        MlflowRequest in = MlflowRequest.of(request, null);
        return MlflowJson.wrap("registered_model", MlflowJson.registeredModel(reads.model(in.requiredString("name"))));
    }

    @Get(uris = {API_PREFIX + RM + "/search", AJAX_API_PREFIX + RM + "/search"},
            produces = MediaType.APPLICATION_JSON)
    Map<String, Object> search(HttpRequest<?> request) {
        MlflowRequest in = MlflowRequest.of(request, null, "order_by");
        SearchPage<RegisteredModelView> page = reads.searchModels(in.optionalString("filter").orElse(null),
                in.optionalLong("max_results").orElse(null), in.stringList("order_by"),
                in.optionalString("page_token").orElse(null));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("registered_models", page.items().stream().map(MlflowJson::registeredModel).toList());
        if (page.nextPageToken() != null) {
            out.put("next_page_token", page.nextPageToken());
        }
        return out;
    }

    @Get(uris = {API_PREFIX + RM + "/get-latest-versions", AJAX_API_PREFIX + RM + "/get-latest-versions"},
            produces = MediaType.APPLICATION_JSON)
    Map<String, Object> latestVersions(HttpRequest<?> request) {
        return latestVersions(MlflowRequest.of(request, null, "stages"));
    }

    @Post(uris = {API_PREFIX + RM + "/get-latest-versions", AJAX_API_PREFIX + RM + "/get-latest-versions"},
            consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    Map<String, Object> latestVersionsByPost(HttpRequest<?> request, @Nullable @Body String body) {
        return latestVersions(MlflowRequest.of(request, body, "stages"));
    }

    private Map<String, Object> latestVersions(MlflowRequest in) {
        List<ModelVersionView> versions = reads.latestVersions(in.requiredString("name"), in.stringList("stages"));
        return MlflowJson.wrap("model_versions", versions.stream().map(MlflowJson::modelVersion).toList());
    }

    @Post(uris = {API_PREFIX + RM + "/set-tag", AJAX_API_PREFIX + RM + "/set-tag"},
            consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    Map<String, Object> setTag(HttpRequest<?> request, @Nullable @Body String body) {
        MlflowRequest in = MlflowRequest.of(request, body);
        writes.send(new ModelCommand.SetModelTag(newId(), in.requiredString("name"), in.requiredString("key"),
                in.optionalString("value").orElse(""), in.principal()));
        return Map.of();
    }

    @Delete(uris = {API_PREFIX + RM + "/delete-tag", AJAX_API_PREFIX + RM + "/delete-tag"},
            consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    Map<String, Object> deleteTag(HttpRequest<?> request, @Nullable @Body String body) {
        MlflowRequest in = MlflowRequest.of(request, body);
        writes.send(new ModelCommand.DeleteModelTag(newId(), in.requiredString("name"), in.requiredString("key"),
                in.principal()));
        return Map.of();
    }

    @Post(uris = {API_PREFIX + RM + "/alias", AJAX_API_PREFIX + RM + "/alias"},
            consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    Map<String, Object> setAlias(HttpRequest<?> request, @Nullable @Body String body) {
        MlflowRequest in = MlflowRequest.of(request, body);
        String name = in.requiredString("name");
        String alias = in.requiredString("alias");
        writes.send(new ModelCommand.SetAlias(newId(), name, alias, in.requiredVersion("version"), null,
                in.principal()));
        return Map.of();
    }

    @Delete(uris = {API_PREFIX + RM + "/alias", AJAX_API_PREFIX + RM + "/alias"},
            consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    Map<String, Object> deleteAlias(HttpRequest<?> request, @Nullable @Body String body) {
        MlflowRequest in = MlflowRequest.of(request, body);
        writes.send(new ModelCommand.DeleteAlias(newId(), in.requiredString("name"), in.requiredString("alias"),
                null, in.principal()));
        return Map.of();
    }

    @Get(uris = {API_PREFIX + RM + "/alias", AJAX_API_PREFIX + RM + "/alias"}, produces = MediaType.APPLICATION_JSON)
    Map<String, Object> getByAlias(HttpRequest<?> request) {
        MlflowRequest in = MlflowRequest.of(request, null);
        ModelVersionView version = reads.versionByAlias(in.requiredString("name"), in.requiredString("alias"));
        return MlflowJson.wrap("model_version", MlflowJson.modelVersion(version));
    }

    @Post(uris = {API_PREFIX + RM + "/rename", AJAX_API_PREFIX + RM + "/rename"},
            consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    Map<String, Object> rename() {
        throw new MlflowException(MlflowErrorCode.NOT_IMPLEMENTED, "Renaming a registered model is not supported: "
                + "Drover's registry keeps every model's history under its name, and a name is how lineage and "
                + "aliases refer to it. Create a model under the new name and register the versions there; archive "
                + "the old model's versions with model-versions/transition-stage (stage Archived).");
    }

    @Delete(uris = {API_PREFIX + RM + "/delete", AJAX_API_PREFIX + RM + "/delete"},
            consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    Map<String, Object> delete() {
        throw new MlflowException(MlflowErrorCode.NOT_IMPLEMENTED, "Deleting a registered model is not supported: "
                + "Drover's registry is event-sourced and keeps every model's history. Archive its versions with "
                + "model-versions/transition-stage (stage Archived) and delete its aliases with DELETE "
                + "registered-models/alias instead.");
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }
}

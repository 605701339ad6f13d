package dev.drover.registry.mlflow;

import dev.drover.registry.RegistryRuntime;
import dev.drover.registry.readmodel.ReadCache;
import dev.drover.registry.core.ModelStage;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The MLflow API's reads with MLflow's answers for what does not exist ({@code RESOURCE_DOES_NOT_EXIST} and MLflow's
 * wording) and its parameter checks (stages, {@code max_results}).
 */
@Singleton
@Requires(property = "drover.registry.enabled", value = "true")
public class MlflowReads {
    private final MlflowRegistryQueries queries;
    private final ReadCache cache;

    @Inject
    MlflowReads(MlflowRegistryQueries queries, RegistryRuntime runtime) {
        this(queries, runtime.readCache());
    }

    MlflowReads(MlflowRegistryQueries queries, ReadCache cache) {
        this.queries = queries;
        this.cache = cache;
    }

    RegisteredModelView model(String name) {
        return queries.registeredModel(name).orElseThrow(() -> MlflowException.notFound("Registered Model with name="
                + name + " not found. Create it with registered-models/create, or list models with "
                + "registered-models/search."));
    }

    ModelVersionView version(String name, int version) {
        return queries.modelVersion(name, version).orElseThrow(() -> {
            model(name); // an unknown model is the better answer when the model itself is missing
            return MlflowException.notFound("Model Version (name=" + name + ", version=" + version + ") not found. "
                    + "List the model's versions with model-versions/search and filter name = '" + name + "'.");
        });
    }

    /** The version an alias points at: the hot read of model serving, answered from the {@link ReadCache}. */
    ModelVersionView versionByAlias(String name, String alias) {
        return cache.get(name, "mlflow-alias/" + alias, () -> queries.aliasVersion(name, alias)
                .flatMap(version -> queries.modelVersion(name, version))).orElseThrow(() -> {
                    model(name);
                    return MlflowException.notFound("Registered model alias " + alias + " not found. The model's "
                            + "aliases are listed in registered-models/get; set one with POST registered-models/alias.");
                });
    }

    List<ModelVersionView> latestVersions(String name, List<String> stages) {
        model(name);
        Set<String> wanted = new LinkedHashSet<>();
        if (stages.isEmpty()) {
            for (ModelStage s : ModelStage.values()) {
                wanted.add(s.mlflowName());
            }
        }
        for (String s : stages) {
            wanted.add(stage(s).mlflowName());
        }
        return queries.latestVersions(name, wanted);
    }

    SearchPage<RegisteredModelView> searchModels(String filter, Long maxResults, List<String> orderBy,
                                                 String pageToken) {
        SearchTarget target = SearchTarget.REGISTERED_MODELS;
        return queries.searchRegisteredModels(SearchFilter.parse(filter, target), OrderBy.parse(orderBy, target),
                maxResults(maxResults, target), PageToken.decode(pageToken));
    }

    SearchPage<ModelVersionView> searchVersions(String filter, Long maxResults, List<String> orderBy,
                                                String pageToken) {
        SearchTarget target = SearchTarget.MODEL_VERSIONS;
        return queries.searchModelVersions(SearchFilter.parse(filter, target), OrderBy.parse(orderBy, target),
                maxResults(maxResults, target), PageToken.decode(pageToken));
    }

    /** A stage name as MLflow accepts it: case-insensitive. */
    static ModelStage stage(String name) {
        return ModelStage.fromMlflowName(name).orElseThrow(() -> MlflowException.invalidParameter(
                "Invalid Model Version stage: " + name + ". Value must be one of None, Staging, Production, "
                        + "Archived."));
    }

    static int maxResults(Long requested, SearchTarget target) {
        if (requested == null) {
            return target.defaultMaxResults();
        }
        if (requested < 1) {
            throw MlflowException.invalidParameter("Invalid value for max_results. It must be a positive integer, "
                    + "but got " + requested + ".");
        }
        if (requested > target.maxMaxResults()) {
            throw MlflowException.invalidParameter("Invalid value for request parameter max_results. It must be at "
                    + "most " + target.maxMaxResults() + ", but got value " + requested + ". Page through larger "
                    + "results with page_token.");
        }
        return requested.intValue();
    }
}

package dev.drover.registry.api;

import dev.drover.platform.http.ApiException;
import dev.drover.platform.security.Permission;
import dev.drover.platform.security.RequiresPermission;
import dev.drover.registry.core.Feature;
import dev.drover.registry.core.FeatureSchema;
import dev.drover.registry.core.FeatureSetCommand;
import dev.drover.registry.core.FeatureStatistics;
import dev.drover.registry.core.FeatureType;
import dev.drover.registry.core.Quantile;
import dev.drover.registry.core.ReferenceStatistics;
import dev.drover.registry.readmodel.FeatureSetVersionView;
import dev.drover.registry.readmodel.RegistryQueries;
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
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.drover.registry.api.RegistryWrites.IDEMPOTENCY_HEADER;
import static dev.drover.registry.api.RegistryWrites.PRINCIPAL_HEADER;
import static dev.drover.registry.api.RequestBodies.read;
import static dev.drover.registry.api.RequestBodies.required;

/** Feature sets: register a version with its schema and reference statistics, list, read. See docs/registry-api.md. */
@Controller("/api/v1/feature-sets")
@Tag(name = "feature-sets")
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(property = "drover.registry.enabled", value = "true")
public class FeatureSetController {
    private final RegistryWrites writes;
    private final RegistryQueries queries;

    FeatureSetController(RegistryWrites writes, RegistryQueries queries) {
        this.writes = writes;
        this.queries = queries;
    }

    @RequiresPermission(value = Permission.MODEL_WRITE, resource = "name")
    @Post(uri = "/{name}/versions", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "registerFeatureSetVersion",
            summary = "Register a version of a feature set with its schema and statistics",
            requestBody = @RequestBody(required = true, content = @Content(mediaType = ApiDocs.JSON,
                    schema = @Schema(implementation = RegistryRequests.FeatureSetVersion.class))),
            responses = @ApiResponse(responseCode = "201", description = "registered"))
    HttpResponse<FeatureSetVersionView> register(@Parameter(schema = @Schema(pattern = ApiDocs.NAME))
            @PathVariable String name,
                                                 @Nullable @Body String body,
                                                 @Parameter(description = ApiDocs.PRINCIPAL_DESCRIPTION,
                                                         schema = @Schema(maxLength = 200))
            @Nullable @Header(PRINCIPAL_HEADER) String principal,
                                                 @Parameter(description = ApiDocs.IDEMPOTENCY_DESCRIPTION,
                                                         schema = @Schema(minLength = 1, maxLength = 200))
            @Nullable @Header(IDEMPOTENCY_HEADER) String idempotencyKey) {
        RegistryRequests.FeatureSetVersion request = read(body, RegistryRequests.FeatureSetVersion.class, null);
        String dataLocation = required(request.dataLocation(), "dataLocation",
                "where the data the statistics describe is, e.g. \"s3://features/churn/2030-01\"");
        FeatureSchema schema = schema(required(request.schema(), "schema",
                "{\"features\": [{\"name\": \"tenure\", \"type\": \"NUMERIC\"}, …]}"));
        ReferenceStatistics statistics = statistics(required(request.statistics(), "statistics",
                "{\"rowCount\": n, \"features\": {…}} (docs/registry-api.md)"), schema);
        RegistryWrites.Written written = writes.write(new FeatureSetCommand.RegisterFeatureSetVersion(
                RegistryWrites.commandId(idempotencyKey), name, request.description(), schema, dataLocation,
                statistics, RegistryWrites.principal(principal)));
        return HttpResponse.created(queries.featureSetVersionOfCommand(written.commandId())
                .orElseThrow(() -> notFound(name, "the version just registered")));
    }

    @RequiresPermission(Permission.READ)
    @Get(produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "listFeatureSets",
            summary = "Every feature set, by name")
    Map<String, Object> list() {
        return Map.of("featureSets", queries.featureSets());
    }

    @RequiresPermission(value = Permission.READ, resource = "name")
    @Get(uri = "/{name}/versions/{version}", produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "getFeatureSetVersion",
            summary = "One version of a feature set (latest allowed)")
    FeatureSetVersionView get(@Parameter(schema = @Schema(pattern = ApiDocs.NAME)) @PathVariable String name,
                              @Parameter(schema = @Schema(pattern = "^([1-9][0-9]{0,8}|latest)$"))
                                      @PathVariable String version) {
        Integer number = version.equalsIgnoreCase("latest") ? null : number(version);
        return queries.featureSetVersion(name, number).orElseThrow(() -> notFound(name,
                number == null ? "any version" : "version " + number));
    }

    private static int number(String version) {
        try {
            int v = Integer.parseInt(version);
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.of(HttpStatus.BAD_REQUEST, "invalid_argument", "'" + version
                + "' is not a version number", "use 1, 2, 3 … or latest");
    }

    private static ApiException notFound(String name, String what) {
        return ApiException.of(HttpStatus.NOT_FOUND, "feature_set_not_found", "feature set '" + name + "' has no "
                + what, "list feature sets with GET /api/v1/feature-sets");
    }

    private static FeatureSchema schema(RegistryRequests.Schema schema) {
        List<Feature> features = new ArrayList<>();
        List<RegistryRequests.Feature> given = required(schema.features(), "schema/features",
                "a list of {\"name\", \"type\"}");
        for (int i = 0; i < given.size(); i++) {
            RegistryRequests.Feature f = required(given.get(i), "schema/features/" + i, "{\"name\", \"type\"}");
            String typeName = required(f.type(), "schema/features/" + i + "/type", "NUMERIC, CATEGORICAL or BINARY");
            FeatureType type;
            try {
                type = FeatureType.valueOf(typeName.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiException.of(HttpStatus.BAD_REQUEST, "invalid_argument", "schema/features/" + i
                        + "/type '" + typeName + "' is unknown", "use NUMERIC, CATEGORICAL or BINARY");
            }
            features.add(new Feature(required(f.name(), "schema/features/" + i + "/name", "the feature's name"),
                    type));
        }
        return new FeatureSchema(features);
    }

    /** The statistics, each feature in the form its schema type calls for (the core checks the numbers). */
    private static ReferenceStatistics statistics(RegistryRequests.Statistics statistics, FeatureSchema schema) {
        long rowCount = required(statistics.rowCount(), "statistics/rowCount", "how many rows the data has");
        Map<String, FeatureStatistics> features = new LinkedHashMap<>();
        Map<String, RegistryRequests.FeatureStatistics> given = statistics.features() == null ? Map.of()
                : statistics.features();
        for (Map.Entry<String, RegistryRequests.FeatureStatistics> e : given.entrySet()) {
            String path = "statistics/features/" + e.getKey();
            RegistryRequests.FeatureStatistics f = required(e.getValue(), path, "the feature's statistics");
            long missing = f.missing() == null ? 0 : f.missing();
            boolean numeric = schema.feature(e.getKey()).map(x -> x.type() == FeatureType.NUMERIC)
                    .orElse(f.histogram() != null || f.quantiles() != null);
            if (numeric) {
                List<Double> edges = f.histogram() == null ? List.of() : noNulls(f.histogram().edges(),
                        path + "/histogram/edges");
                List<Long> counts = f.histogram() == null ? List.of() : noNulls(f.histogram().counts(),
                        path + "/histogram/counts");
                List<Quantile> quantiles = new ArrayList<>();
                List<RegistryRequests.Quantile> qs = f.quantiles() == null ? List.of() : f.quantiles();
                for (int i = 0; i < qs.size(); i++) {
                    RegistryRequests.Quantile q = required(qs.get(i), path + "/quantiles/" + i, "{\"p\", \"value\"}");
                    quantiles.add(new Quantile(required(q.p(), path + "/quantiles/" + i + "/p", "a probability"),
                            required(q.value(), path + "/quantiles/" + i + "/value", "the quantile's value")));
                }
                features.put(e.getKey(), new FeatureStatistics.NumericStatistics(edges, counts, quantiles, missing));
            } else {
                Map<String, Long> categories = f.categories() == null ? Map.of() : f.categories();
                categories.forEach((k, v) -> required(v, path + "/categories/" + k, "the category's count"));
                features.put(e.getKey(), new FeatureStatistics.CategoricalStatistics(categories, missing));
            }
        }
        return new ReferenceStatistics(rowCount, features);
    }

    private static <T> List<T> noNulls(List<T> list, String path) {
        if (list == null) {
            return List.of();
        }
        for (int i = 0; i < list.size(); i++) {
            required(list.get(i), path + "/" + i, "a number");
        }
        return list;
    }
}

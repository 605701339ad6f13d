package dev.drover.monitor.api;

import dev.drover.monitor.core.MonitorCommand;
import dev.drover.monitor.readmodel.AlertView;
import dev.drover.monitor.readmodel.DriftReportView;
import dev.drover.monitor.readmodel.MonitorQueries;
import dev.drover.monitor.readmodel.MonitorView;
import dev.drover.monitor.readmodel.Page;
import dev.drover.monitor.readmodel.PerformanceView;
import dev.drover.monitor.readmodel.TriggerView;
import dev.drover.monitor.readmodel.WindowDataView;
import dev.drover.platform.http.ApiException;
import dev.drover.platform.security.Permission;
import dev.drover.platform.security.RequiresPermission;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.function.Supplier;

import static dev.drover.monitor.api.MonitorWrites.PRINCIPAL_HEADER;

/**
 * Monitored models: their policy, drift reports, retrain triggers, performance and alerts. Reads come from the read
 * model; see docs/monitor-api.md.
 */
@Controller("/api/v1/monitors")
@Tag(name = "monitors")
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(property = "drover.monitor.enabled", value = "true")
public class MonitorController {
    static final int DEFAULT_PAGE_SIZE = 100;
    private final MonitorWrites writes;
    private final MonitorQueries queries;

    MonitorController(MonitorWrites writes, MonitorQueries queries) {
        this.writes = writes;
        this.queries = queries;
    }

    @RequiresPermission(value = Permission.MODEL_WRITE, resource = "model")
    @Put(uri = "/{model}", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "configureMonitor",
            summary = "Monitor a model, or replace its policy",
            requestBody = @RequestBody(required = true, content = @Content(mediaType = ApiDocs.JSON,
                    schema = @Schema(implementation = ApiDocs.Policy.class))))
    MonitorView configure(@Parameter(schema = @Schema(pattern = ApiDocs.MODEL)) @PathVariable String model,
                          @Nullable @Body String body,
                          @Parameter(description = ApiDocs.PRINCIPAL_DESCRIPTION, schema = @Schema(maxLength = 200))
                          @Nullable @Header(PRINCIPAL_HEADER) String principal) {
        writes.write(new MonitorCommand.ConfigureMonitoring(MonitorWrites.commandId(), model, PolicyBody.read(body),
                MonitorWrites.principal(principal)));
        return monitor(model);
    }

    @RequiresPermission(Permission.READ)
    @Get(produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "listMonitors",
            summary = "Monitored models by name")
    Page<MonitorView> list(@Parameter(description = ApiDocs.LIMIT_DESCRIPTION,
            schema = @Schema(minimum = "1", maximum = "1000"))
            @Nullable @QueryValue Integer limit,
                                                            @Parameter(description = ApiDocs.PAGE_TOKEN_DESCRIPTION)
                                                                    @Nullable @QueryValue String pageToken) {
        return page(() -> queries.monitors(limit(limit), pageToken));
    }

    @RequiresPermission(value = Permission.READ, resource = "model")
    @Get(uri = "/{model}", produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "getMonitor",
            summary = "One monitored model with its policy and counts")
    MonitorView get(@Parameter(schema = @Schema(pattern = ApiDocs.MODEL)) @PathVariable String model) {
        return monitor(model);
    }

    @RequiresPermission(value = Permission.READ, resource = "model")
    @Get(uri = "/{model}/reports", produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "listDriftReports",
            summary = "Drift reports of a model, newest first")
    Page<DriftReportView> reports(@Parameter(schema = @Schema(pattern = ApiDocs.MODEL)) @PathVariable String model,
                                  @Parameter(description = ApiDocs.LIMIT_DESCRIPTION, schema = @Schema(minimum = "1",
                                          maximum = "1000"))
            @Nullable @QueryValue Integer limit,
                                  @Parameter(description = ApiDocs.PAGE_TOKEN_DESCRIPTION) @Nullable
                                          @QueryValue String pageToken,
                                  @Parameter(description = "true: each report with every feature's result (the "
                                          + "statistics of drift over time)") @Nullable @QueryValue Boolean features) {
        monitor(model);
        return page(() -> Boolean.TRUE.equals(features) ? queries.reportsWithFeatures(model, limit(limit), pageToken)
                : queries.reports(model, limit(limit), pageToken));
    }

    @RequiresPermission(value = Permission.READ, resource = "model")
    @Get(uri = "/{model}/reports/{windowId}", produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "getDriftReport",
            summary = "One drift report with every feature's test")
    DriftReportView report(@Parameter(schema = @Schema(pattern = ApiDocs.MODEL)) @PathVariable String model,
                           @PathVariable String windowId) {
        monitor(model);
        return queries.report(model, windowId).orElseThrow(() -> ApiException.of(HttpStatus.NOT_FOUND,
                "report_not_found", "model '" + model + "' has no drift report of window '" + windowId + "'",
                "list its reports with GET /api/v1/monitors/" + model + "/reports"));
    }

    @RequiresPermission(value = Permission.READ, resource = "model")
    @Get(uri = "/{model}/windows/{windowId}/data", produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "getWindowData",
            summary = "Where a window's production rows are kept, how many, and how many labelled rows score them")
    WindowDataView windowData(@Parameter(schema = @Schema(pattern = ApiDocs.MODEL)) @PathVariable String model,
                              @PathVariable String windowId) {
        monitor(model);
        return queries.windowData(model, windowId).orElseThrow(() -> ApiException.of(HttpStatus.NOT_FOUND,
                "window_not_found", "model '" + model + "' has no recorded window '" + windowId + "'",
                "list its windows with GET /api/v1/monitors/" + model + "/reports (each report names its window)"));
    }

    @RequiresPermission(value = Permission.READ, resource = "model")
    @Get(uri = "/{model}/triggers", produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "listRetrainTriggers",
            summary = "Retrain requests and suppressions, newest first")
    Page<TriggerView> triggers(@Parameter(schema = @Schema(pattern = ApiDocs.MODEL)) @PathVariable String model,
                               @Parameter(description = ApiDocs.LIMIT_DESCRIPTION, schema = @Schema(minimum = "1",
                                       maximum = "1000"))
            @Nullable @QueryValue Integer limit,
                               @Parameter(description = ApiDocs.PAGE_TOKEN_DESCRIPTION) @Nullable
                                       @QueryValue String pageToken) {
        monitor(model);
        return page(() -> queries.triggers(model, limit(limit), pageToken));
    }

    @RequiresPermission(value = Permission.READ, resource = "model")
    @Get(uri = "/{model}/performance", produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "listPerformance",
            summary = "Performance per window and version, newest first")
    Page<PerformanceView> performance(@Parameter(schema = @Schema(pattern = ApiDocs.MODEL)) @PathVariable String model,
                                      @Parameter(description = ApiDocs.LIMIT_DESCRIPTION, schema =
                                              @Schema(minimum = "1", maximum = "1000"))
            @Nullable @QueryValue Integer limit,
                                      @Parameter(description = ApiDocs.PAGE_TOKEN_DESCRIPTION) @Nullable
                                              @QueryValue String pageToken) {
        monitor(model);
        return page(() -> queries.performance(model, limit(limit), pageToken));
    }

    @RequiresPermission(value = Permission.READ, resource = "model")
    @Get(uri = "/{model}/alerts", produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "listAlerts",
            summary = "Alerts sent, newest first")
    Page<AlertView> alerts(@Parameter(schema = @Schema(pattern = ApiDocs.MODEL)) @PathVariable String model,
                           @Parameter(description = ApiDocs.LIMIT_DESCRIPTION, schema = @Schema(minimum = "1",
                                   maximum = "1000"))
            @Nullable @QueryValue Integer limit,
                           @Parameter(description = ApiDocs.PAGE_TOKEN_DESCRIPTION) @Nullable
                                   @QueryValue String pageToken) {
        monitor(model);
        return page(() -> queries.alerts(model, limit(limit), pageToken));
    }

    private MonitorView monitor(String model) {
        return queries.monitor(model).orElseThrow(() -> notMonitored(model));
    }

    static ApiException notMonitored(String model) {
        return ApiException.of(HttpStatus.NOT_FOUND, "monitor_not_found", "model '" + model + "' is not monitored",
                "configure it with PUT /api/v1/monitors/" + model + " (docs/monitor-api.md), or list monitored "
                        + "models with GET /api/v1/monitors");
    }

    private static int limit(Integer limit) {
        return limit == null ? DEFAULT_PAGE_SIZE : limit;
    }

    private static <T> Page<T> page(Supplier<Page<T>> read) {
        try {
            return read.get();
        } catch (MonitorQueries.InvalidQueryException e) {
            throw ApiException.of(HttpStatus.BAD_REQUEST, "invalid_argument", e.getMessage(),
                    "use limit between 1 and " + MonitorQueries.MAX_PAGE_SIZE + " and a pageToken from the "
                            + "previous page");
        }
    }
}

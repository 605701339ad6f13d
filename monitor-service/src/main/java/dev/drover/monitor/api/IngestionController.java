package dev.drover.monitor.api;

import dev.drover.monitor.MonitorRuntime;
import dev.drover.monitor.readmodel.MonitorQueries;
import dev.drover.monitor.wire.Label;
import dev.drover.monitor.wire.Prediction;
import dev.drover.platform.http.BodyLimit;
import dev.drover.platform.kafka.Topics;
import dev.drover.platform.security.Permission;
import dev.drover.platform.security.RequiresPermission;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
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
import java.util.List;
import java.util.Map;

/**
 * Batches of predictions and labels over REST, for serving systems that do not publish to Kafka: validated whole,
 * then produced to the same topics, in the same Avro form, as a Kafka publisher would. See docs/monitor-api.md.
 */
@Controller("/api/v1/monitors/{model}")
@Tag(name = "monitors")
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(property = "drover.monitor.enabled", value = "true")
public class IngestionController {
    private final MonitorRuntime runtime;
    private final MonitorQueries queries;
    private final InferenceProducer producer;

    IngestionController(MonitorRuntime runtime, MonitorQueries queries, InferenceProducer producer) {
        this.runtime = runtime;
        this.queries = queries;
        this.producer = producer;
    }

    @RequiresPermission(value = Permission.PUBLISH, resource = "model")
    @Post(uri = "/predictions", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    @BodyLimit(bytes = BatchBody.MAX_BYTES + 1) // a batch is split into a record per item; BatchBody says the limit
    @Operation(operationId = "postPredictions",
            summary = "A batch of predictions, validated whole, produced to Kafka",
            requestBody = @RequestBody(required = true, content = @Content(mediaType = ApiDocs.JSON,
                    schema = @Schema(implementation = ApiDocs.Predictions.class))),
            responses = @ApiResponse(responseCode = "202", description = "every record acknowledged by the broker"))
    HttpResponse<Map<String, Object>> predictions(@Parameter(schema = @Schema(pattern = ApiDocs.MODEL))
            @PathVariable String model,
                                                  @Nullable @Body String body) {
        List<Prediction> batch = BatchBody.predictions(model, body);
        checkMonitored(model);
        List<byte[]> values = new ArrayList<>(batch.size());
        for (Prediction p : batch) {
            values.add(runtime.codec().encodePrediction(p));
        }
        producer.produce(Topics.MONITOR_PREDICTIONS, model, values);
        return HttpResponse.accepted().body(Map.of("accepted", batch.size()));
    }

    @RequiresPermission(value = Permission.PUBLISH, resource = "model")
    @Post(uri = "/labels", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    @BodyLimit(bytes = BatchBody.MAX_BYTES + 1)
    @Operation(operationId = "postLabels",
            summary = "A batch of labels, validated whole, produced to Kafka",
            requestBody = @RequestBody(required = true, content = @Content(mediaType = ApiDocs.JSON,
                    schema = @Schema(implementation = ApiDocs.Labels.class))),
            responses = @ApiResponse(responseCode = "202", description = "every record acknowledged by the broker"))
    HttpResponse<Map<String, Object>> labels(@Parameter(schema = @Schema(pattern = ApiDocs.MODEL))
            @PathVariable String model,
                                             @Nullable @Body String body) {
        List<Label> batch = BatchBody.labels(model, body);
        checkMonitored(model);
        List<byte[]> values = new ArrayList<>(batch.size());
        for (Label l : batch) {
            values.add(runtime.codec().encodeLabel(l));
        }
        producer.produce(Topics.MONITOR_LABELS, model, values);
        return HttpResponse.accepted().body(Map.of("accepted", batch.size()));
    }

    /** A batch for a model nobody monitors would only be counted as bad records: say so now instead. */
    private void checkMonitored(String model) {
        if (queries.monitor(model).isEmpty()) {
            throw MonitorController.notMonitored(model);
        }
    }
}

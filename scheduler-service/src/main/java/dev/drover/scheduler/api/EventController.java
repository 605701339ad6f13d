package dev.drover.scheduler.api;

import dev.drover.platform.http.ApiException;
import dev.drover.platform.input.RequestRules;
import dev.drover.platform.readmodel.PageTokens;
import dev.drover.platform.security.Permission;
import dev.drover.platform.security.Principals;
import dev.drover.platform.security.RequiresPermission;
import dev.drover.scheduler.pipeline.PipelineSpec;
import dev.drover.scheduler.trigger.CloudEvents.InvalidEventException;
import dev.drover.scheduler.trigger.CloudEvents;
import dev.drover.scheduler.trigger.EventTriggerMatcher;
import dev.drover.scheduler.trigger.EventsConfig;
import dev.drover.scheduler.trigger.ExternalEvent;
import dev.drover.scheduler.trigger.ExternalEventStore;
import dev.drover.scheduler.trigger.ExternalEventTriggers;
import io.cloudevents.CloudEvent;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeIn;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.annotations.security.SecuritySchemes;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * External events: the CloudEvents webhook ({@code POST /api/v1/events}, HTTP binding, structured, batched or binary
 * mode, API key required) and the list of received events ({@code GET /api/v1/events}). See docs/triggers.md.
 *
 * <p>An accepted event is only published to {@code drover.external.events}; the trigger listener acts on it from
 * there, exactly as on an event published to the topic directly. So 202 means "stored, will be acted on", and the
 * {@code matches} in the answer are what the pipelines' triggers say now, not runs that have started yet.
 */
@Controller("/api/v1/events")
@Tag(name = "events")
@SecuritySchemes({
        @SecurityScheme(name = "eventsBearer", type = SecuritySchemeType.HTTP, scheme = "bearer",
                description = "one of drover.scheduler.events.api-keys"),
        @SecurityScheme(name = "eventsApiKey", type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER,
                paramName = "X-Api-Key", description = "one of drover.scheduler.events.api-keys")})
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(property = "drover.scheduler.enabled", value = "true")
public class EventController {
    static final String PAGE_KIND = "events";
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(30);
    private final ExternalEventTriggers triggers;
    private final EventsConfig config;

    EventController(ExternalEventTriggers triggers, EventsConfig config) {
        this.triggers = triggers;
        this.config = config;
    }

    /** A CloudEvent 1.0 in structured mode, for the API description (the controller reads the raw body). */
    @Schema(name = "CloudEvent", description = "a CloudEvent 1.0 (structured mode); other attributes are extensions",
            additionalProperties = Schema.AdditionalPropertiesValue.TRUE)
    record CloudEventDoc(
            @Schema(allowableValues = "1.0", requiredMode = Schema.RequiredMode.REQUIRED) String specversion,
            @Schema(minLength = 1, requiredMode = Schema.RequiredMode.REQUIRED) String id,
            @Schema(minLength = 1, example = "warehouse", requiredMode = Schema.RequiredMode.REQUIRED) String source,
            @Schema(minLength = 1, example = "com.example.table.updated", requiredMode = Schema.RequiredMode.REQUIRED)
            String type,
            @Nullable String subject,
            @Schema(format = "date-time") @Nullable String time,
            @Nullable String datacontenttype,
            @Nullable String dataschema,
            @Schema(ref = ApiDocs.ANY_VALUE_REF) @Nullable Object data) {
    }

    @RequiresPermission(Permission.PUBLISH)
    @Post(consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "receiveCloudEvent", summary = "Receive a CloudEvent (HTTP binding)",
            description = "Structured (application/cloudevents+json), batched (application/cloudevents-batch+json) "
                    + "or binary mode (the ce-* headers and the data as the body, any other content type). Published "
                    + "to drover.external.events, where event triggers act on it (docs/triggers.md).",
            security = {@SecurityRequirement(name = "eventsBearer"), @SecurityRequirement(name = "eventsApiKey")},
            parameters = {
                    @Parameter(name = "ce-specversion", in = ParameterIn.HEADER,
                            description = "binary mode: the spec version", schema = @Schema(type = "string",
                            allowableValues = "1.0")),
                    @Parameter(name = "ce-id", in = ParameterIn.HEADER, description = "binary mode: the event's id",
                            schema = @Schema(type = "string")),
                    @Parameter(name = "ce-source", in = ParameterIn.HEADER, description = "binary mode: its source",
                            schema = @Schema(type = "string")),
                    @Parameter(name = "ce-type", in = ParameterIn.HEADER, description = "binary mode: its type",
                            schema = @Schema(type = "string")),
                    @Parameter(name = "ce-subject", in = ParameterIn.HEADER, description = "binary mode: subject",
                            schema = @Schema(type = "string")),
                    @Parameter(name = "ce-time", in = ParameterIn.HEADER, description = "binary mode: time",
                            schema = @Schema(type = "string", format = "date-time"))},
            requestBody = @RequestBody(required = true, content = {
                    @Content(mediaType = CloudEvents.STRUCTURED, schema =
                            @Schema(implementation = CloudEventDoc.class)),
                    @Content(mediaType = CloudEvents.BATCH, array = @ArraySchema(
                            schema = @Schema(implementation = CloudEventDoc.class))),
                    // binary mode: the body is the event's data, any JSON value
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = ApiDocs.ANY_VALUE_REF))}),
            responses = @ApiResponse(responseCode = "202", description = "stored; matches are the pipelines whose "
                    + "triggers it matches now"))
    HttpResponse<Map<String, Object>> receive(@Parameter(hidden = true) HttpRequest<?> request,
                                              @Nullable @Body byte[] body) {
        authenticate(request);
        if (body != null && body.length > config.getMaxEventBytes()) {
            throw ApiException.of(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "event_too_large", "the request body has "
                    + body.length + " bytes, more than the " + config.getMaxEventBytes() + " allowed",
                    "keep events small: put large payloads in storage and send their location in the data "
                            + "(or raise drover.scheduler.events.max-event-bytes)");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        request.getHeaders().forEach((name, values) -> {
            if (!values.isEmpty()) {
                headers.put(name.toLowerCase(Locale.ROOT), values.get(values.size() - 1));
            }
        });
        String contentType = headers.get("content-type");
        List<CloudEvent> events;
        List<ExternalEvent> externals = new ArrayList<>();
        try {
            events = contentType != null && mediaType(contentType).equals(CloudEvents.BATCH)
                    ? CloudEvents.readBatch(body)
                    : List.of(CloudEvents.read(headers, CloudEvents.HTTP_PREFIX, body));
            for (CloudEvent e : events) {
                externals.add(CloudEvents.toExternal(e));
            }
        } catch (InvalidEventException e) {
            throw ApiException.of(HttpStatus.BAD_REQUEST, "invalid_event", e.getMessage(),
                    "send a CloudEvent 1.0 in structured mode (Content-Type: " + CloudEvents.STRUCTURED + ") or binary"
                            + " mode (ce-specversion, ce-id, ce-source, ce-type headers and the data as the body); "
                            + "see docs/triggers.md");
        }
        List<java.util.concurrent.CompletableFuture<?>> published = new ArrayList<>();
        events.forEach(e -> published.add(triggers.publish(e)));
        try {
            for (var p : published) {
                p.get(PUBLISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(e);
        } catch (Exception e) {
            throw unavailable(e);
        }
        List<Map<String, Object>> accepted = new ArrayList<>();
        for (ExternalEvent e : externals) {
            accepted.add(accepted(e));
        }
        Map<String, Object> out = accepted.size() == 1 && !(contentType != null
                && mediaType(contentType).equals(CloudEvents.BATCH)) ? accepted.get(0) : Map.of("events", accepted);
        return HttpResponse.accepted().body(out);
    }

    private Map<String, Object> accepted(ExternalEvent e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", e.id());
        out.put("source", e.source());
        out.put("type", e.type());
        List<Map<String, Object>> matches = new ArrayList<>();
        try {
            for (PipelineSpec spec : triggers.store().pipelinesTriggeredBy(e.type())) {
                if (EventTriggerMatcher.evaluate(spec, e) instanceof EventTriggerMatcher.Matched m) {
                    matches.add(Map.of("pipelineId", m.pipelineId(), "runId", m.runId()));
                }
            }
            out.put("matches", matches);
        } catch (IllegalStateException ex) {
            out.put("matches", null); // the event is stored; which pipelines it starts is seen in GET /api/v1/events
        }
        return out;
    }

    @RequiresPermission(Permission.READ)
    @Get(produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "listEvents", summary = "Received events, oldest first, with what they started")
    Map<String, Object> list(@Parameter(description = "only events of this type") @Nullable @QueryValue String type,
                             @Parameter(description = "only events from this source")
                             @Nullable @QueryValue String source,
                             @Parameter(description = "only events received after this instant (exclusive)",
                                     schema = @Schema(format = "date-time")) @Nullable @QueryValue String after,
                             @Parameter(description = ApiDocs.LIMIT_DESCRIPTION,
                                     schema = @Schema(minimum = "1", maximum = "1000"))
                             @Nullable @QueryValue Integer limit,
                             @Parameter(description = "the previous answer's nextPageToken")
                             @Nullable @QueryValue String pageToken) {
        Instant afterInstant = null;
        if (after != null && !after.isBlank()) {
            try {
                afterInstant = Instant.parse(after);
            } catch (DateTimeParseException e) {
                throw ApiException.of(HttpStatus.BAD_REQUEST, "invalid_after", "after '" + after
                        + "' is not an ISO-8601 instant", "use e.g. after=2030-05-06T07:08:09Z (UTC, with the Z)");
            }
        }
        Long afterSeq;
        try {
            String position = PageTokens.decode(pageToken, PAGE_KIND);
            afterSeq = position == null ? null : Long.valueOf(position);
        } catch (IllegalArgumentException e) {
            throw ApiException.of(HttpStatus.BAD_REQUEST, "invalid_page_token", PageTokens.INVALID,
                    "pass the nextPageToken of the previous answer unchanged");
        }
        int n = RequestRules.limit(limit, 100, 1000);
        ExternalEventStore.Page page = triggers.store().list(blankToNull(type), blankToNull(source), afterInstant,
                afterSeq, n);
        List<Map<String, Object>> events = new ArrayList<>();
        for (ExternalEventStore.Received r : page.events()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("id", r.event().id());
            e.put("source", r.event().source());
            e.put("type", r.event().type());
            e.put("subject", r.event().subject());
            e.put("time", r.event().time() == null ? null : r.event().time().toString());
            e.put("datacontenttype", r.event().dataContentType());
            e.put("data", r.event().data());
            e.put("extensions", r.event().extensions());
            e.put("receivedAt", r.receivedAt().toString());
            e.put("outcomes", r.outcomes());
            events.add(e);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("events", events);
        out.put("nextPageToken", page.nextPosition() == null ? null : PageTokens.encode(PAGE_KIND,
                page.nextPosition()));
        return out;
    }

    private void authenticate(HttpRequest<?> request) {
        if (Principals.of(request).isPresent()) {
            return; // the enforcement point proved a caller with the publish permission (a publisher's token)
        }
        // security switched off: the webhook's own keys, as before identities existed
        authenticate(config.getApiKeys(), request.getHeaders().get("Authorization"),
                request.getHeaders().get("X-Api-Key"));
    }

    /** Accepts the request if it carries one of the keys; else throws the 401/403 that says what to do. */
    static void authenticate(List<String> keys, String authorization, String apiKey) {
        if (keys.isEmpty()) {
            throw ApiException.of(HttpStatus.FORBIDDEN, "webhook_disabled", "the events webhook is disabled: no API "
                    + "keys are configured", "set drover.scheduler.events.api-keys (e.g. the environment variable "
                    + "DROVER_SCHEDULER_EVENTS_API_KEYS=<key>) and send the key as Authorization: Bearer <key>; or "
                    + "publish to the Kafka topic drover.external.events");
        }
        String given = apiKey;
        if (given == null && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            given = authorization.substring(7).strip();
        }
        if (given == null || given.isEmpty()) {
            throw ApiException.of(HttpStatus.UNAUTHORIZED, "missing_api_key", "the request has no API key",
                    "send one of the keys in drover.scheduler.events.api-keys as Authorization: Bearer <key> or "
                            + "X-Api-Key: <key>");
        }
        boolean known = false;
        for (String key : keys) {
            // constant time, and no early exit, so timing tells nothing about the keys
            known |= MessageDigest.isEqual(key.getBytes(StandardCharsets.UTF_8),
                    given.getBytes(StandardCharsets.UTF_8));
        }
        if (!known) {
            throw ApiException.of(HttpStatus.UNAUTHORIZED, "invalid_api_key", "the API key is not one of the "
                    + "configured keys", "check the key against drover.scheduler.events.api-keys (keys are compared "
                    + "exactly)");
        }
    }

    private static ApiException unavailable(Exception e) {
        return ApiException.of(HttpStatus.SERVICE_UNAVAILABLE, "event_not_stored", "the event could not be stored "
                + "on drover.external.events: " + (e.getCause() != null ? e.getCause() : e),
                "send it again (the same id and source never start a run twice)");
    }

    private static String mediaType(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}

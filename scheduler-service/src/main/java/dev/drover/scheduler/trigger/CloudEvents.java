package dev.drover.scheduler.trigger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drover.platform.input.RequestRules;
import dev.drover.platform.input.TextRules;
import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.KafkaMessageFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads CloudEvents 1.0 in the HTTP and Kafka protocol bindings, structured mode ({@code application/cloudevents+json}
 * body) and binary mode ({@code ce-*} / {@code ce_*} headers, the body is the data), and writes them to Kafka in
 * binary mode.
 *
 * <p>The structured JSON format is parsed and written by the CloudEvents SDK; the attributes are checked here first,
 * so that every problem names the attribute or header that is wrong and says how to fix it (the SDK's messages do
 * not). Both bindings go through the same checks, so an event the webhook accepts is one the topic accepts.
 */
public final class CloudEvents {
    /** The structured-mode content type. */
    public static final String STRUCTURED = JsonFormat.CONTENT_TYPE;
    /** The batched structured-mode content type (HTTP only). */
    public static final String BATCH = "application/cloudevents-batch+json";
    /** The header prefix of binary mode over HTTP. */
    public static final String HTTP_PREFIX = "ce-";
    /** The header prefix of binary mode over Kafka. */
    public static final String KAFKA_PREFIX = "ce_";
    private static final Set<String> REQUIRED = Set.of("id", "source", "type", "specversion");
    private static final Set<String> KNOWN = Set.of("id", "source", "type", "specversion", "subject", "time",
            "datacontenttype", "dataschema", "data", "data_base64");
    private static final Pattern EXTENSION_NAME = Pattern.compile("[a-z0-9]{1,20}");
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS);
    private static final EventFormat FORMAT = EventFormatProvider.getInstance().resolveFormat(STRUCTURED);

    private CloudEvents() {
    }

    /** A CloudEvent that cannot be accepted; the message says what is wrong and how to fix it. */
    public static final class InvalidEventException extends IllegalArgumentException {
        public InvalidEventException(String message) {
            super(message);
        }
    }

    /**
     * Reads one event from a message of either binding.
     *
     * @param headers the message's headers, names in lower case (values: the last one of each name)
     * @param prefix  {@link #HTTP_PREFIX} or {@link #KAFKA_PREFIX}
     * @param body    the message body (may be null or empty)
     * @throws InvalidEventException when it is not a valid CloudEvent 1.0
     */
    public static CloudEvent read(Map<String, String> headers, String prefix, byte[] body) {
        String contentType = headers.get("content-type");
        String ceType = prefix + "specversion";
        if (contentType != null && mediaType(contentType).equals(STRUCTURED)) {
            return structured(body);
        }
        if (contentType != null && mediaType(contentType).equals(BATCH)) {
            throw new InvalidEventException("a batch (" + BATCH + ") holds several events; send it to the webhook "
                    + "(POST /api/v1/events), or publish one event per record");
        }
        if (headers.containsKey(ceType)) {
            return binary(headers, prefix, contentType, body);
        }
        throw new InvalidEventException("not a CloudEvent: there is neither a content type " + STRUCTURED
                + " (structured mode: the event as a JSON object) nor a " + ceType + " header (binary mode: the "
                + "attributes as " + prefix + "* headers, the data as the body); use one of the two, e.g. headers "
                + prefix + "specversion: 1.0, " + prefix + "id, " + prefix + "source, " + prefix + "type");
    }

    /** Reads a batch: a JSON array of structured events. */
    public static List<CloudEvent> readBatch(byte[] body) {
        JsonNode array = tree(body, "the batch");
        if (!array.isArray() || array.isEmpty()) {
            throw new InvalidEventException("a batch (" + BATCH + ") must be a non-empty JSON array of events, got "
                    + array.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        List<CloudEvent> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            try {
                out.add(structured(array.get(i)));
            } catch (InvalidEventException e) {
                throw new InvalidEventException("event " + i + " of the batch: " + e.getMessage());
            }
        }
        return out;
    }

    /** Reads a record of {@code drover.external.events}. */
    public static ExternalEvent fromKafka(ConsumerRecord<String, byte[]> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header h : record.headers()) {
            headers.put(h.key().toLowerCase(Locale.ROOT), h.value() == null ? ""
                    : new String(h.value(), StandardCharsets.UTF_8));
        }
        return toExternal(read(headers, KAFKA_PREFIX, record.value()));
    }

    /** The record the webhook publishes for an event: Kafka binary mode, keyed by the event's source. */
    public static ProducerRecord<String, byte[]> toKafka(String topic, CloudEvent event) {
        return KafkaMessageFactory.createWriter(topic, event.getSource().toString()).writeBinary(event);
    }

    /** The event in structured JSON (for tests and tools). */
    public static byte[] toStructured(CloudEvent event) {
        return FORMAT.serialize(event);
    }

    /**
     * Checks the data and turns the SDK's event into Drover's: JSON data (content type absent, {@code
     * application/json} or {@code +json}) must parse; {@code text/*} data is a string; other data is base64 text.
     */
    public static ExternalEvent toExternal(CloudEvent e) {
        Map<String, Object> extensions = new LinkedHashMap<>();
        for (String name : e.getExtensionNames()) {
            Object v = e.getExtension(name);
            extensions.put(name, v instanceof Number || v instanceof Boolean || v instanceof String ? v
                    : v instanceof byte[] b ? Base64.getEncoder().encodeToString(b) : String.valueOf(v));
        }
        ExternalEvent external = new ExternalEvent(e.getId(), e.getSource().toString(), e.getType(), e.getSubject(),
                e.getTime() == null ? null : e.getTime().toInstant(), e.getDataContentType(),
                e.getDataSchema() == null ? null : e.getDataSchema().toString(), extensions,
                data(e.getDataContentType(), e.getData()));
        obeysInputRules(external);
        return external;
    }

    /**
     * An event is recorded and its data reaches templates and run parameters: its text must obey the input rules
     * like any other input (a NUL in the data once stopped the trigger listener for good).
     */
    private static void obeysInputRules(ExternalEvent e) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("id", e.id());
        attributes.put("source", e.source());
        attributes.put("type", e.type());
        attributes.put("subject", e.subject());
        attributes.put("datacontenttype", e.dataContentType());
        attributes.put("dataschema", e.dataSchema());
        attributes.putAll(e.extensions());
        attributes.values().removeIf(java.util.Objects::isNull);
        TextRules.problemIn(attributes).ifPresent(p -> {
            throw new InvalidEventException("attribute " + p.pointer().substring(1) + ": " + p.message() + "; "
                    + RequestRules.fix());
        });
        TextRules.problemIn(e.data() == null ? "" : e.data()).ifPresent(p -> {
            throw new InvalidEventException("data" + p.pointer() + ": " + p.message() + "; " + RequestRules.fix());
        });
    }

    private static Object data(String contentType, CloudEventData data) {
        if (data == null) {
            return null;
        }
        byte[] bytes = data.toBytes();
        if (bytes.length == 0) {
            return null;
        }
        String media = contentType == null ? null : mediaType(contentType);
        if (media == null || media.equals("application/json") || media.endsWith("+json") || media.equals("text/json")) {
            try {
                return JSON.readValue(bytes, Object.class);
            } catch (IOException ex) {
                if (media == null) {
                    return new String(bytes, StandardCharsets.UTF_8);
                }
                throw new InvalidEventException("the data is not valid JSON although datacontenttype is '"
                        + contentType + "': " + oneLine(ex) + "; send JSON data, or set the content type of what "
                        + "it is (e.g. text/plain)");
            }
        }
        if (media.startsWith("text/")) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static CloudEvent structured(byte[] body) {
        return structured(tree(body, "the event"));
    }

    private static CloudEvent structured(JsonNode event) {
        if (!event.isObject()) {
            throw new InvalidEventException("a structured CloudEvent (" + STRUCTURED + ") is one JSON object with "
                    + "specversion, id, source and type, got " + event.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        for (String attribute : List.of("specversion", "id", "source", "type")) {
            JsonNode v = event.get(attribute);
            if (v == null || v.isNull()) {
                throw missing(attribute, "attribute ");
            }
            if (!v.isTextual()) {
                throw new InvalidEventException("attribute " + attribute + " must be a string, got "
                        + v.getNodeType().name().toLowerCase(Locale.ROOT));
            }
        }
        attributes(event.get("specversion").textValue(), event.get("id").textValue(),
                event.get("source").textValue(), event.get("type").textValue(), "attribute ");
        JsonNode time = event.get("time");
        if (time != null && !time.isNull()) {
            time(time.isTextual() ? time.textValue() : time.toString(), "attribute time");
        }
        JsonNode dct = event.get("datacontenttype");
        JsonNode data = event.get("data");
        if (data != null && data.isTextual() && dct != null && dct.isTextual() && isJson(dct.textValue())) {
            // a JSON content type with data as a string: the SDK would hand the string's characters on as JSON
            try {
                JSON.readTree(data.textValue());
            } catch (JsonProcessingException ex) {
                throw new InvalidEventException("data is a string that is not valid JSON although datacontenttype is '"
                        + dct.textValue() + "': " + oneLine(ex) + "; put the JSON value itself in data (not a string "
                        + "holding it), or set the content type of what it is (e.g. text/plain)");
            }
        }
        event.fieldNames().forEachRemaining(name -> {
            if (!KNOWN.contains(name) && !EXTENSION_NAME.matcher(name).matches()) {
                throw new InvalidEventException("'" + name + "' is not a valid extension attribute name: use 1 to 20 "
                        + "lower-case letters and digits");
            }
        });
        try {
            return FORMAT.deserialize(event.toString().getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException ex) {
            throw new InvalidEventException("not a valid CloudEvent: " + oneLine(ex));
        }
    }

    private static CloudEvent binary(Map<String, String> headers, String prefix, String contentType, byte[] body) {
        for (String attribute : List.of("specversion", "id", "source", "type")) {
            if (headers.get(prefix + attribute) == null) {
                throw missing(attribute, "header " + prefix);
            }
        }
        String specversion = headers.get(prefix + "specversion");
        String id = headers.get(prefix + "id");
        String source = headers.get(prefix + "source");
        String type = headers.get(prefix + "type");
        URI sourceUri = attributes(specversion, id, source, type, "header " + prefix);
        CloudEventBuilder b = CloudEventBuilder.v1().withId(id).withSource(sourceUri).withType(type);
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (!h.getKey().startsWith(prefix) || REQUIRED.contains(h.getKey().substring(prefix.length()))) {
                continue;
            }
            String name = h.getKey().substring(prefix.length());
            String value = h.getValue();
            switch (name) {
                case "subject" -> b.withSubject(value);
                case "time" -> b.withTime(time(value, "header " + prefix + "time"));
                case "dataschema" -> b.withDataSchema(uri(value, "header " + prefix + "dataschema"));
                case "datacontenttype" -> throw new InvalidEventException("in binary mode the data's content type is "
                        + "the content-type header, not " + prefix + "datacontenttype; move it there");
                default -> {
                    if (!EXTENSION_NAME.matcher(name).matches()) {
                        throw new InvalidEventException("header " + prefix + name + " is not a valid extension "
                                + "attribute: use 1 to 20 lower-case letters and digits after " + prefix);
                    }
                    b.withExtension(name, value);
                }
            }
        }
        if (body != null && body.length > 0) {
            if (contentType != null) {
                b.withData(contentType, body);
            } else {
                b.withData(body);
            }
        } else if (contentType != null) {
            b.withDataContentType(contentType);
        }
        return b.build();
    }

    /** Checks the four required attributes; returns the source as a URI. */
    private static URI attributes(String specversion, String id, String source, String type, String where) {
        if (!"1.0".equals(specversion)) {
            throw new InvalidEventException(where + "specversion is '" + specversion + "'; Drover reads CloudEvents "
                    + "1.0: set it to 1.0");
        }
        if (id.isBlank()) {
            throw new InvalidEventException(where + "id is empty; give every event an id unique within its source "
                    + "(e.g. a UUID) — re-sending the same id and source is how a retry is recognised");
        }
        if (source.isBlank()) {
            throw new InvalidEventException(where + "source is empty; set it to a URI reference naming the system "
                    + "that sent the event, e.g. /warehouse/loader");
        }
        if (type.isBlank()) {
            throw new InvalidEventException(where + "type is empty; set it to the kind of event, e.g. "
                    + "com.example.table.updated — pipelines' event triggers match it exactly");
        }
        return uri(source, where + "source");
    }

    private static URI uri(String value, String where) {
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw new InvalidEventException(where + " '" + value + "' is not a URI reference (" + e.getReason()
                    + "); use e.g. /warehouse/loader or https://example.com/loader");
        }
    }

    private static OffsetDateTime time(String value, String where) {
        try {
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidEventException(where + " '" + value + "' is not an RFC 3339 timestamp; use e.g. "
                    + "2030-05-06T07:08:09Z");
        }
    }

    private static InvalidEventException missing(String attribute, String where) {
        String hint = switch (attribute) {
            case "specversion" -> "set it to 1.0";
            case "id" -> "give every event an id unique within its source, e.g. a UUID";
            case "source" -> "set it to a URI reference naming the sender, e.g. /warehouse/loader";
            default -> "set it to the kind of event, e.g. com.example.table.updated";
        };
        return new InvalidEventException(where + attribute + " is missing; a CloudEvent needs specversion, id, "
                + "source and type: " + hint);
    }

    private static JsonNode tree(byte[] body, String what) {
        if (body == null || body.length == 0) {
            throw new InvalidEventException(what + " is empty; a structured CloudEvent is a JSON object with "
                    + "specversion, id, source and type");
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new InvalidEventException(what + " is not valid JSON: " + oneLine(e)
                    + "; send a JSON object with specversion, id, source and type (and data)");
        }
    }

    private static boolean isJson(String contentType) {
        String media = mediaType(contentType);
        return media.equals("application/json") || media.endsWith("+json") || media.equals("text/json");
    }

    /** The media type without parameters, in lower case: {@code application/json; charset=utf-8} → application/json. */
    static String mediaType(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    private static String oneLine(Exception e) {
        String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        if (m == null) {
            return e.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}

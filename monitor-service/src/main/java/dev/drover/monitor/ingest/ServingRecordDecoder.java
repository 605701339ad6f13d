package dev.drover.monitor.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.drover.monitor.ingest.ServingRecord.LabelRecord;
import dev.drover.monitor.ingest.ServingRecord.PredictionRecord;
import dev.drover.monitor.wire.Label;
import dev.drover.monitor.wire.MonitorCodec;
import dev.drover.monitor.wire.Prediction;
import dev.drover.platform.kafka.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Decodes the records serving systems publish: Avro {@code Prediction}/{@code Label}, or JSON CloudEvents in the Kafka
 * binary content mode, told apart by the {@code ce_type} header (docs/monitor.md).
 *
 * <p>The CloudEvents headers are read here and the data with Jackson rather than through the CloudEvents SDK: the
 * binding is five headers, and reading them directly lets every problem name the header or field that is wrong.
 *
 * <p>Whether the features fit the model's feature set is not judged here; only whether the record can be read at all.
 */
public final class ServingRecordDecoder {
    public static final String PREDICTION_TYPE = "dev.drover.prediction.v1";
    public static final String LABEL_TYPE = "dev.drover.label.v1";
    private static final Set<String> PREDICTION_FIELDS = Set.of("modelName", "modelVersion", "timestamp",
            "requestId", "features", "prediction");
    private static final Set<String> LABEL_FIELDS = Set.of("modelName", "requestId", "timestamp", "label");

    private final MonitorCodec codec;
    private final JsonMapper json = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    public ServingRecordDecoder(MonitorCodec codec) {
        this.codec = codec;
    }

    /**
     * Decodes one record of the predictions or labels topic.
     *
     * @throws IllegalArgumentException with what could not be read and how to fix it
     */
    public ServingRecord decode(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            throw new IllegalArgumentException("the record has no value; publish an Avro " + expected(record)
                    + " or a JSON CloudEvent");
        }
        String type = header(record, "ce_type");
        ServingRecord decoded;
        if (type == null) {
            try {
                decoded = Topics.MONITOR_LABELS.equals(record.topic())
                        ? new LabelRecord(codec.decodeLabel(record.value()))
                        : new PredictionRecord(codec.decodePrediction(record.value()));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("not an Avro " + expected(record) + " and no ce_type header "
                        + "marks it as a CloudEvent: " + e.getMessage(), e);
            }
        } else {
            decoded = cloudEvent(record, type);
        }
        if (record.key() != null && !record.key().equals(decoded.modelName())) {
            throw new IllegalArgumentException("the Kafka key '" + record.key() + "' is not the model name '"
                    + decoded.modelName() + "'; key predictions and labels by the bare model name");
        }
        return decoded;
    }

    private static String expected(ConsumerRecord<String, byte[]> record) {
        return Topics.MONITOR_LABELS.equals(record.topic()) ? "Label" : "Prediction";
    }

    private ServingRecord cloudEvent(ConsumerRecord<String, byte[]> record, String type) {
        String spec = header(record, "ce_specversion");
        if (!"1.0".equals(spec)) {
            throw new IllegalArgumentException("CloudEvent header ce_specversion is '" + spec + "'; set it to 1.0");
        }
        String id = header(record, "ce_id");
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("CloudEvent has no ce_id header; set it to the request id");
        }
        String source = header(record, "ce_source");
        if (source == null || source.isEmpty()) {
            throw new IllegalArgumentException("CloudEvent has no ce_source header; set it to the serving system, "
                    + "e.g. /serving/churn-api");
        }
        String contentType = header(record, "content-type");
        if (contentType != null && !contentType.toLowerCase().startsWith("application/json")) {
            throw new IllegalArgumentException("CloudEvent content-type is '" + contentType
                    + "'; the monitor reads application/json data");
        }
        JsonNode data;
        try {
            data = json.readTree(record.value());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("CloudEvent data is not JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("CloudEvent data cannot be read: " + e.getMessage());
        }
        if (data == null || !data.isObject()) {
            throw new IllegalArgumentException("CloudEvent data must be one JSON object");
        }
        ServingRecord decoded;
        if (PREDICTION_TYPE.equals(type)) {
            fieldsOnly(data, PREDICTION_FIELDS);
            decoded = new PredictionRecord(new Prediction(text(data, "modelName"), version(data),
                    timestamp(data), text(data, "requestId"), features(data), value(data, "prediction")));
        } else if (LABEL_TYPE.equals(type)) {
            fieldsOnly(data, LABEL_FIELDS);
            decoded = new LabelRecord(new Label(text(data, "modelName"), text(data, "requestId"), timestamp(data),
                    value(data, "label")));
        } else {
            throw new IllegalArgumentException("CloudEvent type '" + type + "' is unknown; use " + PREDICTION_TYPE
                    + " or " + LABEL_TYPE);
        }
        String requestId = decoded instanceof PredictionRecord p ? p.prediction().requestId()
                : ((LabelRecord) decoded).label().requestId();
        if (!id.equals(requestId)) {
            throw new IllegalArgumentException("CloudEvent ce_id '" + id + "' differs from requestId '" + requestId
                    + "'; set ce_id to the request id");
        }
        return decoded;
    }

    private static void fieldsOnly(JsonNode data, Set<String> allowed) {
        for (Iterator<String> it = data.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new IllegalArgumentException("CloudEvent data has unknown field '" + f + "'; allowed: "
                        + new java.util.TreeSet<>(allowed));
            }
        }
    }

    private static String text(JsonNode data, String field) {
        JsonNode n = data.get(field);
        if (n == null || !n.isTextual() || n.asText().isEmpty()) {
            throw new IllegalArgumentException("CloudEvent data needs '" + field + "' as a non-empty string");
        }
        return n.asText();
    }

    private static int version(JsonNode data) {
        JsonNode n = data.get("modelVersion");
        if (n == null || !n.canConvertToInt() || !n.isIntegralNumber()) {
            throw new IllegalArgumentException("CloudEvent data needs 'modelVersion' as an integer (the registry "
                    + "version that served the prediction)");
        }
        return n.intValue();
    }

    private static Instant timestamp(JsonNode data) {
        JsonNode n = data.get("timestamp");
        if (n != null && n.isIntegralNumber()) {
            return Instant.ofEpochMilli(n.longValue());
        }
        if (n != null && n.isTextual()) {
            try {
                return Instant.parse(n.asText());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("CloudEvent data 'timestamp' '" + n.asText() + "' is not RFC 3339,"
                        + " e.g. 2030-05-06T07:08:09.123Z");
            }
        }
        throw new IllegalArgumentException("CloudEvent data needs 'timestamp' as an RFC 3339 string or epoch "
                + "milliseconds");
    }

    private static Map<String, Object> features(JsonNode data) {
        JsonNode n = data.get("features");
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("CloudEvent data needs 'features' as an object of feature name to "
                    + "value");
        }
        Map<String, Object> features = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            features.put(e.getKey(), e.getValue().isNull() ? null : scalar(e.getValue(), "features/" + e.getKey()));
        }
        return features;
    }

    private static Object value(JsonNode data, String field) {
        JsonNode n = data.get(field);
        if (n == null || n.isNull()) {
            throw new IllegalArgumentException("CloudEvent data needs '" + field + "' (a number, string or boolean)");
        }
        return scalar(n, field);
    }

    private static Object scalar(JsonNode n, String where) {
        if (n.isNumber()) {
            return n.doubleValue();
        }
        if (n.isTextual()) {
            return n.asText();
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        throw new IllegalArgumentException("CloudEvent data '" + where + "' is " + n.getNodeType()
                + "; use a number, string or boolean");
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}

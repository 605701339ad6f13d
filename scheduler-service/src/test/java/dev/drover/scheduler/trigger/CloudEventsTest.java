package dev.drover.scheduler.trigger;

import dev.drover.scheduler.pipeline.PipelineSpec;
import dev.drover.scheduler.pipeline.PipelineSpecParser;
import dev.drover.scheduler.trigger.CloudEvents.InvalidEventException;
import dev.drover.scheduler.trigger.EventTriggerMatcher.Failed;
import dev.drover.scheduler.trigger.EventTriggerMatcher.Matched;
import dev.drover.scheduler.trigger.EventTriggerMatcher.NotMatched;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading CloudEvents in both bindings and modes, and what an event means for a pipeline's triggers. */
class CloudEventsTest {
    private static final byte[] DATA = "{\"table\": \"churn_features\", \"rows\": 1200}".getBytes(StandardCharsets.UTF_8);

    static Map<String, String> binaryHeaders(String prefix) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put(prefix + "specversion", "1.0");
        h.put(prefix + "id", "evt-1");
        h.put(prefix + "source", "/warehouse/loader");
        h.put(prefix + "type", "com.example.table.updated");
        h.put(prefix + "subject", "churn_features");
        h.put(prefix + "time", "2030-05-06T07:08:09Z");
        h.put(prefix + "tenant", "acme");
        h.put("content-type", "application/json");
        return h;
    }

    @Test
    void binaryModeOverHttpAndKafkaReadsAttributesExtensionsAndJsonData() {
        for (String prefix : List.of(CloudEvents.HTTP_PREFIX, CloudEvents.KAFKA_PREFIX)) {
            ExternalEvent e = CloudEvents.toExternal(CloudEvents.read(binaryHeaders(prefix), prefix, DATA));
            assertThat(e.id()).isEqualTo("evt-1");
            assertThat(e.source()).isEqualTo("/warehouse/loader");
            assertThat(e.type()).isEqualTo("com.example.table.updated");
            assertThat(e.subject()).isEqualTo("churn_features");
            assertThat(e.time()).isEqualTo(Instant.parse("2030-05-06T07:08:09Z"));
            assertThat(e.extensions()).containsExactly(Map.entry("tenant", "acme"));
            assertThat(e.data()).isEqualTo(Map.of("table", "churn_features", "rows", 1200L));
        }
    }

    @Test
    void structuredModeReadsTheSameEvent() {
        String json = """
                {"specversion": "1.0", "id": "evt-1", "source": "/warehouse/loader",
                 "type": "com.example.table.updated", "subject": "churn_features", "time": "2030-05-06T07:08:09Z",
                 "tenant": "acme", "datacontenttype": "application/json",
                 "data": {"table": "churn_features", "rows": 1200}}""";
        ExternalEvent structured = CloudEvents.toExternal(CloudEvents.read(
                Map.of("content-type", "application/cloudevents+json; charset=utf-8"), CloudEvents.HTTP_PREFIX,
                json.getBytes(StandardCharsets.UTF_8)));
        ExternalEvent binary = CloudEvents.toExternal(CloudEvents.read(binaryHeaders("ce-"), "ce-", DATA));
        assertThat(structured).isEqualTo(binary);
    }

    @Test
    void whatTheWebhookPublishesReadsBackFromKafkaUnchanged() {
        CloudEvent event = CloudEventBuilder.v1().withId("evt-2").withSource(URI.create("/s")).withType("t")
                .withExtension("tenant", "acme").withData("application/json", DATA).build();
        ProducerRecord<String, byte[]> record = CloudEvents.toKafka("topic", event);
        ConsumerRecord<String, byte[]> consumed = new ConsumerRecord<>("topic", 0, 0, record.key(), record.value());
        record.headers().forEach(h -> consumed.headers().add(h));

        assertThat(record.key()).isEqualTo("/s");
        assertThat(CloudEvents.fromKafka(consumed)).isEqualTo(CloudEvents.toExternal(event));
    }

    @Test
    void textDataIsAStringAndOtherDataBase64() {
        Map<String, String> h = binaryHeaders("ce-");
        h.put("content-type", "text/plain");
        assertThat(CloudEvents.toExternal(CloudEvents.read(h, "ce-", "hello".getBytes())).data()).isEqualTo("hello");
        h.put("content-type", "application/octet-stream");
        assertThat(CloudEvents.toExternal(CloudEvents.read(h, "ce-", new byte[]{1, 2})).data()).isEqualTo("AQI=");
    }

    @Test
    void everyProblemSaysWhatIsWrongAndHowToFixIt() {
        Map<String, String> noId = binaryHeaders("ce-");
        noId.remove("ce-id");
        assertInvalid(noId, DATA, "header ce-id is missing; a CloudEvent needs specversion, id, source and type: "
                + "give every event an id unique within its source, e.g. a UUID");
        Map<String, String> v03 = binaryHeaders("ce-");
        v03.put("ce-specversion", "0.3");
        assertInvalid(v03, DATA, "header ce-specversion is '0.3'; Drover reads CloudEvents 1.0: set it to 1.0");
        Map<String, String> badTime = binaryHeaders("ce-");
        badTime.put("ce-time", "yesterday");
        assertInvalid(badTime, DATA, "header ce-time 'yesterday' is not an RFC 3339 timestamp; use e.g. "
                + "2030-05-06T07:08:09Z");
        assertThatThrownBy(() -> CloudEvents.toExternal(CloudEvents.read(binaryHeaders("ce-"), "ce-",
                "{not json".getBytes()))).isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("the data is not valid JSON although datacontenttype is 'application/json': ")
                .hasMessageEndingWith("; send JSON data, or set the content type of what it is (e.g. text/plain)");
        assertInvalid(Map.of("content-type", "application/json"), DATA, "not a CloudEvent: there is neither a "
                + "content type application/cloudevents+json (structured mode: the event as a JSON object) nor a "
                + "ce-specversion header (binary mode: the attributes as ce-* headers, the data as the body); use "
                + "one of the two, e.g. headers ce-specversion: 1.0, ce-id, ce-source, ce-type");
        Map<String, String> structured = Map.of("content-type", "application/cloudevents+json");
        assertInvalid(structured, "{\"specversion\": \"1.0\", \"id\": \"x\", \"source\": \"/s\"}".getBytes(),
                "attribute type is missing; a CloudEvent needs specversion, id, source and type: set it to the kind "
                        + "of event, e.g. com.example.table.updated");
        assertInvalid(structured, "[1]".getBytes(), "a structured CloudEvent (application/cloudevents+json) is one "
                + "JSON object with specversion, id, source and type, got array");
        assertThatThrownBy(() -> CloudEvents.read(structured, "ce-", "{oops".getBytes()))
                .isInstanceOf(InvalidEventException.class).hasMessageStartingWith("the event is not valid JSON: ");
    }

    @Test
    void aBatchIsAnArrayOfStructuredEventsAndOneBadEventRefusesIt() {
        String ok = "{\"specversion\": \"1.0\", \"id\": \"a\", \"source\": \"/s\", \"type\": \"t\", "
                + "\"data\": {\"x\": 1}}";
        List<CloudEvent> batch = CloudEvents.readBatch(("[" + ok + ", " + ok.replace("\"a\"", "\"b\"") + "]")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(batch).extracting(CloudEvent::getId).containsExactly("a", "b");
        assertThat(CloudEvents.toExternal(batch.get(1)).data()).isEqualTo(Map.of("x", 1L));
        assertThatThrownBy(() -> CloudEvents.readBatch(("[" + ok + ", {\"specversion\": \"1.0\"}]").getBytes()))
                .isInstanceOf(InvalidEventException.class).hasMessageStartingWith("event 1 of the batch: attribute id "
                        + "is missing");
        assertThatThrownBy(() -> CloudEvents.readBatch("[]".getBytes())).hasMessageStartingWith("a batch "
                + "(application/cloudevents-batch+json) must be a non-empty JSON array of events");
    }

    private static void assertInvalid(Map<String, String> headers, byte[] body, String message) {
        assertThatThrownBy(() -> CloudEvents.read(headers, "ce-", body)).isInstanceOf(InvalidEventException.class)
                .hasMessage(message);
    }

    // ---- matching --------------------------------------------------------------------------------------------

    private static final PipelineSpec SPEC = PipelineSpecParser.parse("""
            id: retrain
            parameters:
              table: {}
              rows: {type: integer, default: 0}
            tasks: [{id: a, type: noop}]
            triggers:
              - event:
                  type: com.example.table.updated
                  filter: data.table.startsWith('churn') && data.rows >= 1000 && event.extensions.tenant == 'acme'
                  parameters: {table: data.table, rows: data.rows}
              - event:
                  type: com.example.table.updated
                  filter: has(event.subject) && event.subject == 'fallback'
                  parameters: {table: "'fallback:' + event.source"}
            """).spec();

    private static ExternalEvent event(String id, Object data, String subject) {
        return new ExternalEvent(id, "/warehouse/loader", "com.example.table.updated", subject, null,
                "application/json", null, Map.of("tenant", "acme"), data);
    }

    @Test
    void aFilterThatHoldsMapsTheParameters() {
        ExternalEvent e = event("evt-1", Map.of("table", "churn_features", "rows", 1200L), null);
        assertThat(EventTriggerMatcher.evaluate(SPEC, e)).isEqualTo(new Matched("retrain",
                EventTriggerMatcher.runId("retrain", e), Map.of("table", "churn_features", "rows", 1200L)));
    }

    @Test
    void aFilterThatFailsFallsThroughToTheNextTriggerOrMatchesNothing() {
        ExternalEvent small = event("evt-2", Map.of("table", "churn_features", "rows", 5L), "fallback");
        assertThat(EventTriggerMatcher.evaluate(SPEC, small)).isEqualTo(new Matched("retrain",
                EventTriggerMatcher.runId("retrain", small), Map.of("table", "fallback:/warehouse/loader")));
        ExternalEvent other = event("evt-3", Map.of("table", "fraud", "rows", 5000L), null);
        assertThat(EventTriggerMatcher.evaluate(SPEC, other)).isEqualTo(new NotMatched("retrain"));
        ExternalEvent otherType = new ExternalEvent("evt-4", "/s", "com.example.other", null, null, null, null,
                Map.of(), Map.of("table", "churn", "rows", 5000L));
        assertThat(EventTriggerMatcher.evaluate(SPEC, otherType)).isEqualTo(new NotMatched("retrain"));
    }

    @Test
    void anExpressionThatCannotBeEvaluatedIsAFailureWithTheReason() {
        ExternalEvent noRows = event("evt-5", Map.of("table", "churn_features"), null);
        assertThat(EventTriggerMatcher.evaluate(SPEC, noRows)).isInstanceOfSatisfying(Failed.class, f ->
                assertThat(f.reason()).startsWith("filter of triggers[0] of pipeline retrain: `data.table"
                        + ".startsWith('churn') && data.rows >= 1000 && event.extensions.tenant == 'acme'` failed: ")
                        .contains("rows"));
    }

    @Test
    void theRunIdIsTheSameForEveryDeliveryAndDiffersBetweenEventsAndSources() {
        ExternalEvent e = event("evt-1", Map.of(), null);
        assertThat(EventTriggerMatcher.runId("retrain", e)).isEqualTo(EventTriggerMatcher.runId("retrain",
                event("evt-1", Map.of("other", "data"), "s"))).matches("retrain\\.event-[0-9a-f]{16}");
        assertThat(EventTriggerMatcher.runId("retrain", e)).isNotEqualTo(EventTriggerMatcher.runId("retrain",
                event("evt-2", Map.of(), null)));
        assertThat(EventTriggerMatcher.runId("retrain", e)).isNotEqualTo(EventTriggerMatcher.runId("retrain",
                new ExternalEvent("evt-1", "/other", e.type(), null, null, null, null, Map.of(), null)));
        Matched m = new Matched("retrain", EventTriggerMatcher.runId("retrain", e), Map.of());
        assertThat(EventTriggerMatcher.request(m, e).trigger()).isEqualTo("event");
        assertThat(EventTriggerMatcher.request(m, e).requestedBy()).isEqualTo("event:/warehouse/loader");
    }
}

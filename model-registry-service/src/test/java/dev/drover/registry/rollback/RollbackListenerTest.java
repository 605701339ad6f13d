package dev.drover.registry.rollback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drover.embedded.TestInfrastructure;
import dev.drover.platform.avro.AvroCodec;
import dev.drover.platform.kafka.Topics;
import dev.drover.registry.RegistryApplication;
import dev.drover.registry.RegistryRuntime;
import dev.drover.registry.core.ModelCommand;
import dev.drover.registry.core.RejectionCode;
import dev.drover.registry.loop.RegistryGateway;
import dev.drover.registry.wire.CommandEnvelope;
import dev.drover.schemas.monitor.event.MonitorEventEnvelope;
import dev.drover.schemas.monitor.event.RollbackRequested;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The registry service (real broker, fresh PostgreSQL) rolling its champion back on the monitor's
 * {@code RollbackRequested}: the previous champion returns, a redelivered request changes nothing more, and a model
 * with no earlier champion is refused with {@code NO_ALIAS_HISTORY} and counted.
 */
class RollbackListenerTest {
    private static final AvroCodec<MonitorEventEnvelope> EVENTS = new AvroCodec<>(MonitorEventEnvelope.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static EmbeddedServer server;
    private static RegistryRuntime runtime;
    private static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void start() {
        String bootstrap = TestInfrastructure.kafkaBootstrap();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Topics.ensureTopics(admin, 3, (short) 1);
            Topics.ensureTopics(admin, 3, (short) 1);
        }
        Map<String, Object> p = new LinkedHashMap<>(RegistryApplication.defaults());
        String url = TestInfrastructure.newDatabase("registry_rollback");
        p.put("datasources.registry.url", url + (url.contains("?") ? "&" : "?") + "currentSchema=registry");
        p.put("datasources.registry.username", TestInfrastructure.postgresUser());
        p.put("datasources.registry.password", TestInfrastructure.postgresPassword());
        p.put("drover.kafka.bootstrap-servers", bootstrap);
        p.put("drover.kafka.partitions", 3);
        p.put("drover.registry.instance-id", "registry-rollback-test");
        p.put("drover.registry.write-timeout", "5s");
        p.put("micronaut.server.port", -1);
        // this harness tests the service, not access (standalone's AccessApiTest does): no identities needed
        p.put("drover.security.enabled", false);
        server = ApplicationContext.run(EmbeddedServer.class, p);
        runtime = server.getApplicationContext().getBean(RegistryRuntime.class);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    @AfterAll
    static void stop() {
        producer.close();
        server.close();
    }

    @Test
    void aRollbackRequestBringsThePreviousChampionBackOnce() throws Exception {
        String model = "churn-" + UUID.randomUUID().toString().substring(0, 8);
        for (int v = 1; v <= 3; v++) {
            send(new ModelCommand.RegisterVersion(id(), model, "/models/" + v, "", Map.of(), Map.of("auc", 0.8),
                    null, Map.of(), true, "pipeline"));
        }
        send(new ModelCommand.SetAlias(id(), model, ModelCommand.CHAMPION, 1, "first", "alice"));
        send(new ModelCommand.SetAlias(id(), model, ModelCommand.CHAMPION, 2, "better", "alice"));
        send(new ModelCommand.SetAlias(id(), model, ModelCommand.CHAMPION, 3, "better still", "alice"));
        await().atMost(Duration.ofSeconds(30)).until(() -> champion(model) == 3);

        byte[] request = rollbackRequested(model, 3);
        producer.send(new ProducerRecord<>(Topics.MONITOR_EVENTS, "monitor/" + model, request)).get();
        await("champion back at version 2").atMost(Duration.ofSeconds(30)).until(() -> champion(model) == 2);
        long rolledBack = runtime.rollbacks().rolledBack();

        // delivered again: the same command id, which the registry drops; the champion stays at 2, not 1
        producer.send(new ProducerRecord<>(Topics.MONITOR_EVENTS, "monitor/" + model, request)).get();
        await("the repeat was handled").atMost(Duration.ofSeconds(30))
                .until(() -> runtime.rollbacks().undecided() >= 1);
        assertThat(champion(model)).isEqualTo(2);
        assertThat(runtime.rollbacks().rolledBack()).isEqualTo(rolledBack);
        JsonNode alias = get("/api/v1/models/" + model + "/aliases/champion");
        assertThat(alias.path("movedBy").asText()).isEqualTo("monitor");
        assertThat(alias.path("reason").asText()).contains("auc fell");
    }

    @Test
    void aModelWithoutAnEarlierChampionIsRefusedAndCounted() throws Exception {
        String model = "fraud-" + UUID.randomUUID().toString().substring(0, 8);
        send(new ModelCommand.RegisterVersion(id(), model, "/models/1", "", Map.of(), Map.of(), null, Map.of(), true,
                "pipeline"));
        send(new ModelCommand.SetAlias(id(), model, ModelCommand.CHAMPION, 1, "first", "alice"));
        long before = runtime.rollbacks().refused(RejectionCode.NO_ALIAS_HISTORY);
        long deadBefore = runtime.rollbacks().deadLettered();

        producer.send(new ProducerRecord<>(Topics.MONITOR_EVENTS, "monitor/" + model, new byte[]{9, 9})).get();
        producer.send(new ProducerRecord<>(Topics.MONITOR_EVENTS, "monitor/" + model,
                rollbackRequested(model, 1))).get();

        await().atMost(Duration.ofSeconds(30))
                .until(() -> runtime.rollbacks().refused(RejectionCode.NO_ALIAS_HISTORY) == before + 1);
        assertThat(runtime.rollbacks().deadLettered()).isEqualTo(deadBefore + 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> champion(model) == 1);
    }

    private static byte[] rollbackRequested(String model, int fromVersion) {
        return EVENTS.encode(MonitorEventEnvelope.newBuilder()
                .setEventId("cmd-" + UUID.randomUUID() + "#1").setTimestamp(Instant.now()).setKey("monitor/" + model)
                .setCausationId("cmd").setIndex(1).setCount(3)
                .setPayload(RollbackRequested.newBuilder().setFromVersion(fromVersion)
                        .setReason("auc fell from 0.80 to 0.61, more than the allowed 0.05").setAt(Instant.now())
                        .build())
                .build());
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    private static void send(Object command) throws Exception {
        RegistryGateway.Outcome outcome = runtime.gateway().send(new CommandEnvelope(command, Instant.now(), "test"))
                .get(30, TimeUnit.SECONDS);
        assertThat(outcome.rejection()).as("outcome of %s", command).isEmpty();
    }

    private static int champion(String model) throws Exception {
        return get("/api/v1/models/" + model + "/aliases/champion").path("version").path("version").asInt(-1);
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.getURI() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? JSON.readTree(r.body()) : JSON.missingNode();
    }
}

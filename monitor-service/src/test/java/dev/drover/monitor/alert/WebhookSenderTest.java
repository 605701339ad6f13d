package dev.drover.monitor.alert;

import com.sun.net.httpserver.HttpServer;
import dev.drover.embedded.TestInfrastructure;
import dev.drover.monitor.core.AlertKind;
import dev.drover.monitor.core.FeatureSetRef;
import dev.drover.monitor.core.MonitorEvent.AlertRaised;
import dev.drover.monitor.core.MonitorEvent.RetrainRequested;
import dev.drover.monitor.core.Webhook;
import dev.drover.monitor.core.WebhookFormat;
import dev.drover.monitor.wire.EventEnvelope;
import dev.drover.monitor.wire.MonitorCodec;
import dev.drover.platform.json.JsonValues;
import dev.drover.platform.kafka.Topics;
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

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The webhook sender on the real broker posting to a real HTTP server: the generic and the Slack payload with the
 * idempotency key, a receiver that fails twice and is retried until it accepts, one that always fails and is given
 * up on after the bounded attempts, and an unreadable record set aside without stopping the sender.
 */
class WebhookSenderTest {
    private static final MonitorCodec CODEC = new MonitorCodec();
    private static HttpServer receiver;
    private static WebhookSender sender;
    private static KafkaProducer<String, byte[]> producer;
    private static final Queue<Received> received = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger flakyCalls = new AtomicInteger();
    private static final AtomicInteger brokenCalls = new AtomicInteger();

    /** One request the receiver got. */
    record Received(String path, String idempotencyKey, String body) {
    }

    @BeforeAll
    static void start() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Received(path, exchange.getRequestHeaders().getFirst("Idempotency-Key"), body));
            int status = 200;
            if (path.startsWith("/flaky") && flakyCalls.incrementAndGet() <= 2) {
                status = 503;
            } else if (path.startsWith("/broken")) {
                brokenCalls.incrementAndGet();
                status = 500;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
        String bootstrap = TestInfrastructure.kafkaBootstrap();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Topics.ensureTopics(admin, 3, (short) 1);
        }
        sender = new WebhookSender(bootstrap, CODEC, new WebhookSender.Settings(Duration.ofSeconds(2), 3,
                Duration.ofMillis(50)));
        sender.start();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    @AfterAll
    static void stop() {
        producer.close();
        sender.close();
        receiver.stop(0);
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    @Test
    void anAlertIsPostedToEveryWebhookInItsFormatAndFailuresAreRetriedThenGivenUp() throws Exception {
        String model = "churn-" + UUID.randomUUID().toString().substring(0, 8);
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String command = "cmd-" + tag;
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String reportId = model + "/w-9";
        AlertRaised alert = new AlertRaised(model, AlertKind.DRIFT, "model " + model + " drifted: 2 of 3 features",
                List.of(new Webhook(url("/generic/" + tag), WebhookFormat.GENERIC),
                        new Webhook(url("/slack/" + tag), WebhookFormat.SLACK),
                        new Webhook(url("/flaky/" + tag), WebhookFormat.GENERIC),
                        new Webhook(url("/broken/" + tag), WebhookFormat.SLACK)), at);
        String key = "monitor/" + model;
        producer.send(new ProducerRecord<>(Topics.MONITOR_EVENTS, key, CODEC.encodeEvent(new EventEnvelope(
                command + "#0", at, key, command, null, 0, 2, new RetrainRequested(model, reportId, "drifted", 4,
                new FeatureSetRef("churn-features", 2), at))))).get();
        producer.send(new ProducerRecord<>(Topics.MONITOR_EVENTS, key, new byte[]{0, 1, 2})).get();
        producer.send(new ProducerRecord<>(Topics.MONITOR_EVENTS, key, CODEC.encodeEvent(new EventEnvelope(
                command + "#1", at, key, command, null, 1, 2, alert)))).get();

        await("every webhook ended").atMost(Duration.ofSeconds(30))
                .until(() -> requests("/flaky/" + tag).size() == 3 && requests("/broken/" + tag).size() == 3
                        && requests("/generic/" + tag).size() == 1 && requests("/slack/" + tag).size() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> sender.failed() >= 1 && sender.deadLettered() >= 1);

        Received generic = requests("/generic/" + tag).get(0);
        assertThat(generic.idempotencyKey()).isEqualTo(command + "#1");
        Map<String, Object> body = JsonValues.fromJson(generic.body());
        assertThat(body).containsEntry("kind", "DRIFT").containsEntry("model", model)
                .containsEntry("message", alert.message()).containsEntry("reportId", reportId)
                .containsEntry("version", 4L).containsEntry("at", at.toString())
                .containsEntry("eventId", command + "#1");
        Received slack = requests("/slack/" + tag).get(0);
        assertThat(slack.idempotencyKey()).isEqualTo(command + "#1");
        assertThat(JsonValues.fromJson(slack.body())).containsOnlyKeys("text")
                .containsEntry("text", "[DRIFT] " + alert.message());
        assertThat(requests("/flaky/" + tag)).extracting(Received::body).containsOnly(generic.body());
        assertThat(sender.retries()).isGreaterThanOrEqualTo(4); // 2 for the flaky receiver, 2 for the broken one
    }

    private static List<Received> requests(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }
}

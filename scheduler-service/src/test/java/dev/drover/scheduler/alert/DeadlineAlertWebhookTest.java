package dev.drover.scheduler.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.drover.scheduler.core.SchedulerEvent.RunDeadlineMissed;
import dev.drover.scheduler.core.SchedulerEvent.TaskDeadlineMissed;
import dev.drover.scheduler.loop.EventEnvelope;
import dev.drover.scheduler.loop.SchedulerHarness;
import dev.drover.scheduler.loop.TopicReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Deadline alerts end to end: the real scheduler loop raises them on a real broker, and the listener posts them to a
 * real HTTP receiver (the JDK's), retrying a receiver that fails at first, with the event id as the alert's id.
 */
class DeadlineAlertWebhookTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What the receiver got: the Idempotency-Key header and the body, of every post (failed ones included). */
    record Received(String key, JsonNode body) {
    }

    static SchedulerHarness scheduler;
    static HttpServer receiver;
    static DeadlineAlertListener listener;
    static final List<Received> posts = new CopyOnWriteArrayList<>();
    static final AtomicInteger calls = new AtomicInteger();

    @BeforeAll
    static void start() throws IOException {
        scheduler = new SchedulerHarness();
        scheduler.startLoop("alerts-test");
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            posts.add(new Received(exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                    JSON.readTree(new String(body, StandardCharsets.UTF_8))));
            // the first post fails, so the alert must be retried to arrive
            int status = calls.incrementAndGet() == 1 ? 503 : 204;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        listener = new DeadlineAlertListener(SchedulerHarness.prepareBroker(), List.of(url),
                new WebhookPoster(new WebhookPoster.Settings(Duration.ofSeconds(5), 3, Duration.ofMillis(50))),
                Duration.ofHours(1), Clock.systemUTC());
        listener.start();
    }

    @AfterAll
    static void stop() {
        if (listener != null) {
            listener.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
        if (scheduler != null) {
            scheduler.close();
        }
    }

    @Test
    void aRunAndATaskPastTheirDeadlinesArePostedOnceEachWhileTheRunKeepsRunning() {
        String pipeline = SchedulerHarness.uniqueId("late");
        // no executor takes the task: it stays dispatched, so both deadlines pass while the run is running
        scheduler.register("""
                id: %s
                deadline: 1s
                tasks:
                  - {id: slow, type: noop, deadline: 1500ms}
                """.formatted(pipeline));
        String runId = scheduler.requestRun(pipeline);

        EventEnvelope runAlert = scheduler.awaitEvent(pipeline, RunDeadlineMissed.class, e -> true);
        EventEnvelope taskAlert = scheduler.awaitEvent(pipeline, TaskDeadlineMissed.class, e -> true);
        await("both alerts posted").atMost(TopicReader.PATIENCE).until(() -> accepted(pipeline).size() == 2);

        List<Received> mine = accepted(pipeline);
        Received run = mine.stream().filter(r -> r.body().path("kind").asText().equals("run_deadline_missed"))
                .findFirst().orElseThrow();
        assertThat(run.key()).isEqualTo(runAlert.eventId());
        assertThat(run.body().path("alertId").asText()).isEqualTo(runAlert.eventId());
        assertThat(run.body().path("runId").asText()).isEqualTo(runId);
        assertThat(run.body().path("deadline").asText()).isEqualTo("1s");
        assertThat(run.body().path("message").asText()).contains(runId).contains("keeps running");
        Received task = mine.stream().filter(r -> r.body().path("kind").asText().equals("task_deadline_missed"))
                .findFirst().orElseThrow();
        assertThat(task.key()).isEqualTo(taskAlert.eventId());
        assertThat(task.body().path("taskId").asText()).isEqualTo("slow");
        assertThat(task.body().path("deadline").asText()).isEqualTo("1s500ms");
        // a failed first post was retried with the same id
        assertThat(posts).hasSizeGreaterThan(2);
        assertThat(listener.poster().retries()).isGreaterThanOrEqualTo(1);
        // raised once each, and the run is still running (no RunFinished)
        List<EventEnvelope> events = scheduler.pipelineEvents(pipeline);
        assertThat(SchedulerHarness.count(events, RunDeadlineMissed.class, e -> true)).isEqualTo(1);
        assertThat(SchedulerHarness.count(events, TaskDeadlineMissed.class, e -> true)).isEqualTo(1);
        assertThat(SchedulerHarness.types(events)).doesNotContain("RunFinished");
    }

    /** The posts about this pipeline the receiver accepted (every one after the first call). */
    private static List<Received> accepted(String pipeline) {
        List<Received> all = List.copyOf(posts);
        return all.subList(1, all.size()).stream()
                .filter(r -> r.body().path("pipelineId").asText().equals(pipeline)).toList();
    }
}

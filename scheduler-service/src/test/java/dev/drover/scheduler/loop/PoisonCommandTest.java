package dev.drover.scheduler.loop;

import dev.drover.embedded.TestInfrastructure;
import dev.drover.platform.avro.AvroCodec;
import dev.drover.platform.kafka.Topics;
import dev.drover.scheduler.core.SchedulerCommand;
import dev.drover.scheduler.core.SchedulerEvent.RunStarted;
import dev.drover.schemas.common.DeadLetter;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import static dev.drover.scheduler.loop.SchedulerHarness.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A record the scheduler cannot use is set aside on {@code drover.deadletter}, with the reason, in the same
 * transaction that commits past it; the partition is not wedged and the commands behind it are decided.
 */
class PoisonCommandTest {
    private static final AvroCodec<DeadLetter> DEAD_LETTERS = new AvroCodec<>(DeadLetter.class);
    private static SchedulerHarness scheduler;
    private static KafkaProducer<String, byte[]> producer;
    private static TopicReader<DeadLetter> deadLetters;

    @BeforeAll
    static void start() {
        scheduler = new SchedulerHarness();
        scheduler.startLoop(uniqueId("poison"));
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrap(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        deadLetters = new TopicReader<>(Topics.DEAD_LETTER, DEAD_LETTERS::decode);
    }

    @AfterAll
    static void stop() {
        if (producer != null) {
            producer.close();
        }
        if (deadLetters != null) {
            deadLetters.close();
        }
        if (scheduler != null) {
            scheduler.close();
        }
    }

    @Test
    void garbageIsDeadLetteredAndTheCommandsBehindItAreDecided() throws Exception {
        String pipelineId = uniqueId("poison");
        byte[] garbage = "this is not an Avro command".getBytes(StandardCharsets.UTF_8);
        // keyed by the pipeline, so the garbage sits in the very partition the pipeline's commands go to next
        RecordMetadata poisoned = producer.send(new ProducerRecord<>(Topics.RUN_COMMANDS, pipelineId, garbage)).get();

        String registered = scheduler.register("""
                id: %s
                tasks:
                  - {id: only, type: noop}
                """.formatted(pipelineId));
        assertThat(registered).isEqualTo(pipelineId);

        DeadLetter letter = deadLetters.awaitFirst("the dead letter of the garbage", d -> sameRecord(d, poisoned));
        assertThat(letter.getSourceTopic()).isEqualTo(Topics.RUN_COMMANDS);
        assertThat(letter.getReason()).startsWith("undecodable command");
        assertThat(bytes(letter.getValue())).isEqualTo(garbage);
        assertThat(new String(bytes(letter.getKey()), StandardCharsets.UTF_8)).isEqualTo(pipelineId);
        assertThat(letter.getService()).isEqualTo("scheduler");
        assertThat(letter.getFailedAt()).isBeforeOrEqualTo(Instant.now());
    }

    @Test
    void aCommandKeyedByAnotherPipelineIsDeadLetteredNotDecided() throws Exception {
        String pipelineId = scheduler.register("""
                id: %s
                tasks:
                  - {id: only, type: noop}
                """.formatted(uniqueId("poison")));
        int partition = scheduler.pipelineEntries(pipelineId).get(0).partition();

        // a valid command in the pipeline's partition, but keyed by another pipeline: deciding it could put its
        // events in a partition whose owner does not hold the pipeline's state, so it is set aside
        SchedulerCommand.RequestRun misrouted = new SchedulerCommand.RequestRun(SchedulerHarness.commandId(),
                pipelineId, null, Map.of(), "test", "mallory");
        String wrongKey = uniqueId("other");
        RecordMetadata sent = producer.send(new ProducerRecord<>(Topics.RUN_COMMANDS, partition, wrongKey,
                scheduler.codec().encodeCommand(new CommandEnvelope(misrouted, Instant.now(), null, "test")))).get();

        // the next command in the same partition is decided: the loop went past the misrouted one
        String runId = scheduler.requestRun(pipelineId);
        assertThat(runId).isEqualTo(pipelineId + ".1");

        DeadLetter letter = deadLetters.awaitFirst("the dead letter of the misrouted command",
                d -> sameRecord(d, sent));
        assertThat(letter.getReason()).contains("command for pipeline " + pipelineId + " was keyed " + wrongKey);
        assertThat(new String(bytes(letter.getKey()), StandardCharsets.UTF_8)).isEqualTo(wrongKey);
        assertThat(scheduler.pipelineEvents(pipelineId)).noneMatch(e -> e.causationId()
                .equals(misrouted.commandId()));
        assertThat(scheduler.pipelineEvents(pipelineId).stream().filter(e -> e.event() instanceof RunStarted))
                .hasSize(1);
        scheduler.decide(SchedulerHarness.cancel(pipelineId, runId), runId);
    }

    private static boolean sameRecord(DeadLetter d, RecordMetadata original) {
        return d.getSourceTopic().equals(original.topic()) && d.getPartition() == original.partition()
                && d.getOffset() == original.offset();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}

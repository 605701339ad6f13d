package dev.drover.registry.loop;

import dev.drover.embedded.TestInfrastructure;
import dev.drover.platform.eventlog.DeadLetters;
import dev.drover.platform.eventlog.DecisionLoop;
import dev.drover.platform.kafka.Topics;
import dev.drover.registry.core.Lineage;
import dev.drover.registry.core.ModelCommand.CreateModel;
import dev.drover.registry.core.ModelCommand.RegisterVersion;
import dev.drover.registry.core.ModelCommand.SetAlias;
import dev.drover.registry.core.ModelEvent.AliasMoved;
import dev.drover.registry.core.ModelEvent.ModelCreated;
import dev.drover.registry.core.ModelEvent.VersionRegistered;
import dev.drover.registry.core.RejectionCode;
import dev.drover.registry.loop.RegistryGateway.Outcome;
import dev.drover.registry.wire.CommandEnvelope;
import dev.drover.registry.wire.EventEnvelope;
import dev.drover.registry.wire.RegistryCodec;
import dev.drover.registry.wire.RegistryKeys;
import dev.drover.schemas.common.DeadLetter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The registry's decision loop on a real broker: outcomes through the gateway, gap-free version numbers under
 * concurrent writers, recovery after a restart, repeated command ids, and poison records set aside.
 */
class RegistryLoopTest {
    private static final RegistryCodec CODEC = new RegistryCodec();
    private static String bootstrap;
    private static KafkaRegistryGateway gateway;
    private static DecisionLoop loop;

    @BeforeAll
    static void start() {
        bootstrap = TestInfrastructure.kafkaBootstrap();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Topics.ensureTopics(admin, 3, (short) 1);
        }
        gateway = new KafkaRegistryGateway(bootstrap, CODEC);
        loop = newLoop();
        loop.start();
    }

    @AfterAll
    static void stop() {
        loop.close();
        gateway.close();
    }

    private static DecisionLoop newLoop() {
        return RegistryLoop.create(bootstrap, "loop-test", Duration.ofSeconds(10), CODEC, Clock.systemUTC());
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Outcome send(Object command) throws Exception {
        return gateway.send(new CommandEnvelope(command, Instant.now(), "test")).get(30, TimeUnit.SECONDS);
    }

    private static RegisterVersion register(String model, String commandId) {
        return new RegisterVersion(commandId, model, "s3://models/" + model, null, Map.of("lr", "0.1"),
                Map.of("auc", 0.8), new Lineage("run-1", "train", "abc123", null), Map.of(), true, "test");
    }

    @Test
    void concurrentRegistrationsGetDistinctGapFreeVersionsAndSurviveARestart() throws Exception {
        String model = unique("churn");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<CompletableFuture<Outcome>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                outcomes.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return send(register(model, UUID.randomUUID().toString()));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
            List<Integer> versions = new ArrayList<>();
            int created = 0;
            for (CompletableFuture<Outcome> f : outcomes) {
                Outcome o = f.get(60, TimeUnit.SECONDS);
                assertThat(o.rejection()).isEmpty();
                versions.add(o.first(VersionRegistered.class).orElseThrow().version());
                created += o.first(ModelCreated.class).isPresent() ? 1 : 0;
                assertThat(o.events().get(o.events().size() - 1).last()).isTrue();
            }
            assertThat(created).as("exactly one registration created the model").isEqualTo(1);
            assertThat(versions).containsExactlyInAnyOrderElementsOf(
                    java.util.stream.IntStream.rangeClosed(1, 40).boxed().toList());
        } finally {
            pool.shutdownNow();
        }

        // A new loop instance rebuilds the state from the events alone and numbers on from 40.
        loop.close();
        loop = newLoop();
        loop.start();
        Outcome next = send(register(model, UUID.randomUUID().toString()));
        assertThat(next.first(VersionRegistered.class).orElseThrow().version()).isEqualTo(41);
        Outcome alias = send(new SetAlias(UUID.randomUUID().toString(), model, "champion", 41, "best", "test"));
        assertThat(alias.first(AliasMoved.class).orElseThrow().previousVersion()).isNull();
    }

    @Test
    void aRejectionIsTheOutcome() throws Exception {
        String model = unique("dup");
        send(new CreateModel(UUID.randomUUID().toString(), model, "first", Map.of(), "test"));
        Outcome again = send(new CreateModel(UUID.randomUUID().toString(), model, "second", Map.of(), "test"));
        assertThat(again.rejection()).hasValueSatisfying(r -> {
            assertThat(r.code()).isEqualTo(RejectionCode.MODEL_EXISTS);
            assertThat(r.message()).contains(model);
        });
    }

    @Test
    void aRepeatedCommandIdIsDecidedOnce() throws Exception {
        String model = unique("repeat");
        RegisterVersion command = register(model, UUID.randomUUID().toString());
        send(command);
        try (KafkaProducer<String, byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>(Topics.REGISTRY_COMMANDS, RegistryKeys.model(model),
                    CODEC.encodeCommand(new CommandEnvelope(command, Instant.now(), "retry")))).get();
        }
        // the next distinct command is decided after the repeat (same key, same partition, in order)
        Outcome next = send(register(model, UUID.randomUUID().toString()));
        assertThat(next.first(VersionRegistered.class).orElseThrow().version()).isEqualTo(2);
        List<EventEnvelope> events = eventsOf(RegistryKeys.model(model), 3);
        assertThat(events).extracting(e -> e.event().getClass().getSimpleName())
                .containsExactly("ModelCreated", "VersionRegistered", "VersionRegistered");
    }

    @Test
    void unusableRecordsAreSetAsideAndTheLoopGoesOn() throws Exception {
        String model = unique("poison");
        String badKey = RegistryKeys.model(model);
        try (KafkaProducer<String, byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>(Topics.REGISTRY_COMMANDS, badKey,
                    "not avro".getBytes(StandardCharsets.UTF_8))).get();
            producer.send(new ProducerRecord<>(Topics.REGISTRY_COMMANDS, badKey,
                    CODEC.encodeCommand(new CommandEnvelope(register(model + "-other", "c-" + model),
                            Instant.now(), "test")))).get();
        }
        Outcome after = send(register(model, UUID.randomUUID().toString()));
        assertThat(after.first(VersionRegistered.class).orElseThrow().version()).isEqualTo(1);
        List<DeadLetter> letters = deadLettersKeyed(badKey, 2);
        assertThat(letters).extracting(l -> l.getReason().toString())
                .anySatisfy(r -> assertThat(r).startsWith("undecodable registry command"))
                .anySatisfy(r -> assertThat(r).contains("was keyed " + badKey));
        assertThat(letters).allSatisfy(l -> assertThat(l.getService().toString()).isEqualTo("registry"));
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    private static List<EventEnvelope> eventsOf(String key, int atLeast) {
        List<EventEnvelope> out = new ArrayList<>();
        readAll(Topics.REGISTRY_EVENTS, r -> {
            if (key.equals(r.key())) {
                out.add(CODEC.decodeEvent(r.value()));
            }
        }, () -> out.size() >= atLeast);
        return out;
    }

    private static List<DeadLetter> deadLettersKeyed(String key, int atLeast) {
        List<DeadLetter> out = new ArrayList<>();
        readAll(Topics.DEAD_LETTER, r -> {
            if (key.equals(r.key())) {
                out.add(DeadLetters.decode(r.value()));
            }
        }, () -> out.size() >= atLeast);
        return out;
    }

    /** Reads a topic from the beginning until {@code done} holds (read_committed). */
    private static void readAll(String topic, java.util.function.Consumer<ConsumerRecord<String, byte[]>> sink,
                                java.util.function.BooleanSupplier done) {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            List<TopicPartition> tps = c.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                c.poll(Duration.ofMillis(100)).forEach(sink);
                return done.getAsBoolean();
            });
        }
    }
}

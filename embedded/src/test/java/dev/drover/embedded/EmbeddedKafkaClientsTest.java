package dev.drover.embedded;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.drover.embedded.KafkaClients.consumer;
import static dev.drover.embedded.KafkaClients.createTopic;
import static dev.drover.embedded.KafkaClients.pollUntil;
import static dev.drover.embedded.KafkaClients.producer;
import static dev.drover.embedded.KafkaClients.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The client features Drover relies on, against the JVM-wide broker of {@link TestInfrastructure}. */
class EmbeddedKafkaClientsTest {

  private final String bootstrap = TestInfrastructure.kafkaBootstrap();

  @Test
  void productionFeaturesAreFinalized() throws Exception {
    try (Admin admin = KafkaClients.admin(bootstrap)) {
      FeatureMetadata features = admin.describeFeatures().featureMetadata().get();

      // The levels that switch on share groups, KIP-848 consumer groups and transactions v2 (KIP-890).
      assertThat(features.finalizedFeatures().get("share.version").maxVersionLevel()).isGreaterThanOrEqualTo((short) 1);
      assertThat(features.finalizedFeatures().get("group.version").maxVersionLevel()).isGreaterThanOrEqualTo((short) 1);
      assertThat(features.finalizedFeatures().get("transaction.version").maxVersionLevel())
          .isGreaterThanOrEqualTo((short) 2);
    }
  }

  @Test
  void consumerGroupReadsWhatWasProduced() throws Exception {
    String topic = unique("plain");
    createTopic(bootstrap, topic, 3);
    try (KafkaProducer<String, String> producer = producer(bootstrap, Map.of("acks", "all"))) {
      for (int i = 0; i < 10; i++) {
        producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)).get();
      }
    }

    // group.protocol=consumer: the KIP-848 protocol, which only works with group.version finalized.
    try (KafkaConsumer<String, String> consumer = consumer(bootstrap,
        Map.of("group.id", unique("plain-group"), "group.protocol", "consumer"))) {
      consumer.subscribe(List.of(topic));
      List<ConsumerRecord<String, String>> records = pollUntil(consumer, 10);
      consumer.commitSync();

      assertThat(records).extracting(ConsumerRecord::value)
          .containsExactlyInAnyOrder("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9");
    }
  }

  @Test
  void readCommittedConsumerSeesOnlyCommittedTransactions() throws Exception {
    String topic = unique("tx");
    createTopic(bootstrap, topic, 1);
    try (KafkaProducer<String, String> producer = producer(bootstrap,
        Map.of("transactional.id", unique("tx-producer"), "enable.idempotence", true))) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "a", "committed-1"));
      producer.send(new ProducerRecord<>(topic, "a", "committed-2"));
      producer.commitTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "a", "aborted"));
      producer.flush();
      producer.abortTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "a", "committed-3"));
      producer.commitTransaction();
    }

    try (KafkaConsumer<String, String> consumer = consumer(bootstrap,
        Map.of("group.id", unique("tx-group"), "isolation.level", "read_committed"))) {
      consumer.subscribe(List.of(topic));
      List<ConsumerRecord<String, String>> records = pollUntil(consumer, 3);

      assertThat(records).extracting(ConsumerRecord::value)
          .containsExactly("committed-1", "committed-2", "committed-3");
    }
  }

  @Test
  void shareGroupConsumerReceivesAndAcknowledgesRecords() throws Exception {
    String topic = unique("tasks");
    String group = unique("executors");
    createTopic(bootstrap, topic, 1);
    try (Admin admin = KafkaClients.admin(bootstrap)) {
      // A group config, not a client one: without it a new share group starts at the log end and misses these.
      admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, group), List.of(
          new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET))))
          .all().get();
    }
    try (KafkaProducer<String, String> producer = producer(bootstrap, Map.of())) {
      for (int i = 0; i < 5; i++) {
        producer.send(new ProducerRecord<>(topic, "task-" + i)).get();
      }
    }

    List<String> received = new ArrayList<>();
    try (KafkaShareConsumer<String, String> consumer = new KafkaShareConsumer<>(Map.of(
        "bootstrap.servers", bootstrap,
        "group.id", group,
        "share.acknowledgement.mode", "explicit",
        "key.deserializer", StringDeserializer.class,
        "value.deserializer", StringDeserializer.class))) {
      consumer.subscribe(List.of(topic));
      await().atMost(Duration.ofSeconds(30)).pollInSameThread().pollDelay(Duration.ZERO).until(() -> {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          received.add(r.value());
          consumer.acknowledge(r, AcknowledgeType.ACCEPT);
        }
        consumer.commitSync();
        return received.size() >= 5;
      });
      assertThat(received).containsExactlyInAnyOrder("task-0", "task-1", "task-2", "task-3", "task-4");
    }
  }
}

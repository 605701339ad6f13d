package dev.drover.embedded;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.drover.embedded.KafkaClients.consumer;
import static dev.drover.embedded.KafkaClients.createTopic;
import static dev.drover.embedded.KafkaClients.pollUntil;
import static dev.drover.embedded.KafkaClients.producer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Starting, stopping and restarting brokers of its own (not the shared one). */
class EmbeddedKafkaLifecycleTest {

  @Test
  void persistentDirectoryKeepsTopicsRecordsAndOffsetsAcrossRestart(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("kafka");
    String topic = "events";
    String group = "projection";
    String clusterId;
    int port;
    Map<TopicPartition, OffsetAndMetadata> committedBefore;

    try (EmbeddedKafka first = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withDataDirectory(dir))) {
      System.out.printf("EMBEDDED-KAFKA first start (format) %d ms%n", first.startupTime().toMillis());
      clusterId = first.clusterId();
      port = port(first.bootstrapServers());
      createTopic(first.bootstrapServers(), topic, 2);
      try (KafkaProducer<String, String> producer = producer(first.bootstrapServers(),
          Map.of("transactional.id", "restart-tx"))) {
        producer.initTransactions();
        producer.beginTransaction();
        for (int i = 0; i < 4; i++) {
          producer.send(new ProducerRecord<>(topic, "run-" + i, "event-" + i));
        }
        producer.commitTransaction();
      }
      try (KafkaConsumer<String, String> consumer = consumer(first.bootstrapServers(),
          Map.of("group.id", group, "isolation.level", "read_committed"))) {
        consumer.subscribe(List.of(topic));
        pollUntil(consumer, 4);
        consumer.commitSync();
      }
      try (Admin admin = KafkaClients.admin(first.bootstrapServers())) {
        committedBefore = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      }
    }
    assertThat(dir.resolve("meta.properties")).exists();

    // Same directory and the same fixed port, as the standalone mode restarts on 9092.
    try (EmbeddedKafka second = EmbeddedKafka.start(
        EmbeddedKafka.Options.defaults().withDataDirectory(dir).withPort(port))) {
      System.out.printf("EMBEDDED-KAFKA restart on existing data %d ms%n", second.startupTime().toMillis());
      assertThat(second.clusterId()).isEqualTo(clusterId);
      assertThat(port(second.bootstrapServers())).isEqualTo(port);

      try (Admin admin = KafkaClients.admin(second.bootstrapServers())) {
        assertThat(admin.listTopics().names().get()).contains(topic);
        assertThat(committedBefore.values()).anySatisfy(offset -> assertThat(offset.offset()).isPositive());
        assertThat(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get())
            .isEqualTo(committedBefore);
      }
      try (KafkaConsumer<String, String> consumer = consumer(second.bootstrapServers(),
          Map.of("group.id", "fresh-reader", "isolation.level", "read_committed"))) {
        consumer.subscribe(List.of(topic));
        assertThat(pollUntil(consumer, 4)).extracting(ConsumerRecord::value)
            .containsExactlyInAnyOrder("event-0", "event-1", "event-2", "event-3");
      }
      try (KafkaProducer<String, String> producer = producer(second.bootstrapServers(),
          Map.of("transactional.id", "restart-tx"))) {
        // The same transactional id again: its coordinator state survived, so fencing the old epoch works.
        producer.initTransactions();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(topic, "run-4", "event-4"));
        producer.commitTransaction();
      }
    }
    assertThat(dir).exists();
  }

  @Test
  void temporaryDirectoryIsDeletedOnClose() {
    EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults());
    System.out.printf("EMBEDDED-KAFKA temporary start %d ms%n", kafka.startupTime().toMillis());
    Path dir = kafka.dataDirectory();
    assertThat(kafka.persistent()).isFalse();
    assertThat(dir.resolve("meta.properties")).exists();

    long t = System.nanoTime();
    kafka.close();
    System.out.printf("EMBEDDED-KAFKA close %d ms%n", (System.nanoTime() - t) / 1_000_000);
    kafka.close();

    assertThat(Files.exists(dir)).isFalse();
  }

  @Test
  void takenPortFailsFastAndLeavesTheRunningBrokerAlone() throws Exception {
    try (EmbeddedKafka running = EmbeddedKafka.start(EmbeddedKafka.Options.defaults())) {
      int taken = port(running.bootstrapServers());

      assertThatThrownBy(() -> EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withPort(taken)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(Integer.toString(taken));

      try (Admin admin = KafkaClients.admin(running.bootstrapServers())) {
        assertThat(admin.describeCluster().nodes().get()).hasSize(1);
      }
    }
  }

  private static int port(String bootstrap) {
    return Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
  }
}

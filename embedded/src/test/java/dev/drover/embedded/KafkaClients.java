package dev.drover.embedded;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import static org.awaitility.Awaitility.await;

/** Client set-up the broker tests share: string serdes, short timeouts, unique names. */
final class KafkaClients {

  private KafkaClients() {
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static Admin admin(String bootstrap) {
    return Admin.create(Map.of("bootstrap.servers", bootstrap));
  }

  static void createTopic(String bootstrap, String topic, int partitions) throws ExecutionException, InterruptedException {
    try (Admin admin = admin(bootstrap)) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    }
  }

  static KafkaProducer<String, String> producer(String bootstrap, Map<String, Object> extra) {
    Map<String, Object> config = new HashMap<>(Map.of(
        "bootstrap.servers", bootstrap,
        "key.serializer", StringSerializer.class,
        "value.serializer", StringSerializer.class,
        "max.block.ms", 30_000));
    config.putAll(extra);
    return new KafkaProducer<>(config);
  }

  static KafkaConsumer<String, String> consumer(String bootstrap, Map<String, Object> extra) {
    Map<String, Object> config = new HashMap<>(Map.of(
        "bootstrap.servers", bootstrap,
        "key.deserializer", StringDeserializer.class,
        "value.deserializer", StringDeserializer.class,
        "auto.offset.reset", "earliest",
        "enable.auto.commit", false));
    config.putAll(extra);
    return new KafkaConsumer<>(config);
  }

  /** Polls (on the calling thread: consumers are single-threaded) until {@code count} records arrived. */
  static List<ConsumerRecord<String, String>> pollUntil(KafkaConsumer<String, String> consumer, int count) {
    List<ConsumerRecord<String, String>> received = new ArrayList<>();
    await().atMost(Duration.ofSeconds(30)).pollInSameThread().pollDelay(Duration.ZERO)
        .until(() -> {
          consumer.poll(Duration.ofMillis(200)).forEach(received::add);
          return received.size() >= count;
        });
    return received;
  }
}

package dev.drover.system;

import dev.drover.embedded.EmbeddedKafka;

import java.nio.file.Path;

/**
 * A Kafka broker in its own JVM, for system tests: prints {@code KAFKA_READY <bootstrap>} once it accepts clients and
 * runs until killed or until its standard input closes (so it never outlives the test JVM that started it).
 */
public final class KafkaProcess {
    private KafkaProcess() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults()
                .withDataDirectory(Path.of(args[0])));
        System.out.println("KAFKA_READY " + kafka.bootstrapServers());
        System.out.flush();
        while (System.in.read() != -1) {
            // wait for the parent to go away
        }
        kafka.close();
    }
}

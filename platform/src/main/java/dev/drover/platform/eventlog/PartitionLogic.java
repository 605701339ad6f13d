package dev.drover.platform.eventlog;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Instant;
import java.util.List;

/**
 * What a service plugs into a {@link DecisionLoop} for one partition: the state it folds from that partition's
 * events, and how it decides a command against that state. Implementations hold the service's pure core; they know
 * the wire format but nothing of Kafka's clients or transactions.
 */
public interface PartitionLogic {

    /** Folds one committed event of this partition into the state (recovery; never decides or writes). */
    void replay(ConsumerRecord<String, byte[]> event);

    /**
     * Decides one command, applies the resulting events to the state, and returns them encoded, in order, to be
     * appended to this partition of the events topic. An empty list appends nothing (e.g. a repeated command id).
     * A decision that throws must leave the state as it was.
     *
     * @param now the decision time, already truncated to milliseconds (what the events record)
     * @throws UnusableRecord if the record cannot be decided at all (undecodable, wrongly keyed); it is set aside on
     *                        the dead-letter topic and the loop goes on
     */
    List<Appended> decide(ConsumerRecord<String, byte[]> command, Instant now) throws UnusableRecord;

    /** An encoded event to append: key and value. */
    record Appended(String key, byte[] value) {
    }

    /** A command record that cannot be decided, with the reason that goes into its dead letter. */
    final class UnusableRecord extends Exception {
        public UnusableRecord(String reason) {
            super(reason);
        }
    }
}

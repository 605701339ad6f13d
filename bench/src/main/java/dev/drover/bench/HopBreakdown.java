package dev.drover.bench;

import dev.drover.platform.kafka.KafkaClientConfig;
import dev.drover.platform.kafka.Topics;
import dev.drover.scheduler.core.SchedulerCommand;
import dev.drover.scheduler.loop.CommandEnvelope;
import dev.drover.scheduler.loop.LogCodec;
import dev.drover.scheduler.wire.DispatchCodec;
import dev.drover.schemas.task.TaskDispatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Splits each task-to-task hop of a chain run into its stages, with the timestamps the log already holds:
 * <ol>
 *   <li>decide: upstream TaskSucceeded (the loop's clock when its poll returned) → CreateTime of the downstream
 *       dispatch record (the loop's producer.send, inside the transaction);</li>
 *   <li>commit + share-group delivery + executor: dispatch CreateTime → CreateTime of the executor's
 *       ReportTaskStarted command;</li>
 *   <li>report → decision: ReportTaskStarted CreateTime → downstream TaskStarted (the loop's poll returned it).</li>
 * </ol>
 * All clocks are this machine's, so the stages are comparable to the millisecond.
 */
final class HopBreakdown {
    private HopBreakdown() {
    }

    static String of(String bootstrap, String pipelineId, String runId, RunTracker.RunInfo run, int length) {
        Map<String, Long> dispatchedAt = new HashMap<>();
        Map<String, Long> reportedStartAt = new HashMap<>();
        LogCodec codec = new LogCodec();
        read(bootstrap, Topics.dispatch("default"), (key, r) -> {
            if (runId.equals(key)) {
                TaskDispatch d = DispatchCodec.codec().decode(r.value());
                dispatchedAt.put(d.getTaskId(), r.timestamp());
            }
        });
        read(bootstrap, Topics.RUN_COMMANDS, (key, r) -> {
            if (pipelineId.equals(key)) {
                CommandEnvelope env = codec.decodeCommand(r.value());
                if (env.command() instanceof SchedulerCommand.ReportTaskStarted s && s.runId().equals(runId)) {
                    reportedStartAt.put(s.taskId(), r.timestamp());
                }
            }
        });
        long[] decide = new long[length - 1];
        long[] deliver = new long[length - 1];
        long[] report = new long[length - 1];
        for (int i = 1; i < length; i++) {
            String up = SchedulerBench.taskId(i - 1);
            String down = SchedulerBench.taskId(i);
            long t0 = run.taskSucceededAt.get(up).toEpochMilli();
            long t1 = dispatchedAt.get(down);
            long t2 = reportedStartAt.get(down);
            long t3 = run.taskStartedAt.get(down).toEpochMilli();
            decide[i - 1] = t1 - t0;
            deliver[i - 1] = t2 - t1;
            report[i - 1] = t3 - t2;
        }
        return "  hop stages, ms:\n"
                + "    decide+send (TaskSucceeded -> dispatch record)           " + Stats.summary(decide) + "\n"
                + "    commit+share delivery+executor (dispatch -> report sent) " + Stats.summary(deliver) + "\n"
                + "    report -> loop decision (report sent -> TaskStarted)     " + Stats.summary(report);
    }

    /**
     * Splits RunStarted → first TaskStarted of single-task runs the same way: RunStarted (the loop's clock) → dispatch
     * record CreateTime → ReportTaskStarted CreateTime → TaskStarted.
     */
    static String ofRunStarts(String bootstrap, String pipelineId, Map<String, Instant> runStartedAt,
                              Map<String, Instant> taskStartedAt) {
        Map<String, Long> dispatchedAt = new HashMap<>();
        Map<String, Long> reportedStartAt = new HashMap<>();
        LogCodec codec = new LogCodec();
        read(bootstrap, Topics.dispatch("default"), (key, r) -> {
            if (runStartedAt.containsKey(key)) {
                dispatchedAt.putIfAbsent(key, r.timestamp());
            }
        });
        read(bootstrap, Topics.RUN_COMMANDS, (key, r) -> {
            if (pipelineId.equals(key)) {
                CommandEnvelope env = codec.decodeCommand(r.value());
                if (env.command() instanceof SchedulerCommand.ReportTaskStarted s) {
                    reportedStartAt.putIfAbsent(s.runId(), r.timestamp());
                }
            }
        });
        List<String> runs = taskStartedAt.keySet().stream()
                .filter(id -> runStartedAt.containsKey(id) && dispatchedAt.containsKey(id)
                        && reportedStartAt.containsKey(id)).toList();
        long[] decide = new long[runs.size()];
        long[] deliver = new long[runs.size()];
        long[] report = new long[runs.size()];
        for (int i = 0; i < runs.size(); i++) {
            String id = runs.get(i);
            decide[i] = dispatchedAt.get(id) - runStartedAt.get(id).toEpochMilli();
            deliver[i] = reportedStartAt.get(id) - dispatchedAt.get(id);
            report[i] = taskStartedAt.get(id).toEpochMilli() - reportedStartAt.get(id);
        }
        return "  RunStarted -> first TaskStarted stages, ms:\n"
                + "    decide+send (RunStarted -> dispatch record)              " + Stats.summary(decide) + "\n"
                + "    commit+share delivery+executor (dispatch -> report sent) " + Stats.summary(deliver) + "\n"
                + "    report -> loop decision (report sent -> TaskStarted)     " + Stats.summary(report);
    }

    private static void read(String bootstrap, String topic, BiConsumer<String, ConsumerRecord<String, byte[]>> f) {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KafkaClientConfig.connect(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class), bootstrap))) {
            List<TopicPartition> tps = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            Instant deadline = Instant.now().plusSeconds(60);
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
                    f.accept(r.key(), r);
                }
            }
        }
    }
}

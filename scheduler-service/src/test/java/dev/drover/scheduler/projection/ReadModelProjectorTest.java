package dev.drover.scheduler.projection;

import dev.drover.embedded.TestInfrastructure;
import dev.drover.platform.avro.AvroCodec;
import dev.drover.platform.kafka.Topics;
import dev.drover.platform.readmodel.TableProjector;
import dev.drover.scheduler.core.SchedulerEvent.CommandRejected;
import dev.drover.scheduler.core.SchedulerEvent.RunFinished;
import dev.drover.scheduler.loop.EventEnvelope;
import dev.drover.scheduler.loop.LogCodec;
import dev.drover.scheduler.loop.SchedulerHarness;
import dev.drover.scheduler.loop.TopicReader;
import dev.drover.schemas.task.LogLine;
import dev.drover.schemas.task.LogStream;
import dev.drover.schemas.task.TaskDispatch;
import dev.drover.schemas.task.TaskLogBatch;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import static dev.drover.scheduler.loop.SchedulerHarness.EXECUTOR;
import static dev.drover.scheduler.loop.SchedulerHarness.failed;
import static dev.drover.scheduler.loop.SchedulerHarness.started;
import static dev.drover.scheduler.loop.SchedulerHarness.succeeded;
import static dev.drover.scheduler.loop.SchedulerHarness.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The read models in a real PostgreSQL, projected from a real log: one run with a retried task, a rejection, a second
 * revision and log lines (one batch delivered twice) is written once through the scheduler loop; each test projects
 * it into a database of its own.
 */
class ReadModelProjectorTest {
    private static final AvroCodec<TaskLogBatch> LOG_BATCHES = new AvroCodec<>(TaskLogBatch.class);
    private static final LogCodec CODEC = new LogCodec();

    private static String pipelineId;
    private static String runId;
    private static List<TopicReader.Entry<EventEnvelope>> runEvents;
    private static TopicReader<EventEnvelope> eventLog;
    private static TopicReader<byte[]> logLog;
    private static KafkaProducer<String, byte[]> producer;
    /** The rows of a clean projection; the offsets are left out, as a test may add records to the log. */
    private static Map<String, List<String>> reference;

    @BeforeAll
    static void writeTheLog() throws Exception {
        try (SchedulerHarness scheduler = new SchedulerHarness()) {
            scheduler.startLoop(uniqueId("projection"));
            pipelineId = scheduler.register(pipeline("first revision"));
            runId = scheduler.requestRun(pipelineId, Map.of("rows", 250));

            TaskDispatch prepare = scheduler.awaitDispatch(runId, "prepare", 1);
            scheduler.decide(started(prepare, EXECUTOR), runId);
            scheduler.decide(succeeded(prepare, EXECUTOR, Map.of("rows", 250L)), runId);
            TaskDispatch train1 = scheduler.awaitDispatch(runId, "train", 1);
            scheduler.decide(started(train1, EXECUTOR), runId);
            scheduler.decide(failed(train1, EXECUTOR, "exit status 2", 2), runId);
            TaskDispatch train2 = scheduler.awaitDispatch(runId, "train", 2);
            scheduler.decide(started(train2, EXECUTOR), runId);
            scheduler.decide(succeeded(train2, EXECUTOR, Map.of("model", "m-1", "auc", 0.91)), runId);
            EventEnvelope rejected = scheduler.decide(succeeded(train2, EXECUTOR, Map.of()), runId);
            assertThat(rejected.event()).isInstanceOf(CommandRejected.class);
            TaskDispatch publish = scheduler.awaitDispatch(runId, "publish", 1);
            scheduler.decide(started(publish, EXECUTOR), runId);
            scheduler.decide(succeeded(publish, EXECUTOR, Map.of()), runId);
            scheduler.awaitEvent(pipelineId, RunFinished.class, f -> true);
            scheduler.register(pipeline("second revision"));
            runEvents = scheduler.pipelineEntries(pipelineId);
        }

        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrap(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        TaskLogBatch firstAttempt = logBatch("train", 1, line(1, LogStream.STDOUT, "epoch 1"),
                line(2, LogStream.STDERR, "boom"), line(3, LogStream.SYSTEM, "attempt ended: failed: exit status 2"));
        sendLogs(firstAttempt);
        sendLogs(logBatch("train", 2, line(1, LogStream.STDOUT, "epoch 1"), line(2, LogStream.STDOUT, "auc 0.91")));
        sendLogs(firstAttempt); // delivered again: the read model keeps one copy of each line

        eventLog = new TopicReader<>(Topics.RUN_EVENTS, CODEC::decodeEvent);
        logLog = new TopicReader<>(Topics.TASK_LOGS, bytes -> bytes);
        reference = projectIntoFreshDatabase();
    }

    @AfterAll
    static void close() {
        if (producer != null) {
            producer.close();
        }
        if (eventLog != null) {
            eventLog.close();
        }
        if (logLog != null) {
            logLog.close();
        }
    }

    private static String pipeline(String description) {
        return """
                id: %s
                description: %s
                parameters:
                  rows: {type: integer, default: 100}
                tasks:
                  - {id: prepare, type: noop}
                  - id: train
                    type: shell
                    dependsOn: [prepare]
                    command: "train --rows {{ params.rows }}"
                    retries: {count: 1, initialDelay: 50ms, jitter: 0}
                  - {id: publish, type: noop, dependsOn: [train]}
                """.formatted(pipelineId == null ? uniqueId("projection") : pipelineId, description);
    }

    @Test
    void aRunIsProjectedIntoEveryReadModel() throws Exception {
        DataSource db = freshDatabase();
        try (ReadModelProjector projector = new ReadModelProjector(TestInfrastructure.kafkaBootstrap(), db, CODEC)) {
            projector.start();
            // read-your-writes: a client holding the position of the run's last event can wait for it
            TopicReader.Entry<EventEnvelope> finished = runEvents.stream()
                    .filter(e -> e.value().event() instanceof RunFinished).findFirst().orElseThrow();
            await("projection of the run's end").atMost(TopicReader.PATIENCE)
                    .until(() -> projector.hasProjected(finished.partition(), finished.offset()));
            assertThat(query(db, "select status, reason from runs where run_id = ?", runId))
                    .containsExactly("SUCCEEDED|all tasks succeeded");
            awaitEverythingProjected(db);
        }

        assertThat(query(db, "select pipeline_id, latest_revision, description from pipelines where pipeline_id = ?",
                pipelineId)).containsExactly(pipelineId + "|2|second revision");
        assertThat(query(db, "select revision, spec->>'description', registered_by from pipeline_revisions "
                + "where pipeline_id = ? order by revision", pipelineId))
                .containsExactly("1|first revision|loop-test", "2|second revision|loop-test");
        assertThat(query(db, "select pipeline_id, revision, status, parameters::text, trigger, requested_by, "
                + "finished_at >= started_at from runs where run_id = ?", runId))
                .containsExactly(pipelineId + "|1|SUCCEEDED|{\"rows\": 250}|test|loop-test|t");
        assertThat(query(db, "select task_id, position, status, attempt from task_runs where run_id = ? "
                + "order by position", runId))
                .containsExactly("prepare|0|SUCCEEDED|1", "train|1|SUCCEEDED|2", "publish|2|SUCCEEDED|1");
        assertThat(query(db, "select task_id, attempt, status, type, queue, executor_id, exit_code, message, "
                + "outputs::text from task_attempts where run_id = ? order by task_id, attempt", runId))
                .containsExactly(
                        "prepare|1|SUCCEEDED|noop|default|" + EXECUTOR + "|null|null|{\"rows\": 250}",
                        "publish|1|SUCCEEDED|noop|default|" + EXECUTOR + "|null|null|{}",
                        "train|1|FAILED|shell|default|" + EXECUTOR + "|2|exit status 2|null",
                        "train|2|SUCCEEDED|shell|default|" + EXECUTOR + "|null|null|"
                                + "{\"auc\": 0.91, \"model\": \"m-1\"}");
        assertThat(query(db, "select config->>'command', dispatched_at <= started_at, started_at <= finished_at "
                + "from task_attempts where run_id = ? and task_id = 'train' order by attempt", runId))
                .containsExactly("train --rows 250|t|t", "train --rows 250|t|t");
        assertThat(query(db, "select task_id, attempt, seq, stream, line from task_logs where run_id = ? "
                + "order by task_id, attempt, seq", runId)).containsExactly(
                "train|1|1|STDOUT|epoch 1",
                "train|1|2|STDERR|boom",
                "train|1|3|SYSTEM|attempt ended: failed: exit status 2",
                "train|2|1|STDOUT|epoch 1",
                "train|2|2|STDOUT|auc 0.91");

        // the story: one row per event of the pipeline, at its place in the log, with its ids
        List<String> expected = new ArrayList<>();
        for (TopicReader.Entry<EventEnvelope> e : runEvents) {
            EventEnvelope env = e.value();
            expected.add(e.partition() + "|" + e.offset() + "|" + env.eventId() + "|"
                    + env.event().getClass().getSimpleName() + "|" + env.causationId());
        }
        assertThat(query(db, "select partition_no, log_offset, event_id, type, causation_id from scheduler_events "
                + "where pipeline_id = ? order by partition_no, log_offset", pipelineId))
                .containsExactlyElementsOf(expected);
        assertThat(query(db, "select detail from scheduler_events where pipeline_id = ? and type = 'CommandRejected'",
                pipelineId)).singleElement().asString().startsWith("STALE_ATTEMPT: ");
        assertThat(query(db, "select count(*) from scheduler_events where run_id = ?", runId))
                .containsExactly(String.valueOf(runEvents.stream()
                        .filter(e -> runId.equals(e.value().correlationId())
                                && !(e.value().event() instanceof CommandRejected)).count()));

        // the offsets cover exactly the rows there are
        TopicReader.Entry<EventEnvelope> last = runEvents.get(runEvents.size() - 1);
        assertThat(Long.parseLong(query(db, "select next_offset from projection_offsets where topic = ? "
                + "and partition_no = ?", Topics.RUN_EVENTS, last.partition()).get(0))).isGreaterThan(last.offset());
        assertRowsMatchOffsets(db);
    }

    @Test
    void rebuildEmptiesTheReadModelsAndRefillsThemIdentically() throws Exception {
        DataSource db = freshDatabase();
        try (ReadModelProjector projector = new ReadModelProjector(TestInfrastructure.kafkaBootstrap(), db, CODEC)) {
            projector.start();
            awaitEverythingProjected(db);
            assertThat(withoutOffsets(dump(db))).isEqualTo(reference);

            // damage the read models the way a bug or a hand-made fix would
            execute(db, "delete from task_logs where run_id = '" + runId + "'");
            execute(db, "update runs set status = 'TAMPERED' where run_id = '" + runId + "'");
            execute(db, "insert into runs values ('ghost.1', 'ghost', 1, 'RUNNING', '{}', null, null, now(), null, "
                    + "null)");

            projector.rebuild();
            await("rebuild").atMost(TopicReader.PATIENCE).pollInterval(Duration.ofMillis(50)).until(() ->
                    // the ghost row goes only with the truncation, so the offsets read after it are the rebuild's
                    query(db, "select count(*) from runs where run_id = 'ghost.1'").equals(List.of("0"))
                            && everythingProjected(db));
            assertThat(withoutOffsets(dump(db))).isEqualTo(reference);
        }
    }

    @Test
    void aRestartedProjectorContinuesFromItsStoredOffsetsWithoutDuplicates() throws Exception {
        DataSource db = freshDatabase();
        try (ReadModelProjector projector = new ReadModelProjector(TestInfrastructure.kafkaBootstrap(), db, CODEC)) {
            projector.start();
            awaitEverythingProjected(db);
        }
        Map<String, List<String>> before = dump(db);
        assertThat(withoutOffsets(before)).isEqualTo(reference);

        // while it is down, an executor redelivers a batch it already shipped
        sendLogs(logBatch("train", 2, line(1, LogStream.STDOUT, "epoch 1"), line(2, LogStream.STDOUT, "auc 0.91")));
        try (ReadModelProjector projector = new ReadModelProjector(TestInfrastructure.kafkaBootstrap(), db, CODEC)) {
            projector.start();
            awaitEverythingProjected(db);
        }
        Map<String, List<String>> after = dump(db);
        assertThat(after.get("task_logs")).isEqualTo(before.get("task_logs"));
        assertThat(withoutOffsets(after)).isEqualTo(withoutOffsets(before));

        // and with its offsets lost, it projects the whole log again over the rows it has: still nothing doubles
        execute(db, "delete from projection_offsets");
        try (ReadModelProjector projector = new ReadModelProjector(TestInfrastructure.kafkaBootstrap(), db, CODEC)) {
            projector.start();
            awaitEverythingProjected(db);
        }
        assertThat(dump(db)).isEqualTo(after);
    }

    @Test
    void aTransactionThatFailsHalfwayLeavesNoRowsAndIsProjectedAgain() throws Exception {
        DataSource db = freshDatabase();
        // every insert into runs fails while the switch is on, in the middle of the projector's transaction, the way
        // a database that runs out of resources fails it (SQLSTATE class 53): the environment's fault, retried for as
        // long as it lasts, never quarantined
        execute(db, "create table fail_switch (on_ boolean)");
        execute(db, "create sequence failures");
        execute(db, """
                create function fail_if_switched() returns trigger language plpgsql as $$
                begin
                  if exists (select 1 from fail_switch) then
                    perform nextval('failures');
                    raise exception 'injected failure' using errcode = '53000';
                  end if;
                  return new;
                end $$""");
        execute(db, "create trigger fail_runs before insert on runs for each row execute function fail_if_switched()");
        execute(db, "insert into fail_switch values (true)");

        try (ReadModelProjector projector = new ReadModelProjector(TestInfrastructure.kafkaBootstrap(), db, CODEC)) {
            projector.start();
            // sequences are not transactional: they count failed attempts that left nothing else behind
            await("an injected failure").atMost(TopicReader.PATIENCE).pollInterval(Duration.ofMillis(20))
                    .until(() -> query(db, "select is_called from failures").equals(List.of("t")));
            assertThat(query(db, "select count(*) from runs where run_id = ?", runId)).containsExactly("0");
            assertRowsMatchOffsets(db);

            assertThat(query(db, "select count(*) from projection_quarantine")).containsExactly("0");

            execute(db, "delete from fail_switch");
            awaitEverythingProjected(db);
            assertRowsMatchOffsets(db);
        }
        assertThat(withoutOffsets(dump(db))).isEqualTo(reference);
    }

    @Test
    void poisonIsQuarantinedTheRestIsProjectedAndAReplayAfterTheFixAppliesIt() throws Exception {
        // garbage on both topics, and an event this database refuses (a data exception, SQLSTATE class 22, as a
        // NUL byte in a text column raises), in the middle of the log
        producer.send(new ProducerRecord<>(Topics.RUN_EVENTS, pipelineId, new byte[] {1, 2, 3})).get();
        producer.send(new ProducerRecord<>(Topics.TASK_LOGS, runId, "not a log batch".getBytes())).get();
        DataSource db = freshDatabase();
        execute(db, """
                create function refuse_run() returns trigger language plpgsql as $$
                begin
                  raise exception 'invalid byte sequence' using errcode = '22021';
                end $$""");
        execute(db, "create trigger refuse_runs before insert on runs for each row execute function refuse_run()");

        try (ReadModelProjector projector = new ReadModelProjector(TestInfrastructure.kafkaBootstrap(), db, CODEC)) {
            projector.start();
            awaitEverythingProjected(db);
            assertRowsMatchOffsets(db);
            // what followed the refused RunStarted is in the read model: its tasks' attempts, its events, logs
            assertThat(query(db, "select count(*) from runs where run_id = ?", runId)).containsExactly("0");
            assertThat(query(db, "select count(*) from task_attempts where run_id = ?", runId))
                    .containsExactly("4");
            assertThat(query(db, "select count(*) from task_logs where run_id = ?", runId)).containsExactly("5");
            List<TableProjector.Quarantined> quarantined = projector.projector().quarantine();
            assertThat(quarantined).extracting(q -> q.error().substring(0, 19)).contains("cannot be decoded: ",
                    "cannot be applied: ");
            TableProjector.Quarantined refused = quarantined.stream()
                    .filter(q -> q.error().contains("invalid byte sequence")).findFirst().orElseThrow();
            assertThat(refused.tries()).isEqualTo(TableProjector.MAX_TRIES);

            // replaying before the fix keeps it quarantined, with the error
            assertThat(projector.projector().replay(refused.position())).hasValueSatisfying(r ->
                    assertThat(r.applied()).isFalse());
            execute(db, "drop trigger refuse_runs on runs");
            assertThat(projector.projector().replay(refused.position())).hasValueSatisfying(r ->
                    assertThat(r.applied()).isTrue());
            assertThat(query(db, "select status from runs where run_id = ?", runId)).isNotEmpty();
            assertThat(projector.projector().quarantine()).doesNotContain(refused);

            // a rebuild with the poison still in the log empties the tables and fills them again: the garbage is
            // quarantined anew and everything else is back
            projector.rebuild();
            await("the rebuild").atMost(TopicReader.PATIENCE).pollInterval(Duration.ofMillis(20))
                    .until(() -> everythingProjected(db)
                            && query(db, "select count(*) from runs where run_id = ?", runId).equals(List.of("1")));
            assertThat(projector.projector().quarantine()).isNotEmpty()
                    .allSatisfy(q -> assertThat(q.error()).startsWith("cannot be decoded"));
        }
        Map<String, List<String>> rebuilt = withoutOffsets(dump(db));
        assertThat(rebuilt.get("runs")).hasSize(reference.get("runs").size());
        assertThat(rebuilt.get("task_logs")).isEqualTo(reference.get("task_logs"));
    }

    // ---- helpers

    private static Map<String, List<String>> projectIntoFreshDatabase() throws Exception {
        DataSource db = freshDatabase();
        try (ReadModelProjector projector = new ReadModelProjector(TestInfrastructure.kafkaBootstrap(), db, CODEC)) {
            projector.start();
            awaitEverythingProjected(db);
        }
        return withoutOffsets(dump(db));
    }

    private static DataSource freshDatabase() {
        String url = TestInfrastructure.newDatabase(ReadModelProjectorTest.class.getSimpleName());
        Flyway.configure().dataSource(url, TestInfrastructure.postgresUser(), TestInfrastructure.postgresPassword())
                .locations("classpath:db/scheduler").load().migrate();
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(url);
        ds.setUser(TestInfrastructure.postgresUser());
        ds.setPassword(TestInfrastructure.postgresPassword());
        return ds;
    }

    /** Where each partition of both topics ends now: the offset after its last record. */
    private static Map<TopicPartition, Long> logEnds() {
        Map<TopicPartition, Long> ends = new HashMap<>();
        eventLog.readToEnd().forEach(e -> ends.merge(new TopicPartition(Topics.RUN_EVENTS, e.partition()),
                e.offset() + 1, Math::max));
        logLog.readToEnd().forEach(e -> ends.merge(new TopicPartition(Topics.TASK_LOGS, e.partition()),
                e.offset() + 1, Math::max));
        return ends;
    }

    private static boolean everythingProjected(DataSource db) throws SQLException {
        Map<TopicPartition, Long> stored = new HashMap<>();
        for (String row : query(db, "select topic, partition_no, next_offset from projection_offsets")) {
            String[] f = row.split("\\|");
            stored.put(new TopicPartition(f[0], Integer.parseInt(f[1])), Long.parseLong(f[2]));
        }
        return logEnds().entrySet().stream().allMatch(e -> e.getValue().equals(stored.get(e.getKey())));
    }

    private static void awaitEverythingProjected(DataSource db) {
        await("projection of the whole log").atMost(TopicReader.PATIENCE).pollInterval(Duration.ofMillis(20))
                .until(() -> everythingProjected(db));
    }

    /** No event row lies beyond its partition's stored offset: rows and offsets were committed together. */
    private static void assertRowsMatchOffsets(DataSource db) throws SQLException {
        assertThat(query(db, "select count(*) from scheduler_events e left join projection_offsets o "
                + "on o.topic = ? and o.partition_no = e.partition_no "
                + "where o.next_offset is null or e.log_offset >= o.next_offset", Topics.RUN_EVENTS))
                .containsExactly("0");
    }

    /** Everything the log says about this class's pipeline and run, plus where the projection stands. */
    private static Map<String, List<String>> dump(DataSource db) throws SQLException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        out.put("pipelines", query(db, "select * from pipelines where pipeline_id = ?", pipelineId));
        out.put("pipeline_revisions", query(db, "select * from pipeline_revisions where pipeline_id = ? "
                + "order by revision", pipelineId));
        out.put("runs", query(db, "select * from runs where pipeline_id = ? order by run_id", pipelineId));
        out.put("task_runs", query(db, "select * from task_runs where run_id = ? order by position", runId));
        out.put("task_attempts", query(db, "select * from task_attempts where run_id = ? order by task_id, attempt",
                runId));
        out.put("task_logs", query(db, "select * from task_logs where run_id = ? order by task_id, attempt, seq",
                runId));
        out.put("scheduler_events", query(db, "select * from scheduler_events where pipeline_id = ? "
                + "order by partition_no, log_offset", pipelineId));
        out.put("projection_offsets", query(db, "select * from projection_offsets order by topic, partition_no"));
        return out;
    }

    private static Map<String, List<String>> withoutOffsets(Map<String, List<String>> dump) {
        Map<String, List<String>> copy = new LinkedHashMap<>(dump);
        copy.remove("projection_offsets");
        return copy;
    }

    private static List<String> query(DataSource db, String sql, Object... args) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringJoiner row = new StringJoiner("|");
                    for (int i = 1; i <= columns; i++) {
                        row.add(String.valueOf(rs.getString(i)));
                    }
                    rows.add(row.toString());
                }
            }
            return rows;
        }
    }

    private static void execute(DataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static LogLine line(long seq, LogStream stream, String text) {
        return LogLine.newBuilder().setSeq(seq).setTimestamp(Instant.parse("2030-01-01T00:00:00Z").plusMillis(seq))
                .setStream(stream).setLine(text).build();
    }

    private static TaskLogBatch logBatch(String taskId, int attempt, LogLine... lines) {
        return TaskLogBatch.newBuilder().setPipelineId(pipelineId).setRunId(runId).setTaskId(taskId)
                .setAttempt(attempt).setExecutorId(EXECUTOR).setLines(List.of(lines)).build();
    }

    private static void sendLogs(TaskLogBatch batch) throws Exception {
        producer.send(new ProducerRecord<>(Topics.TASK_LOGS, batch.getRunId(), LOG_BATCHES.encode(batch))).get();
    }
}

package io.tocsin.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.avro.IncidentStatus;
import io.tocsin.avro.Severity;
import io.tocsin.config.ClickHouseSettings;
import io.tocsin.testing.LocalClickHouse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Idempotency of the ClickHouse sink across a Flink restart. The mechanism is the tables'
 * ReplacingMergeTree key (incident_events: (incident_id, seq)): the sink sends batches as they
 * fill, so rows written after the last completed checkpoint are sent again when the job restarts
 * from it. We kill the job mid-stream, after the sink has sent whole batches past a checkpoint
 * barrier, and check: the raw table holds the replayed duplicates, FINAL reads (what the saved
 * queries use) and the merged table hold each row exactly once, and the incident_facts rollup fed
 * by a materialized view is not inflated by the replay.
 */
class ClickHouseSinkReplayITCase {

    @RegisterExtension
    @Order(1)
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @RegisterExtension
    @Order(2)
    static final LocalClickHouse CLICKHOUSE = new LocalClickHouse();

    static final int EVENTS = 3000;
    static final int BATCH = 50;
    static final int INCIDENTS = 40;
    static final Instant T0 = Instant.parse("2026-11-02T00:00:00Z");

    @Test
    void aJobKilledMidBatchRestartsFromItsCheckpointAndFinalCountsAreExact() throws Exception {
        ClickHouseSettings base = CLICKHOUSE.freshDatabase("sink_replay");
        new ClickHouseMigrator(base).migrate();
        ClickHouseSettings s =
                new ClickHouseSettings(
                        base.url(),
                        base.user(),
                        base.password(),
                        BATCH,
                        Duration.ofSeconds(5),
                        3,
                        30);

        // Background merges would collapse the duplicates at their own pace (the engine merges
        // small parts within seconds); holding them keeps the replay visible in the raw table.
        execute(s, "SYSTEM STOP MERGES incident_events");

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(400, CheckpointingMode.EXACTLY_ONCE);
        Configuration restart = new Configuration();
        restart.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        restart.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        restart.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        env.configure(restart);
        FailOnceAfterACheckpoint.reset();
        env.fromSequence(1, EVENTS)
                .map(new FailOnceAfterACheckpoint(3 * BATCH + 10))
                .name("fail-once")
                .sinkTo(new ClickHouseSink<>(s, new Tables.IncidentEvents()))
                .name("incident-events-clickhouse");
        env.execute("sink-replay");

        assertThat(FailOnceAfterACheckpoint.FAILED).as("the job was killed once").isTrue();
        // Two subtasks started, and at least the failed one again (region failover).
        assertThat(FailOnceAfterACheckpoint.STARTS.get()).isGreaterThanOrEqualTo(3);
        try (Connection c = DriverManager.getConnection(s.url(), s.jdbcProperties());
                Statement st = c.createStatement()) {
            long raw = count(st, "SELECT count() FROM incident_events");
            // At least the three batches the killed subtask sent after its checkpoint came again.
            assertThat(raw)
                    .as("rows in the raw table, replay included")
                    .isGreaterThanOrEqualTo(EVENTS + 3 * BATCH);
            assertThat(count(st, "SELECT count() FROM incident_events FINAL")).isEqualTo(EVENTS);
            assertThat(count(st, "SELECT uniqExact(incident_id, seq) FROM incident_events"))
                    .isEqualTo(EVENTS);
            // 75 events per incident, escalations at seq 4, 8, ..., 72: 18 x 40 = 720, however
            // often a batch was sent (the materialized view saw every copy).
            assertThat(count(st, "SELECT sum(escalations) FROM incident_summary")).isEqualTo(720);
            assertThat(count(st, "SELECT count() FROM incident_summary")).isEqualTo(INCIDENTS);
            // A merge collapses the duplicates for good; FINAL is exact before it happens.
            st.execute("SYSTEM START MERGES incident_events");
            st.execute("OPTIMIZE TABLE incident_events FINAL");
            assertThat(count(st, "SELECT count() FROM incident_events")).isEqualTo(EVENTS);
        }
    }

    private static void execute(ClickHouseSettings s, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(s.url(), s.jdbcProperties());
                Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    static long count(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Event n (from 1): incident (n - 1) % 40, seq (n - 1) / 40 + 1; every 4th seq escalates. */
    static IncidentEvent event(long n) {
        String incident = "INC-" + ((n - 1) % INCIDENTS);
        long seq = (n - 1) / INCIDENTS + 1;
        IncidentEventType type =
                seq == 1
                        ? IncidentEventType.OPENED
                        : seq % 4 == 0
                                ? IncidentEventType.ESCALATED
                                : IncidentEventType.ALERT_ADDED;
        return IncidentEvent.newBuilder()
                .setEventId(incident + "/" + seq)
                .setIncidentId(incident)
                .setSeq(seq)
                .setType(type)
                .setEventTime(T0.plusSeconds(n))
                .setOpenedAt(T0)
                .setFirstAlertAt(T0)
                .setDomain("prod")
                .setSeverity(Severity.SEV2)
                .setStatus(IncidentStatus.OPEN)
                .setTitle(incident)
                .setServices(List.of("svc-" + (n % 7)))
                .setAlertCount((int) seq)
                .setActiveAlertCount((int) seq)
                .setEvidence(Map.of())
                .setActor("policy:test")
                .setEscalationTier(type == IncidentEventType.ESCALATED ? 0 : null)
                .setTarget(type == IncidentEventType.ESCALATED ? "alice" : null)
                .build();
    }

    /**
     * Maps n to an event, pacing the stream (about 400 events between checkpoints) so checkpoints
     * complete during it, and throws once: in the first attempt, {@code after} records after a
     * checkpoint barrier passed it. The sink is chained behind it, so by then the sink has sent
     * whole batches past that barrier.
     */
    static final class FailOnceAfterACheckpoint extends RichMapFunction<Long, IncidentEvent>
            implements CheckpointedFunction {
        static final AtomicBoolean FAILED = new AtomicBoolean();
        static final AtomicInteger STARTS = new AtomicInteger();

        private final int after;
        private int sinceBarrier = -1;

        FailOnceAfterACheckpoint(int after) {
            this.after = after;
        }

        static void reset() {
            FAILED.set(false);
            STARTS.set(0);
        }

        @Override
        public void open(OpenContext openContext) {
            STARTS.incrementAndGet();
        }

        @Override
        public IncidentEvent map(Long n) throws Exception {
            Thread.sleep(1);
            if (sinceBarrier >= 0 && ++sinceBarrier >= after && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("killed mid-batch on purpose (test)");
            }
            return event(n);
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) {
            sinceBarrier = 0;
        }

        @Override
        public void initializeState(FunctionInitializationContext context) {}
    }
}

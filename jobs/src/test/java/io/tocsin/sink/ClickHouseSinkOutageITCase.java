package io.tocsin.sink;

import static io.tocsin.sink.ClickHouseSinkReplayITCase.count;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.IncidentEvent;
import io.tocsin.config.ClickHouseSettings;
import io.tocsin.testing.LocalClickHouse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A ClickHouse outage under load: the sink retries each batch with backoff, then fails, and the job
 * restarts from its last checkpoint (exponential delay, no limit, as TocsinJob configures it) for
 * as long as ClickHouse is down; no checkpoint completes meanwhile, so nothing is acknowledged that
 * is not in ClickHouse. When ClickHouse returns the job catches up and every row is there.
 */
class ClickHouseSinkOutageITCase {

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

    @Test
    void anOutageUnderLoadLosesNothingAndTheJobCatchesUp() throws Exception {
        ClickHouseSettings base = CLICKHOUSE.freshDatabase("sink_outage");
        new ClickHouseMigrator(base).migrate();
        // Small batches sent often, three attempts (200 + 400 ms of backoff) before failing.
        ClickHouseSettings s =
                new ClickHouseSettings(
                        base.url(),
                        base.user(),
                        base.password(),
                        100,
                        Duration.ofMillis(200),
                        3,
                        30);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(200, CheckpointingMode.EXACTLY_ONCE);
        Configuration restart = new Configuration();
        restart.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        restart.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
                Duration.ofMillis(200));
        restart.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
                Duration.ofSeconds(2));
        restart.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS,
                Integer.MAX_VALUE);
        env.configure(restart);
        Paced.STARTS.set(0);
        env.fromSequence(1, EVENTS)
                .map(new Paced())
                .name("paced")
                .sinkTo(new ClickHouseSink<>(s, new Tables.IncidentEvents()))
                .name("incident-events-clickhouse");
        JobClient job = env.executeAsync("sink-outage");

        awaitRows(s, 400, Duration.ofSeconds(60));
        CLICKHOUSE.stop();
        long down = System.nanoTime();
        // Under load with ClickHouse down: the job fails and restarts, it is never given up on.
        while (System.nanoTime() - down < TimeUnit.SECONDS.toNanos(4)) {
            assertThat(job.getJobStatus().get()).isNotIn(JobStatus.FAILED, JobStatus.FINISHED);
            Thread.sleep(200);
        }
        int startsDuringOutage = Paced.STARTS.get();
        CLICKHOUSE.start();

        job.getJobExecutionResult().get(120, TimeUnit.SECONDS);
        assertThat(startsDuringOutage).as("subtask starts: 2, then restarts").isGreaterThan(2);
        try (Connection c = DriverManager.getConnection(s.url(), s.jdbcProperties());
                Statement st = c.createStatement()) {
            assertThat(count(st, "SELECT count() FROM incident_events FINAL")).isEqualTo(EVENTS);
            assertThat(count(st, "SELECT uniqExact(incident_id, seq) FROM incident_events"))
                    .isEqualTo(EVENTS);
            assertThat(count(st, "SELECT count() FROM incident_summary"))
                    .isEqualTo(ClickHouseSinkReplayITCase.INCIDENTS);
        }
    }

    private static void awaitRows(ClickHouseSettings s, long rows, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection c = DriverManager.getConnection(s.url(), s.jdbcProperties());
                    Statement st = c.createStatement()) {
                if (count(st, "SELECT count() FROM incident_events") >= rows) {
                    return;
                }
            } catch (SQLException e) {
                // not there yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("fewer than " + rows + " rows arrived in " + timeout);
    }

    /** Paces the stream (about 1000 events/s per subtask) and counts subtask starts. */
    static final class Paced extends RichMapFunction<Long, IncidentEvent> {
        static final AtomicInteger STARTS = new AtomicInteger();

        @Override
        public void open(OpenContext openContext) {
            STARTS.incrementAndGet();
        }

        @Override
        public IncidentEvent map(Long n) throws Exception {
            Thread.sleep(1);
            return ClickHouseSinkReplayITCase.event(n);
        }
    }
}

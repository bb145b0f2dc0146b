package io.tocsin.sink;

import io.tocsin.config.ClickHouseSettings;
import io.tocsin.metrics.MetricNames;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one record type to one ClickHouse table through the JDBC driver, in batches sent when
 * full, when the oldest row is {@code flushInterval} old, and before every checkpoint (so a
 * completed checkpoint means the rows are in ClickHouse: at-least-once).
 *
 * <p>Idempotent on replay through the tables' keys, not insert deduplication tokens: every table is
 * a ReplacingMergeTree on the record's natural key (incident_events: incident_id and seq), so rows
 * replayed after a restart collapse on merge, and FINAL reads (which the saved queries use) are
 * exact before that; the materialized views over them keep only aggregates a duplicate cannot
 * change (min, max, argMax by seq, uniqExact). A token derived from the checkpoint id would not be
 * sound here: batches are sent between checkpoints, and after a restart the replayed rows fall into
 * other batches under other checkpoint ids, so a token would either miss the duplicates or, reused
 * for different rows, drop new ones (and a non-replicated MergeTree honours tokens only with
 * non_replicated_deduplication_window set). ClickHouseSinkReplayITCase kills a job mid-batch and
 * checks the counts.
 *
 * <p>A failed batch is retried with exponential backoff; after {@code maxAttempts} the writer fails
 * and Flink restarts the job from the last checkpoint (TocsinJob restarts with exponential delay
 * and no limit), which loses nothing: no checkpoint completes while ClickHouse is down.
 * ClickHouseSinkOutageITCase stops the local ClickHouse under load.
 */
public final class ClickHouseSink<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;

    private final ClickHouseSettings settings;
    private final ClickHouseTable<T> table;

    public ClickHouseSink(ClickHouseSettings settings, ClickHouseTable<T> table) {
        this.settings = settings;
        this.table = table;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        return new Writer<>(
                settings,
                table,
                context.getProcessingTimeService(),
                context.metricGroup().counter(MetricNames.CLICKHOUSE_ROWS),
                context.metricGroup().counter(MetricNames.CLICKHOUSE_FAILURES),
                context.metricGroup().counter(MetricNames.CLICKHOUSE_ROWS_PAST_RETENTION));
    }

    static final class Writer<T> implements SinkWriter<T> {
        private static final Logger LOG = LoggerFactory.getLogger(ClickHouseSink.class);
        private static final long REPORT_EVERY_MILLIS = 60_000;

        private final ClickHouseSettings settings;
        private final ClickHouseTable<T> table;
        private final ProcessingTimeService time;
        private final Counter rows;
        private final Counter failures;
        private final Counter pastRetention;
        private final List<T> batch = new ArrayList<>();
        private long unreportedPastRetention;
        private Instant unreportedOldest;
        private long lastReportMillis = Long.MIN_VALUE;
        private Connection connection;
        private boolean timerArmed;
        private IOException asyncFailure;

        Writer(
                ClickHouseSettings settings,
                ClickHouseTable<T> table,
                ProcessingTimeService time,
                Counter rows,
                Counter failures,
                Counter pastRetention) {
            this.settings = settings;
            this.table = table;
            this.time = time;
            this.rows = rows;
            this.failures = failures;
            this.pastRetention = pastRetention;
        }

        @Override
        public void write(T value, Context context) throws IOException, InterruptedException {
            throwAsyncFailure();
            batch.add(value);
            if (batch.size() >= settings.batchRows()) {
                send();
            } else if (!timerArmed) {
                timerArmed = true;
                time.registerTimer(
                        time.getCurrentProcessingTime() + settings.flushInterval().toMillis(),
                        ts -> {
                            timerArmed = false;
                            try {
                                send();
                            } catch (IOException e) {
                                asyncFailure = e;
                            }
                        });
            }
        }

        @Override
        public void flush(boolean endOfInput) throws IOException, InterruptedException {
            throwAsyncFailure();
            send();
        }

        private void throwAsyncFailure() throws IOException {
            if (asyncFailure != null) {
                throw asyncFailure;
            }
        }

        private void send() throws IOException, InterruptedException {
            if (batch.isEmpty()) {
                return;
            }
            long backoff = 200;
            for (int attempt = 1; ; attempt++) {
                try {
                    insert();
                    rows.inc(batch.size());
                    countPastRetention();
                    batch.clear();
                    return;
                } catch (SQLException e) {
                    failures.inc();
                    closeQuietly();
                    if (attempt >= settings.maxAttempts()) {
                        throw new IOException(
                                "ClickHouse insert into "
                                        + table.table()
                                        + " failed "
                                        + attempt
                                        + " times, last: "
                                        + e.getMessage(),
                                e);
                    }
                    LOG.warn(
                            "ClickHouse insert into {} failed (attempt {}/{}), retrying in {} ms: {}",
                            table.table(),
                            attempt,
                            settings.maxAttempts(),
                            backoff,
                            e.getMessage());
                    Thread.sleep(backoff);
                    backoff = Math.min(backoff * 2, 10_000);
                }
            }
        }

        private void insert() throws SQLException {
            if (connection == null) {
                connection = DriverManager.getConnection(settings.url(), settings.jdbcProperties());
            }
            try (PreparedStatement ps = connection.prepareStatement(table.insertSql())) {
                for (T v : batch) {
                    table.bind(ps, v);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }

        /**
         * Counts the rows of the batch just written that were already past the table's retention
         * (ClickHouse's TTL, measured from the server's clock, drops them), and says so in the log
         * at most once a minute with the count since the last line, so a backfill is not silent.
         */
        private void countPastRetention() {
            long now = time.getCurrentProcessingTime();
            Instant cutoff =
                    Instant.ofEpochMilli(now).minus(Duration.ofDays(settings.retentionDays()));
            for (T v : batch) {
                Instant from = table.retainedFrom(v);
                if (from != null && from.isBefore(cutoff)) {
                    pastRetention.inc();
                    unreportedPastRetention++;
                    if (unreportedOldest == null || from.isBefore(unreportedOldest)) {
                        unreportedOldest = from;
                    }
                }
            }
            if (unreportedPastRetention > 0 && now - lastReportMillis >= REPORT_EVERY_MILLIS) {
                LOG.warn(
                        "{} rows written to ClickHouse table {} were older than its retention of {}"
                                + " days (oldest {}): the table's TTL drops them. To load history,"
                                + " migrate a database with TOCSIN_CLICKHOUSE_RETENTION_DAYS"
                                + " covering it (README: Retention).",
                        unreportedPastRetention,
                        table.table(),
                        settings.retentionDays(),
                        unreportedOldest);
                unreportedPastRetention = 0;
                unreportedOldest = null;
                lastReportMillis = now;
            }
        }

        private void closeQuietly() {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // the connection is being replaced after a failure
                }
                connection = null;
            }
        }

        @Override
        public void close() {
            closeQuietly();
        }
    }
}

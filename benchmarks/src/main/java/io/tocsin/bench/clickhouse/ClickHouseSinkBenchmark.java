package io.tocsin.bench.clickhouse;

import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.avro.IncidentStatus;
import io.tocsin.avro.Severity;
import io.tocsin.config.ClickHouseSettings;
import io.tocsin.sink.ClickHouseMigrator;
import io.tocsin.sink.ClickHouseSink;
import io.tocsin.sink.Tables;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Insert throughput of {@link ClickHouseSink} into a ClickHouse server: a local Flink job writes N
 * generated incident events (26 columns, like the live job's) through the sink, and we time it from
 * start to the last batch, then check every row arrived (count FINAL). Usage:
 *
 * <pre>
 * ClickHouseSinkBenchmark --clickhouse JDBC_URL [--rows 200000] [--batch 5000] [--parallelism 1]
 * </pre>
 *
 * It writes into a database tocsin_bench, dropped and recreated first.
 */
public final class ClickHouseSinkBenchmark {

    private static final Instant T0 = Instant.parse("2026-11-02T00:00:00Z");

    private ClickHouseSinkBenchmark() {}

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i + 1 < argv.length; i += 2) {
            a.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
        }
        String url =
                a.getOrDefault(
                        "clickhouse", "jdbc:clickhouse://127.0.0.1:8123/default?compress=false");
        long rows = Long.parseLong(a.getOrDefault("rows", "200000"));
        int batch = Integer.parseInt(a.getOrDefault("batch", "5000"));
        int parallelism = Integer.parseInt(a.getOrDefault("parallelism", "1"));

        ClickHouseSettings admin = ClickHouseSettings.fromEnvironment(url, System.getenv());
        try (Connection c = DriverManager.getConnection(admin.url(), admin.jdbcProperties());
                Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS tocsin_bench");
            st.execute("CREATE DATABASE tocsin_bench");
        }
        ClickHouseSettings s =
                new ClickHouseSettings(
                        withDatabase(url, "tocsin_bench"),
                        admin.user(),
                        admin.password(),
                        batch,
                        Duration.ofSeconds(1),
                        5,
                        365);
        new ClickHouseMigrator(s).migrate();

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        env.fromSequence(1, rows)
                .map((MapFunction<Long, IncidentEvent>) ClickHouseSinkBenchmark::event)
                .name("generate")
                .sinkTo(new ClickHouseSink<>(s, new Tables.IncidentEvents()))
                .name("incident-events-clickhouse");
        long start = System.nanoTime();
        env.execute("clickhouse-sink-benchmark");
        double seconds = (System.nanoTime() - start) / 1e9;

        long stored;
        try (Connection c = DriverManager.getConnection(s.url(), s.jdbcProperties());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count() FROM incident_events FINAL")) {
            rs.next();
            stored = rs.getLong(1);
        }
        System.out.printf(
                "clickhouse sink: %d rows (incident_events, batch %d, parallelism %d) in %.1f s:"
                        + " %.0f rows/s; %d rows in the table (FINAL)%n",
                rows, batch, parallelism, seconds, rows / seconds, stored);
        if (stored != rows) {
            throw new IllegalStateException("expected " + rows + " rows, found " + stored);
        }
    }

    static String withDatabase(String url, String db) {
        int q = url.indexOf('?');
        String base = q < 0 ? url : url.substring(0, q);
        String params = q < 0 ? "" : url.substring(q);
        int slash = base.indexOf('/', "jdbc:clickhouse://".length());
        return (slash < 0 ? base : base.substring(0, slash)) + "/" + db + params;
    }

    static IncidentEvent event(long n) {
        String incident = "INC-" + (n % 10_000);
        long seq = n / 10_000 + 1;
        return IncidentEvent.newBuilder()
                .setEventId(incident + "/" + seq)
                .setIncidentId(incident)
                .setSeq(seq)
                .setType(seq == 1 ? IncidentEventType.OPENED : IncidentEventType.ALERT_ADDED)
                .setEventTime(T0.plusMillis(n * 10))
                .setOpenedAt(T0)
                .setFirstAlertAt(T0)
                .setDomain("prod-eu")
                .setSeverity(Severity.SEV2)
                .setStatus(IncidentStatus.OPEN)
                .setTitle("users-pg: PgTooManyConnections (+2 services)")
                .setServices(List.of("users-pg", "users-svc", "checkout-api"))
                .setAlertCount((int) seq)
                .setActiveAlertCount((int) seq)
                .setFingerprint(Long.toHexString(n * 0x9E3779B97F4A7C15L))
                .setAlertName("PgTooManyConnections")
                .setAlertService("users-pg")
                .setRootCauseService("users-pg")
                .setEvidence(Map.of("rule", "topology", "rank", "1"))
                .setActor("policy:correlation")
                .setReason("alert joined by topology")
                .build();
    }
}

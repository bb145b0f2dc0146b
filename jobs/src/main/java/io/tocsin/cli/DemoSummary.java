package io.tocsin.cli;

import io.tocsin.analytics.QueryRunner;
import io.tocsin.analytics.Report;
import io.tocsin.analytics.ResultTable;
import io.tocsin.config.ClickHouseSettings;
import io.tocsin.config.TopologyLoader;
import io.tocsin.sink.ServicesTable;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;

/**
 * The summary {@code tocsin demo} ends with: a few tables of this run read back from ClickHouse
 * with SQL, then the analyst report for the storm's time range.
 */
final class DemoSummary {

    private DemoSummary() {}

    static void print(ClickHouseSettings ch, int sent, PrintStream out) throws SQLException {
        out.println();
        out.println(
                "== Summary, read back from ClickHouse (database " + DemoDatabase.NAME + ") ==");
        Instant from;
        Instant to;
        try (Connection c = DriverManager.getConnection(ch.url(), ch.jdbcProperties());
                Statement st = c.createStatement()) {
            table(
                    st,
                    out,
                    "Incidents",
                    "SELECT incident_id, severity, status, root_cause_service AS root_cause,"
                            + " alert_count AS alerts, arrayStringConcat(services, ',') AS services,"
                            + " formatDateTime(opened_at, '%H:%i:%S') AS opened,"
                            + " formatDateTime(resolved_at, '%H:%i:%S') AS resolved"
                            + " FROM incidents FINAL ORDER BY opened_at, incident_id");
            table(
                    st,
                    out,
                    "Noise reduction",
                    "SELECT "
                            + sent
                            + " AS notifications_in, (SELECT count() FROM alerts FINAL) AS transitions,"
                            + " (SELECT uniqExact(incident_id) FROM incident_events FINAL) AS incidents,"
                            + " round(notifications_in / greatest(incidents, 1), 1) AS notifications_per_incident");
            table(
                    st,
                    out,
                    "Alert transitions by service",
                    "SELECT service, countIf(status = 'FIRING') AS firing, countIf(status = 'RESOLVED') AS resolved"
                            + " FROM alerts FINAL GROUP BY service ORDER BY firing DESC, service LIMIT 10");
            table(
                    st,
                    out,
                    "Escalation audit (who was paged, who acknowledged, what changed severity)",
                    "SELECT formatDateTime(event_time, '%H:%i:%S') AS at, incident_id, type, severity,"
                            + " actor, ifNull(target, '') AS target, left(reason, 70) AS reason"
                            + " FROM incident_events FINAL WHERE type IN ('ESCALATED', 'ACKNOWLEDGED',"
                            + " 'SEVERITY_CHANGED', 'APPROVAL_REQUESTED', 'COMMAND_REJECTED')"
                            + " AND actor != 'policy:correlation' ORDER BY event_time, incident_id, seq LIMIT 30");
            table(
                    st,
                    out,
                    "Telemetry anomalies (synthetic alerts opened from metrics)",
                    "SELECT service, metric, formatDateTime(min(detected_at), '%H:%i:%S') AS first,"
                            + " formatDateTime(max(detected_at), '%H:%i:%S') AS last,"
                            + " countIf(level >= 0.6) AS anomalous_points, round(max(level), 2) AS max_level"
                            + " FROM anomalies FINAL WHERE detected_at >= (SELECT min(received_at) FROM alerts)"
                            + " GROUP BY service, metric ORDER BY first");
            // Bad records carry the wall-clock time they were rejected at, not the storm's: show
            // them here, and give the report the storm's event-time range, from the hour of its
            // first record to the hour after its last.
            table(
                    st,
                    out,
                    "Dead letters by reason",
                    "SELECT reason_code, count() AS records, any(error) AS example"
                            + " FROM dead_letters FINAL GROUP BY reason_code ORDER BY reason_code");
            try (ResultSet rs =
                    st.executeQuery(
                            "SELECT toUnixTimestamp(toStartOfHour(min(t))),"
                                    + " toUnixTimestamp(toStartOfHour(max(t))) + 3600 FROM"
                                    + " (SELECT received_at AS t FROM alerts UNION ALL"
                                    + " SELECT event_time FROM incident_events)")) {
                rs.next();
                from = Instant.ofEpochSecond(rs.getLong(1));
                to = Instant.ofEpochSecond(rs.getLong(2));
            }
        }
        // Teams for the report's team tables: the bundled demo topology.
        try {
            ServicesTable.writeTopology(ch, TopologyLoader.loadResource("demo/topology.json"));
        } catch (RuntimeException e) {
            out.println("demo: no teams for the report: " + e.getMessage());
        }
        out.println();
        try (QueryRunner runner = new QueryRunner(ch)) {
            Report.print(
                    runner,
                    Report.SECTIONS.stream()
                            .filter(s -> !s.query().equals("13_dead_letters_by_reason"))
                            .toList(),
                    from,
                    to,
                    out);
        }
        out.println();
        out.println(
                "demo: the same report any time: ./tocsin report --database "
                        + DemoDatabase.NAME
                        + " --from "
                        + from
                        + " --to "
                        + to);
    }

    /** A blank line, the title, then the result laid out as the report lays out its tables. */
    private static void table(Statement st, PrintStream out, String title, String sql)
            throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            out.println();
            out.println(title);
            ResultTable.read(rs).print(out, "  ");
        }
    }
}

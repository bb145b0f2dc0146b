package io.tocsin.sink;

import static io.tocsin.testing.Alerts.BEGINNING;
import static io.tocsin.testing.Alerts.alert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tocsin.avro.Alert;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.avro.IncidentStatus;
import io.tocsin.avro.Severity;
import io.tocsin.config.ClickHouseSettings;
import io.tocsin.testing.LocalClickHouse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Migrations and row mappings against the local ClickHouse engine through the JDBC driver. */
class ClickHouseITCase {

    @RegisterExtension static final LocalClickHouse CLICKHOUSE = new LocalClickHouse();

    private static <T> void insert(ClickHouseSettings s, ClickHouseTable<T> table, List<T> rows)
            throws SQLException {
        try (Connection c = DriverManager.getConnection(s.url(), s.jdbcProperties());
                PreparedStatement ps = c.prepareStatement(table.insertSql())) {
            for (T r : rows) {
                table.bind(ps, r);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Test
    void migrationsApplyOnceAndRefuseAnEditedMigration() throws Exception {
        ClickHouseSettings s = CLICKHOUSE.freshDatabase("it_migrate");
        assertThat(new ClickHouseMigrator(s).migrate())
                .containsExactlyElementsOf(ClickHouseMigrator.MIGRATIONS);
        assertThat(new ClickHouseMigrator(s).migrate()).as("second run").isEmpty();
        try (Connection c = DriverManager.getConnection(s.url(), s.jdbcProperties());
                Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT count() FROM schema_migrations")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(ClickHouseMigrator.MIGRATIONS.size());
            }
            st.execute(
                    "ALTER TABLE schema_migrations UPDATE checksum = 'x' WHERE version = 1 SETTINGS mutations_sync = 1");
        }
        assertThatThrownBy(() -> new ClickHouseMigrator(s).migrate())
                .hasMessageContaining("migration 001_alerts.sql changed after it was applied");
    }

    @Test
    void incidentEventsRoundTripAndFeedTheIncidentsTable() throws Exception {
        ClickHouseSettings s = CLICKHOUSE.freshDatabase("it_events");
        new ClickHouseMigrator(s).migrate();
        IncidentEvent opened = event(1, IncidentEventType.OPENED, BEGINNING, IncidentStatus.OPEN);
        IncidentEvent resolved =
                event(
                        2,
                        IncidentEventType.RESOLVED,
                        BEGINNING.plusSeconds(600),
                        IncidentStatus.RESOLVED);
        // The second insert replays the first row: ReplacingMergeTree collapses it.
        insert(s, new Tables.IncidentEvents(), List.of(opened));
        insert(s, new Tables.IncidentEvents(), List.of(opened, resolved));
        try (Connection c = DriverManager.getConnection(s.url(), s.jdbcProperties());
                Statement st = c.createStatement()) {
            try (ResultSet rs =
                    st.executeQuery(
                            "SELECT count(), arrayStringConcat(groupArray(type), ','), any(evidence['rule']),"
                                    + " arrayStringConcat(any(services), ','), any(fingerprint)"
                                    + " FROM (SELECT * FROM incident_events FINAL ORDER BY seq)")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
                assertThat(rs.getString(2)).isEqualTo("OPENED,RESOLVED");
                assertThat(rs.getString(3)).isEqualTo("new-group");
                assertThat(rs.getString(4)).isEqualTo("users-pg,users-svc");
                assertThat(rs.getString(5)).isEqualTo("f00d");
            }
            try (ResultSet rs =
                    st.executeQuery(
                            "SELECT status, version, toString(opened_at), toString(resolved_at), dateDiff('second', first_alert_at, opened_at)"
                                    + " FROM incidents FINAL WHERE incident_id = 'INC-1'")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("RESOLVED");
                assertThat(rs.getLong(2)).isEqualTo(2);
                assertThat(rs.getString(3)).isEqualTo("2026-11-02 02:00:00.000");
                assertThat(rs.getString(4)).isEqualTo("2026-11-02 02:10:00.000");
                assertThat(rs.getInt(5)).isEqualTo(30);
                assertThat(rs.next()).isFalse();
            }
        }
    }

    @Test
    void alertTransitionsKeepLabelsAnnotationsAndTimes() throws Exception {
        ClickHouseSettings s = CLICKHOUSE.freshDatabase("it_alerts");
        new ClickHouseMigrator(s).migrate();
        Alert a =
                alert("HighLatency", "checkout-api")
                        .label("note", "tab\there\nnewline ü")
                        .firing(BEGINNING, BEGINNING.plusMillis(123))
                        .build();
        a.getAnnotations().put("summary", "p99 > 2s");
        insert(s, new Tables.Alerts("cluster"), List.of(a));
        try (Connection c = DriverManager.getConnection(s.url(), s.jdbcProperties());
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT toString(received_at), labels['note'], annotations['summary'], domain, ends_at IS NULL FROM alerts")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("2026-11-02 02:00:00.123");
            assertThat(rs.getString(2)).isEqualTo("tab\there\nnewline ü");
            assertThat(rs.getString(3)).isEqualTo("p99 > 2s");
            assertThat(rs.getString(4)).isEqualTo("prod-eu");
            assertThat(rs.getBoolean(5)).isTrue();
        }
    }

    private static IncidentEvent event(
            long seq, IncidentEventType type, Instant t, IncidentStatus status) {
        return IncidentEvent.newBuilder()
                .setEventId("INC-1/" + seq)
                .setIncidentId("INC-1")
                .setSeq(seq)
                .setType(type)
                .setEventTime(t)
                .setOpenedAt(BEGINNING)
                .setFirstAlertAt(BEGINNING.minusSeconds(30))
                .setDomain("prod")
                .setSeverity(Severity.SEV2)
                .setStatus(status)
                .setTitle("users-pg: PgConnections")
                .setServices(List.of("users-pg", "users-svc"))
                .setAlertCount(2)
                .setActiveAlertCount(status == IncidentStatus.OPEN ? 2 : 0)
                .setFingerprint(type == IncidentEventType.OPENED ? "f00d" : null)
                .setEvidence(
                        Map.of(
                                "rule",
                                type == IncidentEventType.OPENED
                                        ? "new-group"
                                        : "all-alerts-resolved"))
                .setActor("policy:correlation")
                .setReason("test")
                .build();
    }
}

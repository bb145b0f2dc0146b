package io.tocsin.sink;

import io.tocsin.anomaly.AnomalyScore;
import io.tocsin.avro.Alert;
import io.tocsin.avro.Change;
import io.tocsin.avro.DeadLetter;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.status.StatusUpdate;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;

/** The row mappings of the tables in sql/migrations, one per record type. */
public final class Tables {

    private Tables() {}

    /** The {@code alerts} table: alert transitions. */
    public static final class Alerts implements ClickHouseTable<Alert> {
        private final String domainLabel;

        public Alerts(String domainLabel) {
            this.domainLabel = domainLabel;
        }

        @Override
        public String table() {
            return "alerts";
        }

        @Override
        public List<String> columns() {
            return List.of(
                    "received_at",
                    "fingerprint",
                    "status",
                    "source",
                    "alertname",
                    "service",
                    "domain",
                    "severity",
                    "starts_at",
                    "ends_at",
                    "labels",
                    "annotations",
                    "generator_url",
                    "suppressed",
                    "suppressed_by",
                    "flapping");
        }

        @Override
        public void bind(PreparedStatement ps, Alert a) throws SQLException {
            ps.setString(1, ClickHouseValues.time(a.getReceivedAt()));
            ps.setString(2, a.getFingerprint());
            ps.setString(3, a.getStatus().name());
            ps.setString(4, a.getSource());
            ps.setString(5, ClickHouseValues.orEmpty(a.getLabels().get("alertname")));
            ps.setString(6, ClickHouseValues.orEmpty(a.getService()));
            ps.setString(7, ClickHouseValues.orEmpty(a.getLabels().get(domainLabel)));
            ps.setString(8, a.getSeverity().name());
            ps.setString(9, ClickHouseValues.time(a.getStartsAt()));
            if (a.getEndsAt() == null) {
                ps.setNull(10, Types.VARCHAR);
            } else {
                ps.setString(10, ClickHouseValues.time(a.getEndsAt()));
            }
            ps.setObject(11, new TreeMap<>(a.getLabels()));
            ps.setObject(12, new TreeMap<>(a.getAnnotations()));
            ps.setString(13, ClickHouseValues.orEmpty(a.getGeneratorUrl()));
            ps.setBoolean(14, a.getSuppressed());
            ps.setString(15, ClickHouseValues.orEmpty(a.getSuppressedBy()));
            ps.setBoolean(16, a.getFlapping());
        }

        @Override
        public Instant retainedFrom(Alert a) {
            return a.getReceivedAt();
        }
    }

    /** The {@code incident_events} table: the audit trail. */
    public static final class IncidentEvents implements ClickHouseTable<IncidentEvent> {
        @Override
        public String table() {
            return "incident_events";
        }

        @Override
        public List<String> columns() {
            return List.of(
                    "event_time",
                    "incident_id",
                    "seq",
                    "event_id",
                    "opened_at",
                    "first_alert_at",
                    "type",
                    "domain",
                    "severity",
                    "previous_severity",
                    "status",
                    "title",
                    "services",
                    "alert_count",
                    "active_alert_count",
                    "fingerprint",
                    "alertname",
                    "alert_service",
                    "root_cause_service",
                    "evidence",
                    "actor",
                    "reason",
                    "merged_into",
                    "recurrence_of",
                    "escalation_tier",
                    "target");
        }

        @Override
        public void bind(PreparedStatement ps, IncidentEvent e) throws SQLException {
            int i = 1;
            ps.setString(i++, ClickHouseValues.time(e.getEventTime()));
            ps.setString(i++, e.getIncidentId());
            ps.setLong(i++, e.getSeq());
            ps.setString(i++, e.getEventId());
            nullableString(ps, i++, ClickHouseValues.time(e.getOpenedAt()));
            nullableString(ps, i++, ClickHouseValues.time(e.getFirstAlertAt()));
            ps.setString(i++, e.getType().name());
            ps.setString(i++, e.getDomain());
            ps.setString(i++, e.getSeverity().name());
            nullableString(
                    ps,
                    i++,
                    e.getPreviousSeverity() == null ? null : e.getPreviousSeverity().name());
            ps.setString(i++, e.getStatus().name());
            ps.setString(i++, ClickHouseValues.orEmpty(e.getTitle()));
            ps.setObject(i++, List.copyOf(e.getServices()));
            ps.setInt(i++, e.getAlertCount());
            ps.setInt(i++, e.getActiveAlertCount());
            nullableString(ps, i++, e.getFingerprint());
            nullableString(ps, i++, e.getAlertName());
            nullableString(ps, i++, e.getAlertService());
            nullableString(ps, i++, e.getRootCauseService());
            ps.setObject(i++, new TreeMap<>(e.getEvidence()));
            ps.setString(i++, e.getActor());
            ps.setString(i++, ClickHouseValues.orEmpty(e.getReason()));
            nullableString(ps, i++, e.getMergedInto());
            nullableString(ps, i++, e.getRecurrenceOf());
            if (e.getEscalationTier() == null) {
                ps.setNull(i++, Types.INTEGER);
            } else {
                ps.setInt(i++, e.getEscalationTier());
            }
            nullableString(ps, i, e.getTarget());
        }

        @Override
        public Instant retainedFrom(IncidentEvent e) {
            return e.getEventTime();
        }
    }

    /** The {@code changes} table: accepted changes, one row per change id. */
    public static final class Changes implements ClickHouseTable<Change> {
        @Override
        public String table() {
            return "changes";
        }

        @Override
        public List<String> columns() {
            return List.of(
                    "change_time",
                    "change_id",
                    "service",
                    "kind",
                    "version",
                    "from_version",
                    "to_version",
                    "author",
                    "author_team",
                    "link",
                    "environment",
                    "cluster");
        }

        @Override
        public void bind(PreparedStatement ps, Change c) throws SQLException {
            ps.setString(1, ClickHouseValues.time(c.getTime()));
            ps.setString(2, c.getChangeId());
            ps.setString(3, c.getService());
            ps.setString(4, c.getKind().name());
            ps.setString(5, ClickHouseValues.orEmpty(c.getVersion()));
            ps.setString(6, ClickHouseValues.orEmpty(c.getFromVersion()));
            ps.setString(7, ClickHouseValues.orEmpty(c.getToVersion()));
            ps.setString(8, ClickHouseValues.orEmpty(c.getAuthor()));
            ps.setString(9, ClickHouseValues.orEmpty(c.getAuthorTeam()));
            ps.setString(10, ClickHouseValues.orEmpty(c.getLink()));
            ps.setString(11, ClickHouseValues.orEmpty(c.getEnvironment()));
            ps.setString(12, ClickHouseValues.orEmpty(c.getCluster()));
        }

        @Override
        public Instant retainedFrom(Change c) {
            return c.getTime();
        }
    }

    /**
     * The {@code status_updates} table: rendered updates, one row per (incident, audience, seq); a
     * copy re-sent after a restart has the same key and collapses.
     */
    public static final class StatusUpdates implements ClickHouseTable<StatusUpdate> {
        @Override
        public String table() {
            return "status_updates";
        }

        @Override
        public List<String> columns() {
            return List.of(
                    "event_time",
                    "incident_id",
                    "audience",
                    "seq",
                    "update_id",
                    "triggers",
                    "first",
                    "severity",
                    "status",
                    "channels",
                    "subject",
                    "text");
        }

        @Override
        public void bind(PreparedStatement ps, StatusUpdate u) throws SQLException {
            ps.setString(1, ClickHouseValues.time(Instant.ofEpochMilli(u.eventTime)));
            ps.setString(2, u.incidentId);
            ps.setString(3, u.audience);
            ps.setLong(4, u.seq);
            ps.setString(5, u.updateId);
            ps.setObject(6, u.triggers == null ? List.of() : List.copyOf(u.triggers));
            ps.setBoolean(7, u.first);
            ps.setString(8, ClickHouseValues.orEmpty(u.severity));
            ps.setString(9, ClickHouseValues.orEmpty(u.status));
            ps.setObject(10, u.channels == null ? List.of() : List.copyOf(u.channels));
            ps.setString(11, ClickHouseValues.orEmpty(u.subject));
            ps.setString(12, ClickHouseValues.orEmpty(u.text));
        }

        @Override
        public Instant retainedFrom(StatusUpdate u) {
            return Instant.ofEpochMilli(u.eventTime);
        }
    }

    /** The {@code dead_letters} table. */
    public static final class DeadLetters implements ClickHouseTable<DeadLetter> {
        @Override
        public String table() {
            return "dead_letters";
        }

        @Override
        public List<String> columns() {
            return List.of(
                    "received_at",
                    "topic",
                    "partition",
                    "offset",
                    "stage",
                    "reason_code",
                    "error",
                    "original");
        }

        @Override
        public void bind(PreparedStatement ps, DeadLetter d) throws SQLException {
            ps.setString(1, ClickHouseValues.time(d.getReceivedAt()));
            ps.setString(2, ClickHouseValues.orEmpty(d.getTopic()));
            if (d.getPartition() == null) {
                ps.setNull(3, Types.INTEGER);
            } else {
                ps.setInt(3, d.getPartition());
            }
            if (d.getOffset() == null) {
                ps.setNull(4, Types.BIGINT);
            } else {
                ps.setLong(4, d.getOffset());
            }
            ps.setString(5, d.getStage());
            ps.setString(6, d.getReasonCode());
            ps.setString(7, d.getError());
            ps.setString(8, io.tocsin.ingest.DeadLetters.originalText(d));
        }

        @Override
        public Instant retainedFrom(DeadLetter d) {
            return d.getReceivedAt();
        }
    }

    /** The {@code anomalies} table: telemetry points the detector found anomalous. */
    public static final class Anomalies implements ClickHouseTable<AnomalyScore> {
        private final String domainLabel;

        public Anomalies(String domainLabel) {
            this.domainLabel = domainLabel;
        }

        @Override
        public String table() {
            return "anomalies";
        }

        @Override
        public List<String> columns() {
            return List.of(
                    "detected_at",
                    "metric",
                    "series",
                    "service",
                    "domain",
                    "detector",
                    "score",
                    "level",
                    "value",
                    "expected",
                    "labels");
        }

        @Override
        public void bind(PreparedStatement ps, AnomalyScore s) throws SQLException {
            ps.setString(1, ClickHouseValues.time(Instant.ofEpochMilli(s.timestampMillis)));
            ps.setString(2, s.metric);
            ps.setString(3, s.series);
            ps.setString(4, ClickHouseValues.orEmpty(s.labels.get("service")));
            ps.setString(5, ClickHouseValues.orEmpty(s.labels.get(domainLabel)));
            ps.setString(6, s.detector);
            ps.setDouble(7, s.score);
            ps.setDouble(8, s.level);
            ps.setDouble(9, s.value);
            ps.setDouble(10, Double.NaN);
            ps.setObject(11, new TreeMap<>(s.labels));
        }

        @Override
        public Instant retainedFrom(AnomalyScore s) {
            return Instant.ofEpochMilli(s.timestampMillis);
        }
    }

    private static void nullableString(PreparedStatement ps, int i, String v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.VARCHAR);
        } else {
            ps.setString(i, v);
        }
    }
}

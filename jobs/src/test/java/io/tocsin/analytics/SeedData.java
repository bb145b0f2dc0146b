package io.tocsin.analytics;

import io.tocsin.avro.Alert;
import io.tocsin.avro.AlertStatus;
import io.tocsin.avro.Change;
import io.tocsin.avro.ChangeKind;
import io.tocsin.avro.DeadLetter;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.avro.IncidentStatus;
import io.tocsin.avro.Severity;
import io.tocsin.config.ClickHouseSettings;
import io.tocsin.config.Topology;
import io.tocsin.evidence.EvidenceKeys;
import io.tocsin.sink.ClickHouseTable;
import io.tocsin.sink.ServicesTable;
import io.tocsin.sink.Tables;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The analytics scenario (src/test/resources/analytics/seed.txt) as the records the pipeline
 * writes: incident events, alert transitions, dead letters, changes, plus the topology's services.
 * Written through the sink's own row mappings, so the queries read exactly what the job would have
 * written.
 */
final class SeedData {

    final Map<String, Topology.Service> services = new LinkedHashMap<>();
    final List<IncidentEvent> events = new ArrayList<>();
    final List<Alert> alerts = new ArrayList<>();
    final List<DeadLetter> deadLetters = new ArrayList<>();
    final Map<String, Change> changes = new LinkedHashMap<>();

    static SeedData load(String resource) throws IOException {
        try (InputStream in = SeedData.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " is not on the test classpath");
            }
            SeedData d = new SeedData();
            d.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            return d;
        }
    }

    /** Writes everything into the (migrated) database. */
    void insertInto(ClickHouseSettings s) throws SQLException {
        ServicesTable.writeTopology(s, new Topology(services));
        insert(s, new Tables.IncidentEvents(), events);
        insert(s, new Tables.Alerts("cluster"), alerts);
        insert(s, new Tables.DeadLetters(), deadLetters);
        insert(s, new Tables.Changes(), List.copyOf(changes.values()));
    }

    static <T> void insert(ClickHouseSettings s, ClickHouseTable<T> table, List<T> rows)
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

    // ---- parsing ----

    private Incident current;

    private void parse(String text) {
        int n = 0;
        for (String raw : text.split("\n")) {
            n++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                List<String> w = Arrays.asList(line.split("\\s+"));
                switch (w.get(0)) {
                    case "service" ->
                            services.put(
                                    w.get(1),
                                    new Topology.Service(w.get(1), w.get(3), w.get(2), List.of()));
                    case "incident" -> current = new Incident(w);
                    case "alert" -> alerts.add(alert(w));
                    case "dead" -> deadLetters.add(dead(w, line));
                    case "change" -> changes.put(w.get(1), change(w));
                    default -> {
                        if (w.get(0).startsWith("+")) {
                            current.event(w);
                        } else {
                            throw new IllegalArgumentException("unknown line kind " + w.get(0));
                        }
                    }
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("seed line " + n + ": " + raw + ": " + e, e);
            }
        }
    }

    private static Map<String, String> options(List<String> words) {
        Map<String, String> o = new TreeMap<>();
        for (String w : words) {
            int eq = w.indexOf('=');
            o.put(eq < 0 ? w : w.substring(0, eq), eq < 0 ? "true" : w.substring(eq + 1));
        }
        return o;
    }

    static Duration duration(String s) {
        String unit = s.replaceAll("[0-9]", "");
        long v = Long.parseLong(s.replaceAll("[^0-9]", ""));
        return switch (unit) {
            case "s" -> Duration.ofSeconds(v);
            case "m" -> Duration.ofMinutes(v);
            case "h" -> Duration.ofHours(v);
            default -> throw new IllegalArgumentException("bad duration " + s);
        };
    }

    private static Alert alert(List<String> w) {
        Instant at = Instant.parse(w.get(1));
        AlertStatus status = AlertStatus.valueOf(w.get(2));
        Map<String, String> o = options(w.subList(5, w.size()));
        Map<String, String> labels = new TreeMap<>();
        labels.put("alertname", w.get(3));
        labels.put("service", w.get(4));
        labels.put("cluster", "prod-eu");
        return Alert.newBuilder()
                .setSource("json")
                .setFingerprint(o.get("fp"))
                .setStatus(status)
                .setLabels(labels)
                .setAnnotations(new TreeMap<>())
                .setStartsAt(at)
                .setEndsAt(status == AlertStatus.RESOLVED ? at : null)
                .setGeneratorUrl(null)
                .setReceivedAt(at)
                .setSeverity(Severity.SEV2)
                .setService(w.get(4))
                .setSuppressed(o.containsKey("suppressed"))
                .setSuppressedBy(o.get("suppressed"))
                .setFlapping(o.containsKey("flapping"))
                .build();
    }

    private static Change change(List<String> w) {
        Map<String, String> o = options(w.subList(5, w.size()));
        return Change.newBuilder()
                .setChangeId(w.get(1))
                .setTime(Instant.parse(w.get(2)))
                .setService(w.get(3))
                .setKind(ChangeKind.valueOf(w.get(4)))
                .setAuthor(o.get("author"))
                .setAuthorTeam(o.get("team"))
                .setLink("https://deploys.example.internal/" + w.get(1))
                .build();
    }

    /**
     * A CHANGE_SUSPECTED event's evidence: the ranking's changes as the changes stage writes it.
     */
    private Map<String, String> suspects(String ids) {
        Map<String, String> ev = new TreeMap<>();
        List<String> ranking = ids.isEmpty() ? List.of() : List.of(ids.split(","));
        ev.put(EvidenceKeys.SUSPECT_COUNT, Integer.toString(ranking.size()));
        for (int i = 0; i < ranking.size(); i++) {
            Change c = changes.get(ranking.get(i));
            if (c == null) {
                throw new IllegalArgumentException("no change " + ranking.get(i) + " above");
            }
            int r = i + 1;
            ev.put(EvidenceKeys.suspect(r, EvidenceKeys.SUSPECT_CHANGE_ID), c.getChangeId());
            ev.put(EvidenceKeys.suspect(r, EvidenceKeys.SUSPECT_SERVICE), c.getService());
            ev.put(EvidenceKeys.suspect(r, EvidenceKeys.SUSPECT_KIND), c.getKind().name());
            ev.put(EvidenceKeys.suspect(r, EvidenceKeys.SUSPECT_AUTHOR), c.getAuthor());
            ev.put(EvidenceKeys.suspect(r, EvidenceKeys.SUSPECT_TIME), c.getTime().toString());
        }
        return ev;
    }

    private static DeadLetter dead(List<String> w, String line) {
        String error = line.split("\\s+", 5)[4];
        return DeadLetter.newBuilder()
                .setOriginal(ByteBuffer.wrap(error.getBytes(StandardCharsets.UTF_8)))
                .setTopic("alerts")
                .setPartition(0)
                .setOffset(Instant.parse(w.get(1)).getEpochSecond())
                .setStage(w.get(3))
                .setReasonCode(w.get(2))
                .setError(error)
                .setReceivedAt(Instant.parse(w.get(1)))
                .build();
    }

    /** Builds one incident's events in order, carrying its state from event to event. */
    private final class Incident {
        final String id;
        final Instant openedAt;
        final Instant firstAlertAt;
        final List<String> services;
        final String root;
        final String recurrenceOf;
        Severity severity;
        IncidentStatus status = IncidentStatus.OPEN;
        int alertCount;
        long seq;

        Incident(List<String> w) {
            id = w.get(1);
            openedAt = Instant.parse(w.get(2));
            severity = Severity.valueOf(w.get(3));
            Map<String, String> o = options(w.subList(4, w.size()));
            services = List.of(o.get("services").split(","));
            root = o.get("root");
            recurrenceOf = o.get("recurrenceOf");
            firstAlertAt = openedAt.minus(duration(o.get("detect")));
            alertCount = 1;
            add(
                    openedAt,
                    IncidentEventType.OPENED,
                    "policy:correlation",
                    o.get("alert"),
                    o.get("service"),
                    Map.of(),
                    null);
        }

        void event(List<String> w) {
            Instant at = openedAt.plus(duration(w.get(0).substring(1)));
            IncidentEventType type = IncidentEventType.valueOf(w.get(1));
            Map<String, String> o = options(w.subList(2, w.size()));
            Map<String, String> evidence = new TreeMap<>();
            o.forEach(
                    (k, v) -> {
                        if (k.startsWith("evidence.")) {
                            evidence.put(k.substring("evidence.".length()), v);
                        }
                    });
            if (type == IncidentEventType.CHANGE_SUSPECTED) {
                evidence.putAll(suspects(o.get("suspects")));
            }
            Severity previous = null;
            switch (type) {
                case ALERT_ADDED -> alertCount++;
                case ACKNOWLEDGED -> status = IncidentStatus.ACKNOWLEDGED;
                case RESOLVED -> status = IncidentStatus.RESOLVED;
                case MERGED -> status = IncidentStatus.MERGED;
                case REOPENED -> status = IncidentStatus.OPEN;
                case SEVERITY_CHANGED -> {
                    previous = severity;
                    severity = Severity.valueOf(o.get("to"));
                }
                default -> {}
            }
            String actor =
                    o.getOrDefault(
                            "actor",
                            switch (type) {
                                case ESCALATED -> "policy:escalation";
                                case CHANGE_SUSPECTED -> "policy:change-suspects";
                                default -> "policy:correlation";
                            });
            IncidentEvent.Builder b =
                    builder(at, type, actor, o.get("alert"), o.get("service"), evidence);
            b.setPreviousSeverity(previous);
            b.setReason(o.getOrDefault("reason", type.name().toLowerCase()));
            b.setMergedInto(o.get("into"));
            if (o.containsKey("tier")) {
                b.setEscalationTier(Integer.parseInt(o.get("tier")));
            }
            b.setTarget(o.get("target"));
            events.add(b.build());
        }

        private void add(
                Instant at,
                IncidentEventType type,
                String actor,
                String alertName,
                String alertService,
                Map<String, String> evidence,
                String reason) {
            events.add(
                    builder(at, type, actor, alertName, alertService, evidence)
                            .setReason(reason)
                            .build());
        }

        private IncidentEvent.Builder builder(
                Instant at,
                IncidentEventType type,
                String actor,
                String alertName,
                String alertService,
                Map<String, String> evidence) {
            seq++;
            boolean aboutAnAlert =
                    type == IncidentEventType.OPENED || type == IncidentEventType.ALERT_ADDED;
            return IncidentEvent.newBuilder()
                    .setEventId(id + "/" + seq)
                    .setIncidentId(id)
                    .setSeq(seq)
                    .setType(type)
                    .setEventTime(at)
                    .setOpenedAt(openedAt)
                    .setFirstAlertAt(firstAlertAt)
                    .setDomain("prod-eu")
                    .setSeverity(severity)
                    .setStatus(status)
                    .setTitle(id)
                    .setServices(services)
                    .setAlertCount(alertCount)
                    .setActiveAlertCount(status == IncidentStatus.RESOLVED ? 0 : alertCount)
                    .setFingerprint(aboutAnAlert ? id + "/" + alertName : null)
                    .setAlertName(alertName)
                    .setAlertService(alertService)
                    .setRootCauseService(root)
                    .setEvidence(evidence)
                    .setActor(actor)
                    .setRecurrenceOf(recurrenceOf);
        }
    }
}

package io.tocsin.cli;

import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.config.ClickHouseSettings;
import io.tocsin.config.Topics;
import io.tocsin.pipeline.KafkaSources;
import io.tocsin.pipeline.LiveSinks;
import io.tocsin.pipeline.TocsinJob;
import io.tocsin.sink.ClickHouseMigrator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Java half of {@code tocsin demo} (the launcher starts Kafka and ClickHouse first): starts the
 * live job on a local MiniCluster, replays the bundled alert storm into the alerts topic at a
 * chosen speed, prints incidents as they open, drains the job (end of event time, so pending timers
 * fire) and prints a summary read back from ClickHouse with SQL.
 */
final class DemoCommand {

    static final String USAGE =
            "Usage: tocsin demo [--speed X] [OPTIONS]\n\n"
                    + "Replays the bundled alert storm (jobs/src/main/resources/demo) through the live\n"
                    + "job and prints incidents as they open, then a summary from ClickHouse.\n\n"
                    + LiveOptions.HELP
                    + "  --speed X                replay X times faster than the storm happened (default 120)\n"
                    + "  --storm FILE.jsonl       replay this alerts file instead of the bundled storm\n";

    private static final DateTimeFormatter CLOCK =
            DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final String DATABASE = "tocsin_demo";

    private DemoCommand() {}

    static int run(List<String> argv, PrintStream out) throws Exception {
        Set<String> options = new HashSet<>(LiveOptions.OPTIONS);
        options.add("speed");
        options.add("storm");
        Args a = Args.parse("demo", argv, options, Set.of());
        if (a.help()) {
            out.print(USAGE);
            return 0;
        }
        LiveOptions o = LiveOptions.from(a, System.getenv(), "demo/topology.json");
        double speed = Double.parseDouble(a.get("speed", "120"));
        List<String> storm =
                a.get("storm", null) == null
                        ? resourceLines("demo/storm.jsonl")
                        : java.nio.file.Files.readAllLines(a.existingFile("storm"));
        List<String> bad = resourceLines("demo/bad-records.jsonl");
        List<String> telemetry = resourceLines("demo/telemetry.jsonl");

        // The storm has fixed dates: keep its rows however long ago that was (the tables' TTL is
        // measured from now), as anyone loading history does.
        // (The telemetry history starts a day before the storm.)
        Instant first = storm.isEmpty() ? null : receivedAt(storm.get(0));
        ClickHouseSettings ch =
                demoDatabase(
                        first == null
                                ? o.clickHouse()
                                : o.clickHouse()
                                        .withRetentionCovering(
                                                first.minus(Duration.ofDays(2)), Instant.now()),
                        out);
        String groupId = "tocsin-demo-" + System.currentTimeMillis();

        // Events consumer first, positioned at the end, so we print exactly this run's events.
        EventPrinter printer = new EventPrinter(o.kafka(), out);
        printer.start();

        StreamExecutionEnvironment env = LocalEnvironments.create(o.parallelism());
        new TocsinJob(
                        new KafkaSources(
                                        o.kafka(),
                                        Topics.ALERTS.name(),
                                        groupId,
                                        false,
                                        OffsetsInitializer.offsets(
                                                endOffsets(
                                                        o.kafka(),
                                                        Topics.ALERTS.name(),
                                                        Topics.TELEMETRY.name(),
                                                        Topics.COMMANDS.name())))
                                .withTelemetry(Topics.TELEMETRY.name())
                                .withCommands(Topics.COMMANDS.name())
                                .replaying(),
                        new LiveSinks(
                                o.kafka(), groupId, ch, o.policy().correlation().domainLabel()),
                        o.policy(),
                        o.topology(),
                        new TocsinJob.Settings(
                                "tocsin-demo", o.parallelism(), Duration.ofSeconds(2)))
                .build(env);
        JobClient job = env.executeAsync("tocsin-demo");
        out.println("demo: job " + job.getJobID() + " started on a local MiniCluster");

        int sent = replay(o.kafka(), storm, telemetry, bad, speed, out);
        out.printf(
                "demo: replayed %d notifications and %d bad records; waiting for the job to catch up%n",
                sent, bad.size());
        waitCaughtUp(o.kafka(), groupId, Topics.ALERTS.name(), out);
        waitCaughtUp(o.kafka(), groupId + "-telemetry", Topics.TELEMETRY.name(), out);
        // The responder's acknowledgement is sent when the first SEV1 page shows up: let it land.
        printer.awaitAcknowledgementSent(Duration.ofSeconds(30));
        waitCaughtUp(o.kafka(), groupId + "-commands", Topics.COMMANDS.name(), out);

        out.println("demo: draining the job (end of event time: pending resolve timers fire)");
        String savepointDir =
                java.nio.file.Path.of(".local", "demo", "savepoints")
                        .toAbsolutePath()
                        .toUri()
                        .toString();
        job.stopWithSavepoint(true, savepointDir, SavepointFormatType.CANONICAL)
                .get(120, TimeUnit.SECONDS);
        printer.stopAfterQuiet(Duration.ofSeconds(3));

        summary(ch, sent, out);
        return 0;
    }

    /** Recreates the demo database so the summary shows this run only. */
    private static ClickHouseSettings demoDatabase(ClickHouseSettings base, PrintStream out)
            throws SQLException {
        try (Connection c = DriverManager.getConnection(base.url(), base.jdbcProperties());
                Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DATABASE);
            st.execute("CREATE DATABASE " + DATABASE);
        }
        String url = withDatabase(base.url(), DATABASE);
        ClickHouseSettings ch =
                new ClickHouseSettings(
                        url,
                        base.user(),
                        base.password(),
                        base.batchRows(),
                        base.flushInterval(),
                        base.maxAttempts(),
                        base.retentionDays());
        List<String> applied = new ClickHouseMigrator(ch).migrate();
        out.println("demo: ClickHouse database " + DATABASE + " migrated " + applied);
        return ch;
    }

    static String withDatabase(String url, String db) {
        int q = url.indexOf('?');
        String base = q < 0 ? url : url.substring(0, q);
        String params = q < 0 ? "" : url.substring(q);
        int slash = base.indexOf('/', "jdbc:clickhouse://".length());
        return (slash < 0 ? base : base.substring(0, slash)) + "/" + db + params;
    }

    private static List<String> resourceLines(String name) throws IOException {
        try (InputStream in = DemoCommand.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("bundled resource " + name + " is missing from the jar");
            }
            List<String> lines = new ArrayList<>();
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    if (!l.isBlank()) {
                        lines.add(l);
                    }
                }
            }
            return lines;
        }
    }

    /**
     * Sends the storm and the telemetry merged in event-time order, paced by event time ({@code
     * speed} x faster) from the storm's first notification; telemetry history from before it goes
     * at once (the detectors need a day of it). Bad records go midway.
     */
    private static int replay(
            String kafka,
            List<String> storm,
            List<String> telemetry,
            List<String> bad,
            double speed,
            PrintStream out)
            throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka);
        p.put("enable.idempotence", "true");
        p.put("acks", "all");
        p.put("linger.ms", "5");
        int sent = 0;
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            Instant first = null;
            for (String line : storm) {
                first = receivedAt(line);
                if (first != null) {
                    break;
                }
            }
            int t = 0;
            while (t < telemetry.size() && !pointTime(telemetry.get(t)).isAfter(first)) {
                sendPoint(producer, telemetry.get(t++));
            }
            out.printf("demo: sent %d telemetry points of history (the day before)%n", t);
            long wallStart = System.nanoTime();
            long lastProgress = System.nanoTime();
            for (int i = 0; i < storm.size(); i++) {
                String line = storm.get(i);
                Instant at = receivedAt(line);
                if (at != null) {
                    while (t < telemetry.size() && !pointTime(telemetry.get(t)).isAfter(at)) {
                        sendPoint(producer, telemetry.get(t++));
                    }
                    long dueNanos = (long) (Duration.between(first, at).toNanos() / speed);
                    long sleep = dueNanos - (System.nanoTime() - wallStart);
                    if (sleep > 0) {
                        producer.flush();
                        TimeUnit.NANOSECONDS.sleep(sleep);
                    }
                }
                send(producer, Topics.ALERTS.name(), line);
                sent++;
                if (i == storm.size() / 2) {
                    for (String b : bad) {
                        send(producer, Topics.ALERTS.name(), b);
                    }
                }
                if (System.nanoTime() - lastProgress > 5_000_000_000L) {
                    lastProgress = System.nanoTime();
                    out.printf(
                            "demo: ... replayed %d/%d notifications (storm time %s)%n",
                            sent, storm.size(), at == null ? "?" : CLOCK.format(at));
                }
            }
            while (t < telemetry.size()) {
                sendPoint(producer, telemetry.get(t++));
            }
            producer.flush();
        }
        return sent;
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String line) {
        producer.send(new ProducerRecord<>(topic, line.getBytes(StandardCharsets.UTF_8)));
    }

    /** Keyed by series (the line up to its timestamp), so one series stays in order. */
    private static void sendPoint(KafkaProducer<byte[], byte[]> producer, String line) {
        String series = line.substring(0, Math.max(0, line.indexOf("\"timestamp\"")));
        producer.send(
                new ProducerRecord<>(
                        Topics.TELEMETRY.name(),
                        series.getBytes(StandardCharsets.UTF_8),
                        line.getBytes(StandardCharsets.UTF_8)));
    }

    /** The timestamp (epoch milliseconds) of a demo telemetry line. */
    private static Instant pointTime(String line) {
        int i = line.indexOf("\"timestamp\":");
        int start = i + "\"timestamp\":".length();
        int end = start;
        while (end < line.length() && Character.isDigit(line.charAt(end))) {
            end++;
        }
        return Instant.ofEpochMilli(Long.parseLong(line.substring(start, end)));
    }

    private static Instant receivedAt(String line) {
        int i = line.indexOf("\"receivedAt\"");
        if (i < 0) {
            return null;
        }
        int start = line.indexOf('"', line.indexOf(':', i) + 1);
        int end = line.indexOf('"', start + 1);
        try {
            return java.time.OffsetDateTime.parse(line.substring(start + 1, end)).toInstant();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The current end of each partition of {@code topics}: where this run's replay begins. */
    private static Map<TopicPartition, Long> endOffsets(String kafka, String... topics)
            throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka);
        try (Admin admin = Admin.create(p)) {
            Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            admin.describeTopics(List.of(topics))
                    .allTopicNames()
                    .get()
                    .forEach(
                            (topic, d) ->
                                    d.partitions()
                                            .forEach(
                                                    pi ->
                                                            latest.put(
                                                                    new TopicPartition(
                                                                            topic, pi.partition()),
                                                                    OffsetSpec.latest())));
            Map<TopicPartition, Long> out = new java.util.HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, r) -> out.put(tp, r.offset()));
            return out;
        }
    }

    /** Waits until the group's committed offsets reach the end of {@code topic}. */
    private static void waitCaughtUp(String kafka, String groupId, String topic, PrintStream out)
            throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka);
        try (Admin admin = Admin.create(p)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (System.nanoTime() < deadline) {
                Set<TopicPartition> parts = new HashSet<>();
                admin.describeTopics(List.of(topic))
                        .allTopicNames()
                        .get()
                        .get(topic)
                        .partitions()
                        .forEach(pi -> parts.add(new TopicPartition(topic, pi.partition())));
                Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
                parts.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
                var ends = admin.listOffsets(latest).all().get();
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(groupId)
                                .partitionsToOffsetAndMetadata()
                                .get();
                long lag = 0;
                for (TopicPartition tp : parts) {
                    OffsetAndMetadata c = committed.get(tp);
                    lag += ends.get(tp).offset() - (c == null ? 0 : c.offset());
                }
                if (lag <= 0) {
                    return;
                }
                out.println("demo: ... job lag " + lag + " records on " + topic);
                Thread.sleep(2000);
            }
            throw new IllegalStateException(
                    "the job did not catch up with the " + topic + " topic within 180 s");
        }
    }

    private static void summary(ClickHouseSettings ch, int sent, PrintStream out)
            throws SQLException {
        out.println();
        out.println("== Summary, read back from ClickHouse (database " + DATABASE + ") ==");
        java.time.Instant from;
        java.time.Instant to;
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
                from = java.time.Instant.ofEpochSecond(rs.getLong(1));
                to = java.time.Instant.ofEpochSecond(rs.getLong(2));
            }
        }
        // Teams for the report's team tables: the bundled demo topology.
        try {
            io.tocsin.analytics.ServiceCatalog.load(
                    ch, io.tocsin.config.TopologyLoader.loadResource("demo/topology.json"));
        } catch (RuntimeException e) {
            out.println("demo: no teams for the report: " + e.getMessage());
        }
        out.println();
        try (io.tocsin.analytics.QueryRunner runner = new io.tocsin.analytics.QueryRunner(ch)) {
            io.tocsin.analytics.Report.print(
                    runner,
                    io.tocsin.analytics.Report.SECTIONS.stream()
                            .filter(s -> !s.query().equals("13_dead_letters_by_reason"))
                            .toList(),
                    from,
                    to,
                    out);
        }
        out.println();
        out.println(
                "demo: the same report any time: ./tocsin report --database "
                        + DATABASE
                        + " --from "
                        + from
                        + " --to "
                        + to);
    }

    private static void table(Statement st, PrintStream out, String title, String sql)
            throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            int n = md.getColumnCount();
            List<String[]> rows = new ArrayList<>();
            String[] head = new String[n];
            for (int i = 0; i < n; i++) {
                head[i] = md.getColumnLabel(i + 1);
            }
            rows.add(head);
            while (rs.next()) {
                String[] r = new String[n];
                for (int i = 0; i < n; i++) {
                    String v = rs.getString(i + 1);
                    r[i] = v == null ? "-" : (v.length() > 60 ? v.substring(0, 57) + "..." : v);
                }
                rows.add(r);
            }
            int[] w = new int[n];
            for (String[] r : rows) {
                for (int i = 0; i < n; i++) {
                    w[i] = Math.max(w[i], r[i].length());
                }
            }
            out.println();
            out.println(title);
            for (int k = 0; k < rows.size(); k++) {
                StringBuilder sb = new StringBuilder("  ");
                for (int i = 0; i < n; i++) {
                    sb.append(String.format("%-" + (w[i] + 2) + "s", rows.get(k)[i]));
                }
                out.println(sb.toString().stripTrailing());
                if (k == 0) {
                    out.println("  " + "-".repeat(sb.length() - 2));
                }
            }
        }
    }

    /** Prints incident events from the incident-events topic as they are committed. */
    static final class EventPrinter extends Thread {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final PrintStream out;
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicInteger seen = new AtomicInteger();
        private volatile long lastEventNanos = System.nanoTime();
        private final KafkaProducer<byte[], byte[]> commands;
        private volatile boolean acknowledged;

        EventPrinter(String kafka, PrintStream out) {
            super("demo-event-printer");
            setDaemon(true);
            Properties pp = new Properties();
            pp.put("bootstrap.servers", kafka);
            pp.put("enable.idempotence", "true");
            commands =
                    new KafkaProducer<>(pp, new ByteArraySerializer(), new ByteArraySerializer());
            Properties p = new Properties();
            p.put("bootstrap.servers", kafka);
            p.put("isolation.level", "read_committed");
            p.put("enable.auto.commit", "false");
            consumer =
                    new KafkaConsumer<>(
                            p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> parts = new ArrayList<>();
            consumer.partitionsFor(Topics.INCIDENT_EVENTS.name())
                    .forEach(pi -> parts.add(new TopicPartition(pi.topic(), pi.partition())));
            consumer.assign(parts);
            consumer.seekToEnd(parts);
            parts.forEach(consumer::position); // resolve the end positions now, before the replay
            this.out = out;
        }

        @Override
        public void run() {
            try {
                while (!stop.get()) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        IncidentEvent e =
                                IncidentEvent.getDecoder().decode(ByteBuffer.wrap(r.value()));
                        seen.incrementAndGet();
                        lastEventNanos = System.nanoTime();
                        print(e);
                    }
                }
            } catch (Exception e) {
                out.println("demo: event printer stopped: " + e);
            } finally {
                consumer.close();
                commands.close();
            }
        }

        private void print(IncidentEvent e) {
            String when = CLOCK.format(e.getEventTime());
            if (e.getType() == IncidentEventType.OPENED) {
                out.printf(
                        "  %s  OPENED    %s  %s  services=%s alerts=%d root-cause=%s  \"%s\"%n",
                        when,
                        e.getIncidentId(),
                        e.getSeverity(),
                        e.getServices(),
                        e.getAlertCount(),
                        e.getRootCauseService(),
                        e.getTitle());
            } else if (e.getType() == IncidentEventType.ESCALATED) {
                out.printf(
                        "  %s  ESCALATED %s  %s  tier %d -> %s via %s  [%s] (%s)%n",
                        when,
                        e.getIncidentId(),
                        e.getSeverity(),
                        e.getEscalationTier(),
                        e.getTarget(),
                        e.getEvidence().get("via"),
                        e.getActor(),
                        e.getReason());
                acknowledgeFirstSev1Page(e);
            } else if (e.getType() == IncidentEventType.ACKNOWLEDGED
                    || e.getType() == IncidentEventType.COMMAND_REJECTED) {
                out.printf(
                        "  %s  %-9s %s  by %s  (%s)%n",
                        when, e.getType(), e.getIncidentId(), e.getActor(), e.getReason());
            } else if (e.getType() == IncidentEventType.RESOLVED
                    || e.getType() == IncidentEventType.SEVERITY_CHANGED
                    || e.getType() == IncidentEventType.MERGED) {
                out.printf(
                        "  %s  %-9s %s  %s  alerts=%d  (%s)%n",
                        when,
                        e.getType(),
                        e.getIncidentId(),
                        e.getSeverity(),
                        e.getAlertCount(),
                        e.getReason());
            }
        }

        /**
         * The demo's responder: the first person paged for a SEV1 acknowledges it two storm minutes
         * later, through the commands topic like any chat-ops bot would.
         */
        private void acknowledgeFirstSev1Page(IncidentEvent e) {
            if (acknowledged || e.getSeverity() != io.tocsin.avro.Severity.SEV1) {
                return;
            }
            acknowledged = true;
            String command =
                    "{\"commandId\":\"demo-ack-"
                            + e.getIncidentId()
                            + "\",\"incidentId\":\""
                            + e.getIncidentId()
                            + "\",\"type\":\"acknowledge\",\"actor\":\""
                            + e.getTarget()
                            + "\",\"role\":\"responder\",\"reason\":\"looking into it\","
                            + "\"issuedAt\":\""
                            + e.getEventTime().plus(Duration.ofMinutes(2))
                            + "\"}";
            commands.send(
                    new ProducerRecord<>(
                            Topics.COMMANDS.name(),
                            e.getIncidentId().getBytes(StandardCharsets.UTF_8),
                            command.getBytes(StandardCharsets.UTF_8)));
            commands.flush();
            out.printf(
                    "  demo: %s acknowledges %s on the commands topic%n",
                    e.getTarget(), e.getIncidentId());
        }

        void awaitAcknowledgementSent(Duration max) throws InterruptedException {
            long deadline = System.nanoTime() + max.toNanos();
            while (!acknowledged && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            if (!acknowledged) {
                out.println("demo: no SEV1 was paged, so nobody acknowledged anything");
            }
        }

        void stopAfterQuiet(Duration quiet) throws InterruptedException {
            while (System.nanoTime() - lastEventNanos < quiet.toNanos()) {
                Thread.sleep(200);
            }
            stop.set(true);
            join(5000);
        }
    }
}

package io.tocsin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.avro.IncidentStatus;
import io.tocsin.avro.Severity;
import io.tocsin.config.ClickHouseSettings;
import io.tocsin.config.PolicyLoader;
import io.tocsin.config.Topics;
import io.tocsin.sink.ClickHouseMigrator;
import io.tocsin.sink.ClickHouseTable;
import io.tocsin.sink.Tables;
import io.tocsin.testing.InJvmKafka;
import io.tocsin.testing.LocalClickHouse;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The board's history search against the local ClickHouse engine: the job's migrations applied,
 * incident events inserted through the sink's own row mapping (the incidents table is filled by the
 * migrations' materialized view, as in production), the gateway's board pointed at that database.
 * Searches by service, alert name and opening time return exactly the expected incidents (read from
 * the page's history table), and hostile terms are bound as query parameters: no SQL error, no
 * widened result, no dropped table, and the page shows them escaped.
 */
class BoardHistoryITCase {

    @RegisterExtension static final InJvmKafka KAFKA = new InJvmKafka();
    @RegisterExtension static final LocalClickHouse CLICKHOUSE = new LocalClickHouse();

    static final String HOSTILE = "<script>alert(1)</script>' OR '1'='1";
    static final String DATABASE = "board_history";

    /**
     * The fixtures are written as if in November 2026 and moved, whole days at a time, to a month
     * before today: the tables' TTL is measured from now, so fixed dates would expire.
     */
    static final long SHIFT_DAYS =
            java.time.temporal.ChronoUnit.DAYS.between(
                    java.time.LocalDate.parse("2026-11-01"),
                    java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(30));

    /**
     * A fixture time or date ("2026-11-03T10:00:00Z", "2026-11-03") moved by {@link #SHIFT_DAYS}.
     */
    static String day(String fixture) {
        String date =
                java.time.LocalDate.parse(fixture.substring(0, 10)).plusDays(SHIFT_DAYS).toString();
        return date + fixture.substring(10);
    }

    static Gateway gateway;
    static ClickHouseSettings settings;

    @BeforeAll
    static void start() throws Exception {
        settings = CLICKHOUSE.freshDatabase(DATABASE);
        new ClickHouseMigrator(settings).migrate();

        List<IncidentEvent> events = new ArrayList<>();
        // Checkout latency, opened 2 Nov, still open.
        events.add(
                event(
                        "INC-checkout",
                        1,
                        IncidentEventType.OPENED,
                        day("2026-11-02T02:00:00Z"),
                        day("2026-11-02T02:00:00Z"),
                        List.of("checkout-api", "payments-db"),
                        "HighLatency",
                        "checkout: latency"));
        events.add(
                event(
                        "INC-checkout",
                        2,
                        IncidentEventType.ALERT_ADDED,
                        day("2026-11-02T02:00:00Z"),
                        day("2026-11-02T02:01:00Z"),
                        List.of("checkout-api", "payments-db"),
                        "PaymentsDbSlowQueries",
                        "checkout: latency"));
        // Users database down, opened 3 Nov.
        events.add(
                event(
                        "INC-users",
                        1,
                        IncidentEventType.OPENED,
                        day("2026-11-03T10:00:00Z"),
                        day("2026-11-03T10:00:00Z"),
                        List.of("users-pg", "users-api"),
                        "PostgresDown",
                        "users-pg: down"));
        // Search errors, opened 5 Nov, resolved.
        events.add(
                event(
                        "INC-search",
                        1,
                        IncidentEventType.OPENED,
                        day("2026-11-05T08:00:00Z"),
                        day("2026-11-05T08:00:00Z"),
                        List.of("search-api"),
                        "HighErrorRate",
                        "search-api: errors"));
        events.add(
                event(
                        "INC-search",
                        2,
                        IncidentEventType.RESOLVED,
                        day("2026-11-05T08:00:00Z"),
                        day("2026-11-05T08:30:00Z"),
                        List.of("search-api"),
                        null,
                        "search-api: errors"));
        // Hostile values in the stored data itself (a service name with a quote, an alert name
        // and a title with markup and an SQL fragment), opened 6 Nov.
        events.add(
                event(
                        "INC-hostile",
                        1,
                        IncidentEventType.OPENED,
                        day("2026-11-06T12:00:00Z"),
                        day("2026-11-06T12:00:00Z"),
                        List.of("o'brien-svc"),
                        "Evil" + HOSTILE,
                        "title " + HOSTILE));
        insert(settings, new Tables.IncidentEvents(), events);
        assertThat(count("SELECT count() FROM incidents FINAL")).isEqualTo(4);

        String prefix = "h" + UUID.randomUUID().toString().substring(0, 8) + "-";
        for (Topics t : Topics.all()) {
            KAFKA.createTopics(1, prefix + t.name());
        }
        GatewayConfig config =
                GatewayConfig.local(
                        KAFKA.bootstrapServers(),
                        GatewayConfig.TopicNames.withPrefix(prefix),
                        PolicyLoader.loadResource("demo/policy.yaml"));
        BoardConfig board =
                BoardConfig.defaults(prefix)
                        .withClickHouse(
                                URI.create("http://127.0.0.1:" + CLICKHOUSE.port()), DATABASE);
        gateway = Gateway.start(config, board, new PrometheusRegistry(), false);
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    static IncidentEvent event(
            String id,
            long seq,
            IncidentEventType type,
            String openedAt,
            String at,
            List<String> services,
            String alertName,
            String title) {
        boolean resolved = type == IncidentEventType.RESOLVED;
        return IncidentEvent.newBuilder()
                .setEventId(id + "/" + seq)
                .setIncidentId(id)
                .setSeq(seq)
                .setType(type)
                .setEventTime(Instant.parse(at))
                .setOpenedAt(Instant.parse(openedAt))
                .setFirstAlertAt(Instant.parse(openedAt))
                .setDomain("prod")
                .setSeverity(Severity.SEV2)
                .setStatus(resolved ? IncidentStatus.RESOLVED : IncidentStatus.OPEN)
                .setTitle(title)
                .setServices(services)
                .setAlertCount((int) seq)
                .setActiveAlertCount(resolved ? 0 : (int) seq)
                .setFingerprint(id + "-fp-" + seq)
                .setAlertName(alertName)
                .setAlertService(services.get(0))
                .setRootCauseService(services.get(services.size() - 1))
                .setEvidence(Map.of("rule", "test"))
                .setActor("policy:correlate")
                .setReason("test")
                .build();
    }

    static <T> void insert(ClickHouseSettings s, ClickHouseTable<T> table, List<T> rows)
            throws Exception {
        try (Connection c = DriverManager.getConnection(s.url(), s.jdbcProperties());
                PreparedStatement ps = c.prepareStatement(table.insertSql())) {
            for (T r : rows) {
                table.bind(ps, r);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    static long count(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(settings.url(), settings.jdbcProperties());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A search page for these parameters (each value URL-encoded). */
    static Http.Answer search(String... nameValue) throws Exception {
        Map<String, String> q = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            q.put(nameValue[i], nameValue[i + 1]);
        }
        StringBuilder path = new StringBuilder("/board/search?");
        q.forEach(
                (k, v) ->
                        path.append(k)
                                .append('=')
                                .append(URLEncoder.encode(v, StandardCharsets.UTF_8))
                                .append('&'));
        Http.Answer a = Http.get(gateway.uri(), path.toString());
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(a.body()).as("ClickHouse answered").doesNotContain("history not available");
        return a;
    }

    private static final Pattern ROW_LINK =
            Pattern.compile("<a href=\"/board/incident/([^\"]+)\">");

    /** The incident ids of the page's history table, in its order. */
    static List<String> historyIds(Http.Answer a) {
        String html = a.body();
        int start = html.indexOf("<h2>History (ClickHouse)</h2>");
        assertThat(start).as(html).isNotNegative();
        List<String> ids = new ArrayList<>();
        Matcher m = ROW_LINK.matcher(html.substring(start));
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    @Test
    void searchByServiceReturnsExactlyTheIncidentsInvolvingIt() throws Exception {
        assertThat(historyIds(search("service", "checkout"))).containsExactly("INC-checkout");
        // A substring of a later service in the list, case-insensitively.
        assertThat(historyIds(search("service", "PAYMENTS"))).containsExactly("INC-checkout");
        // Several incidents, newest opened first.
        assertThat(historyIds(search("service", "-api")))
                .containsExactly("INC-search", "INC-users", "INC-checkout");
        Http.Answer none = search("service", "inventory");
        assertThat(historyIds(none)).isEmpty();
        assertThat(none.body()).contains("No incidents in the history match.");
    }

    @Test
    void searchByAlertNameMatchesAnyAlertOfTheIncident() throws Exception {
        assertThat(historyIds(search("alert", "postgresdown"))).containsExactly("INC-users");
        // The incident's second alert, not the one it opened with.
        assertThat(historyIds(search("alert", "SlowQueries"))).containsExactly("INC-checkout");
        assertThat(historyIds(search("alert", "High")))
                .containsExactly("INC-search", "INC-checkout");
        // Service and alert together: both must hold.
        assertThat(historyIds(search("service", "search", "alert", "Latency"))).isEmpty();
        assertThat(historyIds(search("service", "checkout", "alert", "Latency")))
                .containsExactly("INC-checkout");
    }

    @Test
    void searchByTimeRangeUsesTheOpeningTime() throws Exception {
        // A day: 'to' as a date is the end of that day.
        assertThat(historyIds(search("from", day("2026-11-03"), "to", day("2026-11-03"))))
                .containsExactly("INC-users");
        // 'from' inclusive, 'to' exclusive, to the millisecond.
        assertThat(
                        historyIds(
                                search(
                                        "from",
                                        day("2026-11-03T10:00:00Z"),
                                        "to",
                                        day("2026-11-05T08:00:00Z"))))
                .containsExactly("INC-users");
        assertThat(historyIds(search("from", day("2026-11-03T10:00:00.001Z"))))
                .containsExactly("INC-hostile", "INC-search");
        assertThat(historyIds(search("to", day("2026-11-03T10:00:00Z"))))
                .containsExactly("INC-checkout");
        assertThat(historyIds(search("to", day("2026-11-03T10:00:00.001Z"))))
                .containsExactly("INC-users", "INC-checkout");
        assertThat(historyIds(search("from", day("2026-11-04T00:00"), "to", day("2026-11-07"))))
                .containsExactly("INC-hostile", "INC-search");
        assertThat(historyIds(search("to", day("2026-11-02")))).containsExactly("INC-checkout");
        // Time and service together.
        assertThat(historyIds(search("service", "api", "from", day("2026-11-03"))))
                .containsExactly("INC-search", "INC-users");
        Http.Answer resolved = search("service", "search-api");
        assertThat(resolved.body()).contains("RESOLVED").contains(day("2026-11-05 08:30:00.000"));
    }

    @Test
    void hostileSearchTermsAreBoundNotSpliced() throws Exception {
        List<String> attempts =
                List.of(
                        "' OR 1=1 --",
                        "x') OR 1 OR ('",
                        "checkout' OR '1'='1",
                        "'; DROP TABLE incidents; --",
                        "{service:String}",
                        "\\' OR 1=1 --",
                        "\"><script>alert(1)</script>");
        for (String term : attempts) {
            for (String field : List.of("service", "alert")) {
                Http.Answer a = search(field, term);
                assertThat(historyIds(a)).as(field + "=" + term).isEmpty();
                assertThat(a.body()).doesNotContain("<script>alert");
            }
        }
        // A quote is a character to match like any other.
        assertThat(historyIds(search("service", "o'brien"))).containsExactly("INC-hostile");
        // Markup and an SQL fragment in the stored data match as text and render as text.
        Http.Answer hostile = search("alert", "<script>alert(1)</script>' OR '1'='1");
        assertThat(historyIds(hostile)).containsExactly("INC-hostile");
        assertThat(hostile.body())
                .doesNotContain("<script>alert")
                .contains("title &lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("o&#39;brien-svc")
                // The search term in the form, escaped.
                .contains("value=\"&lt;script&gt;alert(1)&lt;/script&gt;");
        Http.Answer escapedService = search("service", "\"><script>alert(1)</script>");
        assertThat(escapedService.body())
                .doesNotContain("<script>alert")
                .contains("value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\"");
        // Nothing was dropped or changed.
        assertThat(count("SELECT count() FROM incidents FINAL")).isEqualTo(4);
        assertThat(count("SELECT count() FROM incident_events FINAL")).isEqualTo(6);
        assertThat(historyIds(search("service", "checkout"))).containsExactly("INC-checkout");
    }
}

package io.tocsin.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tocsin.config.ClickHouseSettings;
import io.tocsin.sink.ClickHouseMigrator;
import io.tocsin.testing.LocalClickHouse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every saved query against the local ClickHouse engine on the seeded scenario
 * (analytics/seed.txt). The expected rows are worked out by hand from the story in the seed file,
 * not copied from a run. The seed is written twice, as a batch replayed after a restart would be,
 * so the numbers also show that the tables, views and rollups do not count a replay twice.
 */
class AnalyticsQueriesITCase {

    @RegisterExtension static final LocalClickHouse CLICKHOUSE = new LocalClickHouse();

    static final Instant FROM = Instant.parse("2026-11-02T00:00:00Z");
    static final Instant TO = Instant.parse("2026-11-16T00:00:00Z");

    static ClickHouseSettings settings;
    static QueryRunner runner;
    static final Set<String> RUN = new HashSet<>();

    @BeforeAll
    static void seed() throws Exception {
        settings = CLICKHOUSE.freshDatabase("analytics");
        new ClickHouseMigrator(settings).migrate();
        // The raw-versus-FINAL test counts the replayed rows in the raw table: a background
        // merge would collapse them whenever it happened to run, so no merges in this database.
        try (Connection c = DriverManager.getConnection(settings.url(), settings.jdbcProperties());
                Statement st = c.createStatement()) {
            st.execute("SYSTEM STOP MERGES incident_events");
        }
        SeedData seed = SeedData.load("analytics/seed.txt");
        seed.insertInto(settings);
        seed.insertInto(settings); // the replay
        runner = new QueryRunner(settings);
    }

    @AfterAll
    static void everySavedQueryWasChecked() throws SQLException {
        runner.close();
        assertThat(RUN).containsExactlyInAnyOrderElementsOf(SavedQuery.NAMES);
    }

    private static List<String> rows(String query) throws SQLException {
        return rows(query, Map.of(), FROM, TO);
    }

    private static List<String> rows(
            String query, Map<String, String> extra, Instant from, Instant to) throws SQLException {
        RUN.add(query);
        return Report.run(runner, new Report.Section(query, query, extra), from, to).lines();
    }

    @Test
    void theReplayIsInTheRawTablesAndGoneWithFinal() throws Exception {
        try (Connection c = DriverManager.getConnection(settings.url(), settings.jdbcProperties());
                Statement st = c.createStatement()) {
            // 25 incidents with 109 events (11 of them CHANGE_SUSPECTED), 27 transitions, 6 dead
            // letters and 12 changes in the seed file.
            assertThat(count(st, "SELECT count() FROM incident_events")).isEqualTo(2 * 109);
            assertThat(count(st, "SELECT count() FROM incident_events FINAL")).isEqualTo(109);
            assertThat(count(st, "SELECT count() FROM changes FINAL")).isEqualTo(12);
            assertThat(count(st, "SELECT count() FROM alerts FINAL")).isEqualTo(27);
            assertThat(count(st, "SELECT count() FROM dead_letters FINAL")).isEqualTo(6);
            assertThat(count(st, "SELECT count() FROM incidents FINAL")).isEqualTo(25);
            assertThat(count(st, "SELECT count() FROM incident_summary")).isEqualTo(25);
        }
    }

    private static long count(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void incidentsPerWeekPerServiceAndAlert() throws Exception {
        assertThat(rows("01_incidents_per_week"))
                .containsExactly(
                        "2026-11-02 users-pg PgTooManyConnections 2 2",
                        "2026-11-02 checkout-api CheckoutLatencyHigh 1 0",
                        "2026-11-02 redis-cache RedisFlapping 1 0",
                        "2026-11-02 search SearchSlowQueries 1 0",
                        // INC-207 was merged into INC-201: not counted on its own.
                        "2026-11-09 checkout-api CheckoutLatencyHigh 1 1",
                        "2026-11-09 payments-svc CheckoutErrors 1 0",
                        "2026-11-09 search SearchSlowQueries 1 1",
                        "2026-11-09 users-pg PgReplicationLag 1 0",
                        "2026-11-09 users-pg PgTooManyConnections 1 1",
                        "2026-11-09 users-svc UsersSvcErrors 1 0");
    }

    @Test
    void recurrenceTrendPerWeekWithEmptyWeeksFilled() throws Exception {
        // week, incidents, recurrences, rate %, change in incidents, change in rate (points)
        assertThat(rows("02_recurrence_trend"))
                .containsExactly("2026-11-02 5 2 40 - -", "2026-11-09 6 3 50 1 10");
        // Two more weeks: INC-301 (a recurrence) alone, then a week without incidents.
        assertThat(
                        rows(
                                "02_recurrence_trend",
                                Map.of(),
                                FROM,
                                Instant.parse("2026-11-30T00:00:00Z")))
                .containsExactly(
                        "2026-11-02 5 2 40 - -",
                        "2026-11-09 6 3 50 1 10",
                        "2026-11-16 1 1 100 -5 50",
                        "2026-11-23 0 0 - -1 -");
    }

    @Test
    void topRecurringRootCauses() throws Exception {
        assertThat(rows("03_top_recurring_root_causes"))
                .containsExactly(
                        "users-pg PgTooManyConnections 3 3 2026-11-09 09:00",
                        "checkout-api CheckoutLatencyHigh 2 1 2026-11-13 10:00",
                        "search SearchSlowQueries 2 1 2026-11-11 03:00");
    }

    @Test
    void responseTimesBySeverity() throws Exception {
        // week, worst severity, metric, incidents, mean, p50, p90 (seconds; p = x[h] + frac * step
        // with h = (n - 1) * q). E.g. week 1 SEV1 is INC-101 (detect 120 s) and INC-105 (30 s):
        // mean 75, p50 75, p90 30 + 0.9 * 90 = 111.
        assertThat(rows("04_response_times", Map.of("by", "severity"), FROM, TO))
                .containsExactly(
                        "2026-11-02 SEV1 MTTD 2 75 75 111",
                        "2026-11-02 SEV1 MTTA 2 420 420 564",
                        "2026-11-02 SEV1 MTTE 1 60 60 60",
                        "2026-11-02 SEV1 MTTR 2 2400 2400 2880",
                        "2026-11-02 SEV2 MTTD 2 120 120 168",
                        "2026-11-02 SEV2 MTTA 2 780 780 1116",
                        "2026-11-02 SEV2 MTTE 2 90 90 114",
                        "2026-11-02 SEV2 MTTR 2 4800 4800 6720",
                        "2026-11-02 SEV3 MTTD 1 300 300 300",
                        "2026-11-02 SEV3 MTTA 1 1800 1800 1800",
                        "2026-11-02 SEV3 MTTR 1 90000 90000 90000",
                        // INC-201 was opened SEV2 and upgraded: it counts as SEV1.
                        "2026-11-09 SEV1 MTTD 1 60 60 60",
                        "2026-11-09 SEV1 MTTA 1 180 180 180",
                        "2026-11-09 SEV1 MTTE 1 60 60 60",
                        "2026-11-09 SEV1 MTTR 1 5400 5400 5400",
                        "2026-11-09 SEV2 MTTD 2 165 165 225",
                        "2026-11-09 SEV2 MTTA 2 1200 1200 1920",
                        "2026-11-09 SEV2 MTTE 2 90 90 114",
                        "2026-11-09 SEV2 MTTR 2 7200 7200 10080",
                        // INC-205 is still open: only its MTTD counts.
                        "2026-11-09 SEV3 MTTD 3 80 60 108",
                        "2026-11-09 SEV3 MTTA 2 750 750 870",
                        "2026-11-09 SEV3 MTTR 2 4200 4200 6600");
    }

    @Test
    void responseTimesByTeamAndByService() throws Exception {
        assertThat(rows("04_response_times", Map.of("by", "team"), FROM, TO))
                .contains(
                        "2026-11-02 (unowned) MTTD 1 30 30 30",
                        "2026-11-02 team-data MTTD 2 150 150 174",
                        "2026-11-02 team-data MTTA 2 300 300 348",
                        "2026-11-02 team-data MTTE 2 60 60 60",
                        "2026-11-02 team-data MTTR 2 2700 2700 2940",
                        "2026-11-09 team-identity MTTA 1 2100 2100 2100",
                        "2026-11-09 team-payments MTTE 1 120 120 120")
                .hasSize(14 + 18);
        assertThat(rows("04_response_times", Map.of("by", "service"), FROM, TO))
                .contains(
                        "2026-11-09 users-pg MTTD 2 60 60 60",
                        "2026-11-09 users-pg MTTA 1 180 180 180",
                        "2026-11-09 users-pg MTTR 1 5400 5400 5400");
        assertThatThrownBy(() -> rows("04_response_times", Map.of("by", "colour"), FROM, TO))
                .hasMessageContaining("parameter by must be severity, team or service");
    }

    @Test
    void reEscalationRatePerWeek() throws Exception {
        // Week 1: INC-101, 102 (tier 0 then 1 before the ack: the normal path) and 104.
        // Week 2: INC-201 escalates again after Alice acked; INC-202 and 204 do not.
        assertThat(rows("05_re_escalations"))
                .containsExactly("2026-11-02 3 0 0 ", "2026-11-09 3 1 33.3 INC-201");
    }

    @Test
    void downgradesAndWhoApprovedThem() throws Exception {
        // INC-201's SEV2 -> SEV1 upgrade is not a downgrade.
        assertThat(rows("06_downgrades"))
                .containsExactly(
                        "2026-11-05 09:12 INC-104 SEV2 SEV3 erin alice erin approved",
                        "2026-11-10 11:08 INC-202 SEV2 SEV4 carol - - NOT APPROVED");
    }

    @Test
    void incidentsThatBypassedTheEscalationPath() throws Exception {
        assertThat(rows("07_escalation_bypasses"))
                .containsExactly(
                        "2026-11-06 22:00 INC-105 SEV1 (unowned) paging severity, nobody paged",
                        "2026-11-10 11:00 INC-202 SEV2 team-payments tier 0 skipped",
                        "2026-11-12 16:00 INC-204 SEV2 team-identity acknowledged by frank, who"
                                + " was not paged");
    }

    /** The week of 30 Nov in the seed: three incidents written for the escalation-path queries. */
    static final Instant PATH_WEEK = Instant.parse("2026-11-30T00:00:00Z");

    static final Instant PATH_WEEK_END = Instant.parse("2026-12-07T00:00:00Z");

    @Test
    void upgradesPerServiceAndMeanTimeToUpgrade() throws Exception {
        // service, team, incidents, upgraded, %, upgrades, by people, by policy, mean minutes.
        // INC-201 (users-pg) went SEV2 -> SEV1 by policy 2 minutes after opening; the downgrades
        // of INC-104 and INC-202 are not upgrades; INC-207 was merged.
        assertThat(rows("18_upgrades"))
                .containsExactly(
                        "users-pg team-data 4 1 25 1 0 1 2",
                        "checkout-api team-checkout 2 0 0 0 0 0 -",
                        "search team-search 2 0 0 0 0 0 -",
                        "payments-svc team-payments 1 0 0 0 0 0 -",
                        "redis-cache (unowned) 1 0 0 0 0 0 -",
                        "users-svc team-identity 1 0 0 0 0 0 -");
        // INC-401: Alice after 10 minutes, then policy (two upgrades, the first counts for the
        // time); INC-402: policy after 4 minutes; INC-403 never.
        assertThat(rows("18_upgrades", Map.of(), PATH_WEEK, PATH_WEEK_END))
                .containsExactly(
                        "users-pg team-data 1 1 100 1 0 1 4",
                        "users-svc team-identity 1 1 100 2 1 1 10",
                        "checkout-api team-checkout 1 0 0 0 0 0 -");
    }

    @Test
    void reEscalationRatePerService() throws Exception {
        // INC-201 escalated twice after Alice's ack (tier 0 again, then tier 1): 2 re-escalations.
        assertThat(rows("19_re_escalations_per_service"))
                .containsExactly(
                        "users-pg team-data 3 1 33.3 2 INC-201",
                        "checkout-api team-checkout 1 0 0 0 ",
                        "payments-svc team-payments 1 0 0 0 ",
                        "users-svc team-identity 1 0 0 0 ");
        // INC-401's second page to Bob came after his ack.
        assertThat(rows("19_re_escalations_per_service", Map.of(), PATH_WEEK, PATH_WEEK_END))
                .containsExactly(
                        "users-svc team-identity 1 1 100 1 INC-401",
                        "checkout-api team-checkout 1 0 0 0 ",
                        "users-pg team-data 1 0 0 0 ");
    }

    @Test
    void shareOfIncidentsThatBypassedThePath() throws Exception {
        // week, incidents, bypassed, %, nobody paged, tier skipped, acked by someone not paged:
        // the rows of 07 counted against every incident of the week.
        assertThat(rows("20_bypass_share"))
                .containsExactly("2026-11-02 5 1 20 1 0 0", "2026-11-09 6 2 33.3 0 1 1");
        assertThat(rows("20_bypass_share", Map.of(), PATH_WEEK, PATH_WEEK_END))
                .containsExactly("2026-11-30 3 1 33.3 0 1 0");
    }

    /** The week of 7 Dec in the seed: eight incidents written for the outcome queries. */
    static final Instant OUTCOME_WEEK = Instant.parse("2026-12-07T00:00:00Z");

    static final Instant OUTCOME_WEEK_END = Instant.parse("2026-12-14T00:00:00Z");

    @Test
    void falsePositiveAndDuplicateRatePerAlertRule() throws Exception {
        // alert rule, resolved, without disposition, fixed, false positive, duplicate, fp %, dup %.
        // CheckoutLatencyHigh: INC-502 (false positive, given by a classify after it resolved by
        // itself), INC-503 (false positive), INC-504 (resolved as a false positive, corrected to
        // fixed), INC-505 (duplicate). PgTooManyConnections: INC-501 fixed, INC-508 none.
        // SearchIndexLag: INC-506's false positive was cleared by its reopen; INC-507 is open.
        assertThat(rows("21_false_positive_rate", Map.of(), OUTCOME_WEEK, OUTCOME_WEEK_END))
                .containsExactly(
                        "CheckoutLatencyHigh 4 0 1 2 1 50 25",
                        "PgTooManyConnections 2 1 1 0 0 0 0",
                        "SearchIndexLag 1 1 0 0 0 - -");
        // Nobody gave a disposition in the report range: every resolved incident is unreviewed
        // (INC-205 is open, INC-207 merged).
        assertThat(rows("21_false_positive_rate"))
                .containsExactly(
                        "PgTooManyConnections 3 3 0 0 0 - -",
                        "CheckoutLatencyHigh 2 2 0 0 0 - -",
                        "SearchSlowQueries 2 2 0 0 0 - -",
                        "CheckoutErrors 1 1 0 0 0 - -",
                        "RedisFlapping 1 1 0 0 0 - -",
                        "UsersSvcErrors 1 1 0 0 0 - -");
    }

    @Test
    void incidentsByImpactClass() throws Exception {
        // class, incidents, %, worst SEV1, worst SEV2, still open, mean minutes to resolve, tags.
        // outage: INC-501 (SEV1, 20m); degradation: INC-504 (SEV2, 45m) and INC-507 (SEV2, open);
        // none: INC-502 (15m); unclassified: INC-503 (10m), INC-505 (5m), INC-506 (resolved
        // again at 60m), INC-508 (25m): mean 25.
        assertThat(rows("22_impact_classes", Map.of(), OUTCOME_WEEK, OUTCOME_WEEK_END))
                .containsExactly(
                        "outage 1 12.5 1 0 0 20 customer-facing,eu",
                        "degradation 2 25 0 2 1 45 customer-facing,search-eu",
                        "none 1 12.5 0 0 0 15 ",
                        "(unclassified) 4 50 0 0 0 25 ");
        // The report range: 11 incidents, none classified; worst SEV1: INC-101, 105, 201; SEV2:
        // INC-102, 104, 202, 204; INC-205 open; the ten resolved took 2,210 minutes in all.
        assertThat(rows("22_impact_classes")).containsExactly("(unclassified) 11 100 3 4 1 221 ");
    }

    @Test
    void incidentsPerChangeFromTheLastRankingOfEachIncident() throws Exception {
        // time, change, service, kind, author, incidents, as top suspect, top suspect of, named by.
        // INC-201 first blamed CHG-6, then CHG-5 first and CHG-6 second: the last ranking counts.
        // INC-207 (merged) blames CHG-6 too but is left out; INC-204 named CHG-8, then nothing.
        // CHG-10 is second for INC-301, which opened after the range: it counts all the same.
        assertThat(rows("16_incidents_per_change"))
                .containsExactly(
                        "2026-11-15 19:50 CHG-10 users-pg CONFIG gina 2 1 INC-205 INC-205,INC-301",
                        "2026-11-02 08:40 CHG-1 users-pg DEPLOY gina 1 1 INC-101 INC-101",
                        "2026-11-03 13:30 CHG-3 checkout-api DEPLOY ivan 1 1 INC-102 INC-102",
                        "2026-11-09 08:45 CHG-5 users-pg DEPLOY gina 1 1 INC-201 INC-201",
                        "2026-11-10 10:40 CHG-7 payments-svc DEPLOY kim 1 1 INC-202 INC-202",
                        "2026-11-02 08:30 CHG-2 users-svc CONFIG hal 1 0  INC-101",
                        "2026-11-09 08:20 CHG-6 users-svc DEPLOY jo 1 0  INC-201",
                        "2026-11-05 12:00 CHG-4 payments-svc FEATURE_FLAG hal 0 0  ",
                        "2026-11-12 15:30 CHG-8 users-svc CONFIG jo 0 0  ",
                        "2026-11-14 09:00 CHG-9 search INFRASTRUCTURE lee 0 0  ");
        // The week after: INC-301 ranks CHG-11 first.
        assertThat(
                        rows(
                                "16_incidents_per_change",
                                Map.of(),
                                TO,
                                Instant.parse("2026-11-23T00:00:00Z")))
                .containsExactly(
                        "2026-11-16 00:30 CHG-11 users-pg DEPLOY gina 1 1 INC-301 INC-301");
    }

    @Test
    void changeFailureRatePerServiceAndPerAuthorTeam() throws Exception {
        // per, name, changes, failed (some incident's top suspect), %, suspected (any rank),
        // incidents that blamed them. users-pg: CHG-1, CHG-5, CHG-10 each blamed first by one
        // incident; payments-svc: CHG-7 yes, CHG-4 no; users-svc: CHG-2 and CHG-6 second only,
        // CHG-8 withdrawn. team-identity made CHG-2, CHG-4, CHG-6 and CHG-8; CHG-7 names no team.
        assertThat(rows("17_change_failure_rate"))
                .containsExactly(
                        "service users-pg 3 3 100 3 3",
                        "service checkout-api 1 1 100 1 1",
                        "service payments-svc 2 1 50 1 1",
                        "service users-svc 3 0 0 2 0",
                        "service search 1 0 0 0 0",
                        "team team-data 3 3 100 3 3",
                        "team (no team) 1 1 100 1 1",
                        "team team-checkout 1 1 100 1 1",
                        "team team-identity 4 0 0 2 0",
                        "team team-search 1 0 0 0 0");
    }

    @Test
    void slaBreachesAgainstTheTargetsTable() throws Exception {
        // opened, incident, worst severity, ack s, target, resolve s, target, breached
        assertThat(rows("08_sla_breaches"))
                .containsExactly(
                        "2026-11-03 14:00 INC-102 SEV2 1200 900 7200 14400 ack",
                        "2026-11-04 03:00 INC-103 SEV3 1800 3600 90000 86400 resolve",
                        "2026-11-06 22:00 INC-105 SEV1 600 300 1800 3600 ack",
                        "2026-11-09 09:00 INC-201 SEV1 180 300 5400 3600 resolve",
                        "2026-11-12 16:00 INC-204 SEV2 2100 900 10800 14400 ack",
                        // Still unacknowledged 4 h after opening when the range ends.
                        "2026-11-15 20:00 INC-205 SEV3 - 3600 - 86400 ack");
    }

    @Test
    void slaTargetsAreData() throws Exception {
        try (Connection c = DriverManager.getConnection(settings.url(), settings.jdbcProperties());
                Statement st = c.createStatement()) {
            st.execute(
                    "INSERT INTO sla_targets (severity, ack_within_s, resolve_within_s)"
                            + " VALUES ('SEV3', 7200, 86400)");
            try {
                assertThat(rows("08_sla_breaches"))
                        .doesNotContain("2026-11-15 20:00 INC-205 SEV3 - 3600 - 86400 ack")
                        .contains("2026-11-15 20:00 INC-205 SEV3 - 7200 - 86400 ack");
            } finally {
                st.execute(
                        "INSERT INTO sla_targets (severity, ack_within_s, resolve_within_s)"
                                + " VALUES ('SEV3', 3600, 86400)");
            }
        }
    }

    @Test
    void alertsPerIncident() throws Exception {
        // Week 1 counts 3, 1, 2, 1, 1; week 2 counts 4, 2, 1, 1, 1, 1.
        assertThat(rows("09_alerts_per_incident"))
                .containsExactly("2026-11-02 5 8 1.6 1 2.6 3", "2026-11-09 6 10 1.7 1 3 4");
    }

    @Test
    void suppressedSharePerRule() throws Exception {
        // 25 transitions in the range.
        assertThat(rows("10_suppressed_share_by_rule"))
                .containsExactly("db-patching 4 2 users-pg 16", "search-reindex 2 1 search 8");
    }

    @Test
    void flappingAlerts() throws Exception {
        assertThat(rows("11_flapping_alerts"))
                .containsExactly(
                        "RedisFlapping redis-cache fp-redis 4 6 2026-11-06 22:02:00 2026-11-06"
                                + " 22:08:00");
    }

    @Test
    void noisiestAlertRules() throws Exception {
        // alertname, services, transitions, firing, alerts, suppressed %, incidents
        assertThat(rows("12_noisiest_alert_rules"))
                .containsExactly(
                        "RedisFlapping redis-cache 6 3 1 0 1",
                        "PgTooManyConnections users-pg 4 2 1 0 3",
                        "PgReplicationLag users-pg 3 2 1 66.7 1",
                        "CheckoutLatencyHigh checkout-api 2 1 1 0 2",
                        "PgReplicaDown users-pg 2 1 1 100 0",
                        "SearchHeapHigh search 2 1 1 100 1",
                        "SearchSlowQueries search 2 1 1 0 2",
                        "UsersSvcErrors users-svc 2 1 1 0 3",
                        "UsersSvcLatency users-svc 2 1 1 0 2");
    }

    @Test
    void deadLettersByReason() throws Exception {
        assertThat(rows("13_dead_letters_by_reason"))
                .containsExactly(
                        "MALFORMED_JSON ingest 3 2026-11-03 10:00 2026-11-10 10:00 line 3: not"
                                + " JSON: unexpected end of input",
                        "MISSING_LABELS ingest 1 2026-11-05 10:00 2026-11-05 10:00 labels: missing",
                        "OVERSIZE ingest 1 2026-11-12 10:00 2026-11-12 10:00 record of 300000"
                                + " bytes exceeds maxRecordBytes 262144");
    }

    @Test
    void loadPerTeam() throws Exception {
        // team, incidents, SEV1/SEV2, pages, hours open (INC-205 counts until the range ends)
        assertThat(rows("14_load_per_team"))
                .containsExactly(
                        "team-data 4 3 5 7",
                        "team-checkout 2 1 2 2.3",
                        "team-search 2 0 0 27",
                        "(unowned) 1 1 0 0.5",
                        "team-identity 1 1 3 3",
                        "team-payments 1 1 1 1");
    }

    @Test
    void loadPerOnCallPerson() throws Exception {
        // person, pages, incidents paged for, acknowledged, resolved
        assertThat(rows("15_load_per_oncall"))
                .containsExactly(
                        "alice 4 3 3 0",
                        "bob 3 3 2 0",
                        "carol 3 3 2 2",
                        "erin 1 1 0 1",
                        "dave 0 0 2 0",
                        "frank 0 0 2 1");
    }

    @Test
    void metricRollupsPerSeriesPerMinuteAndAnomaliesCollapseOnReplay() throws Exception {
        try (Connection c = DriverManager.getConnection(settings.url(), settings.jdbcProperties());
                Statement st = c.createStatement()) {
            // Four samples and a stale marker (NaN) in one minute, one sample in the next.
            st.execute(
                    "INSERT INTO metric_points (ts, metric, series, service, value) VALUES"
                            + " ('2026-11-02 10:00:05.000', 'latency', 'latency{service=\"a\"}', 'a', 1),"
                            + " ('2026-11-02 10:00:20.000', 'latency', 'latency{service=\"a\"}', 'a', 2),"
                            + " ('2026-11-02 10:00:35.000', 'latency', 'latency{service=\"a\"}', 'a', 3),"
                            + " ('2026-11-02 10:00:50.000', 'latency', 'latency{service=\"a\"}', 'a', 4),"
                            + " ('2026-11-02 10:00:55.000', 'latency', 'latency{service=\"a\"}', 'a', nan),"
                            + " ('2026-11-02 10:01:05.000', 'latency', 'latency{service=\"a\"}', 'a', 10)");
            try (ResultSet rs =
                    st.executeQuery(
                            "SELECT toString(minute), countMerge(samples), min(min_value),"
                                    + " max(max_value), avgMerge(avg_value),"
                                    + " quantileTDigestMerge(0.99)(p99_value)"
                                    + " FROM metric_rollups GROUP BY minute ORDER BY minute")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("2026-11-02 10:00:00");
                assertThat(rs.getLong(2)).isEqualTo(4);
                assertThat(rs.getDouble(3)).isEqualTo(1.0);
                assertThat(rs.getDouble(4)).isEqualTo(4.0);
                assertThat(rs.getDouble(5)).isEqualTo(2.5);
                assertThat(rs.getDouble(6)).isBetween(3.9, 4.0);
                rs.next();
                assertThat(rs.getLong(2)).isEqualTo(1);
                assertThat(rs.getDouble(5)).isEqualTo(10.0);
                assertThat(rs.next()).isFalse();
            }
            for (int i = 0; i < 2; i++) {
                st.execute(
                        "INSERT INTO anomalies (detected_at, metric, series, service, domain,"
                                + " detector, score, value, expected) VALUES ('2026-11-02"
                                + " 10:01:05.000', 'latency', 'latency{service=\"a\"}', 'a',"
                                + " 'prod', 'ewma', 7.5, 10, 2.5)");
            }
            assertThat(count(st, "SELECT count() FROM anomalies FINAL")).isEqualTo(1);
        }
    }

    @Test
    void theReportPrintsEveryQuestion() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Report.print(runner, FROM, TO, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String report = bytes.toString(StandardCharsets.UTF_8);
        System.out.println(report);
        for (Report.Section s : Report.SECTIONS) {
            assertThat(report).contains(s.heading());
        }
        assertThat(report)
                .contains("== Tocsin report: 2026-11-02 00:00 to 2026-11-16 00:00 UTC")
                .doesNotContain("(no rows)");
    }
}

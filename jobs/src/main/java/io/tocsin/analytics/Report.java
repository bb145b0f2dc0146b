package io.tocsin.analytics;

import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The analyst report behind {@code tocsin report}: every saved query for one time range, printed as
 * readable tables in the order of the questions (recurrence, response times, escalation, noise,
 * load, changes).
 */
public final class Report {

    private static final DateTimeFormatter DATETIME64_3 =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SHOWN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    /** One table of the report: a saved query with fixed extra parameters and a heading. */
    public record Section(String heading, String query, Map<String, String> parameters) {}

    /** The report's tables, in order. */
    public static final List<Section> SECTIONS =
            List.of(
                    new Section(
                            "Recurrence: incidents per week", "01_incidents_per_week", Map.of()),
                    new Section("Recurrence: trend per week", "02_recurrence_trend", Map.of()),
                    new Section(
                            "Recurrence: top recurring root causes",
                            "03_top_recurring_root_causes",
                            Map.of()),
                    new Section(
                            "Response times by severity (seconds)",
                            "04_response_times",
                            Map.of("by", "severity")),
                    new Section(
                            "Response times by team (seconds)",
                            "04_response_times",
                            Map.of("by", "team")),
                    new Section(
                            "Response times by service (seconds)",
                            "04_response_times",
                            Map.of("by", "service")),
                    new Section("Escalation: re-escalations", "05_re_escalations", Map.of()),
                    new Section("Escalation: downgrades", "06_downgrades", Map.of()),
                    new Section(
                            "Escalation: incidents that bypassed the escalation path",
                            "07_escalation_bypasses",
                            Map.of()),
                    new Section(
                            "Escalation: share of incidents that bypassed the path",
                            "20_bypass_share",
                            Map.of()),
                    new Section(
                            "Escalation: re-escalations per service",
                            "19_re_escalations_per_service",
                            Map.of()),
                    new Section(
                            "Escalation: upgrades and mean time to upgrade",
                            "18_upgrades",
                            Map.of()),
                    new Section("Escalation: SLA breaches", "08_sla_breaches", Map.of()),
                    new Section("Noise: alerts per incident", "09_alerts_per_incident", Map.of()),
                    new Section(
                            "Noise: suppressed share per rule",
                            "10_suppressed_share_by_rule",
                            Map.of()),
                    new Section("Noise: flapping alerts", "11_flapping_alerts", Map.of()),
                    new Section("Noise: noisiest alert rules", "12_noisiest_alert_rules", Map.of()),
                    new Section(
                            "Noise: dead letters by reason", "13_dead_letters_by_reason", Map.of()),
                    new Section("Load: per team", "14_load_per_team", Map.of()),
                    new Section("Load: per on-call person", "15_load_per_oncall", Map.of()),
                    new Section(
                            "Changes: incidents per change", "16_incidents_per_change", Map.of()),
                    new Section(
                            "Changes: change failure rate per service and author team",
                            "17_change_failure_rate",
                            Map.of()),
                    new Section(
                            "Outcome: false-positive and duplicate rate per alert rule",
                            "21_false_positive_rate",
                            Map.of()),
                    new Section(
                            "Outcome: incidents by impact class", "22_impact_classes", Map.of()));

    private Report() {}

    /** The parameters every saved query takes for the range [from, to). */
    public static Map<String, String> rangeParameters(Instant from, Instant to) {
        Map<String, String> p = new HashMap<>();
        p.put("from", DATETIME64_3.format(from));
        p.put("to", DATETIME64_3.format(to));
        return p;
    }

    /** Runs one section for the range. */
    public static ResultTable run(QueryRunner runner, Section section, Instant from, Instant to)
            throws SQLException {
        Map<String, String> p = rangeParameters(from, to);
        p.putAll(section.parameters());
        return runner.run(SavedQuery.load(section.query()), p);
    }

    /** Prints every section for [from, to). */
    public static void print(QueryRunner runner, Instant from, Instant to, PrintStream out)
            throws SQLException {
        print(runner, SECTIONS, from, to, out);
    }

    public static void print(
            QueryRunner runner, List<Section> sections, Instant from, Instant to, PrintStream out)
            throws SQLException {
        out.println(
                "== Tocsin report: "
                        + SHOWN.format(from)
                        + " to "
                        + SHOWN.format(to)
                        + " UTC (incidents opened, alerts and dead letters received in the range) ==");
        for (Section s : sections) {
            ResultTable t = run(runner, s, from, to);
            if (s.parameters().containsKey("by")) {
                t = t.renameColumn("breakdown", s.parameters().get("by"));
            }
            out.println();
            out.println(s.heading() + "   [sql/queries/" + s.query() + ".sql]");
            t.print(out, "  ");
        }
    }
}

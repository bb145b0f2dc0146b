package io.tocsin.analytics;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One analyst question as a file under {@code sql/queries} (bundled in the jar): a one-line purpose
 * comment, the SQL with ClickHouse query parameters ({@code {from:DateTime64(3)}}, bound by the
 * server, never spliced into the text), and example output in a trailing comment.
 *
 * @param name file name without {@code .sql}, e.g. {@code 01_incidents_per_week}
 * @param purpose the first comment line
 * @param sql the statement, comments and the trailing semicolon removed
 * @param parameters parameter name to ClickHouse type, in order of first use
 */
public record SavedQuery(String name, String purpose, String sql, Map<String, String> parameters) {

    private static final Pattern PARAMETER = Pattern.compile("\\{(\\w+):([^}]+)}");

    /** Every saved query, in file order; SavedQueriesTest keeps this list and the folder equal. */
    public static final List<String> NAMES =
            List.of(
                    "01_incidents_per_week",
                    "02_recurrence_trend",
                    "03_top_recurring_root_causes",
                    "04_response_times",
                    "05_re_escalations",
                    "06_downgrades",
                    "07_escalation_bypasses",
                    "08_sla_breaches",
                    "09_alerts_per_incident",
                    "10_suppressed_share_by_rule",
                    "11_flapping_alerts",
                    "12_noisiest_alert_rules",
                    "13_dead_letters_by_reason",
                    "14_load_per_team",
                    "15_load_per_oncall",
                    "16_incidents_per_change",
                    "17_change_failure_rate",
                    "18_upgrades",
                    "19_re_escalations_per_service",
                    "20_bypass_share",
                    "21_false_positive_rate",
                    "22_impact_classes");

    public static List<SavedQuery> all() {
        List<SavedQuery> out = new ArrayList<>();
        for (String n : NAMES) {
            out.add(load(n));
        }
        return out;
    }

    /** Reads {@code sql/queries/NAME.sql} from the classpath. */
    public static SavedQuery load(String name) {
        String resource = "sql/queries/" + name + ".sql";
        try (InputStream in = SavedQuery.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException(
                        "no saved query " + name + " (" + resource + " is not on the classpath)");
            }
            return parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }

    static SavedQuery parse(String name, String text) {
        List<String> lines = text.lines().toList();
        if (lines.isEmpty() || !lines.get(0).startsWith("--")) {
            throw new IllegalArgumentException(
                    name + ".sql: the first line must be a '-- purpose' comment");
        }
        String purpose = lines.get(0).substring(2).strip();
        StringBuilder sql = new StringBuilder();
        for (String line : lines) {
            if (!line.strip().startsWith("--")) {
                sql.append(line).append('\n');
            }
        }
        String s = sql.toString().strip();
        if (s.endsWith(";")) {
            s = s.substring(0, s.length() - 1).strip();
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException(name + ".sql: holds no statement");
        }
        Map<String, String> params = new LinkedHashMap<>();
        Matcher m = PARAMETER.matcher(s);
        while (m.find()) {
            String previous = params.putIfAbsent(m.group(1), m.group(2).strip());
            if (previous != null && !previous.equals(m.group(2).strip())) {
                throw new IllegalArgumentException(
                        name
                                + ".sql: parameter "
                                + m.group(1)
                                + " used as both "
                                + previous
                                + " and "
                                + m.group(2));
            }
        }
        return new SavedQuery(name, purpose, s, Map.copyOf(params));
    }
}

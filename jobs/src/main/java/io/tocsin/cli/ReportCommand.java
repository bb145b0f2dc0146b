package io.tocsin.cli;

import io.tocsin.analytics.QueryRunner;
import io.tocsin.analytics.Report;
import io.tocsin.analytics.ServiceCatalog;
import io.tocsin.config.ClickHouseSettings;
import io.tocsin.config.TopologyLoader;
import io.tocsin.sink.ClickHouseMigrator;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code tocsin report}: runs every saved query under sql/queries for a time range and prints
 * readable tables (recurrence, response times, escalation, noise, load).
 */
final class ReportCommand {

    static final String USAGE =
            """
            Usage: tocsin report [--from T] [--to T] [--clickhouse JDBC_URL] [--database DB]
                                 [--topology F.json] [--only NAME[,NAME...]]

            Prints the analyst report for incidents opened (and alerts and dead letters received)
            in [from, to), read from ClickHouse with the saved queries in sql/queries.

              --from T              start, inclusive: 2026-11-02 or 2026-11-02T09:00:00Z (UTC;
                                    default: 28 days before --to)
              --to T                end, exclusive (default: now)
              --clickhouse JDBC_URL default: $TOCSIN_CLICKHOUSE_URL or
                                    jdbc:clickhouse://127.0.0.1:8123/default?compress=false;
                                    credentials from TOCSIN_CLICKHOUSE_USER and
                                    TOCSIN_CLICKHOUSE_PASSWORD or TOCSIN_CLICKHOUSE_PASSWORD_FILE
              --database DB         read this database instead of the URL's (e.g. tocsin_demo)
              --topology F.json     load the services' teams from this topology file first
                                    (teams are kept in the services table)
              --only NAMES          only these saved queries, e.g. 04_response_times,14_load_per_team
            """;

    private ReportCommand() {}

    static int run(List<String> argv, PrintStream out) throws Exception {
        return run(argv, System.getenv(), out);
    }

    static int run(List<String> argv, Map<String, String> env, PrintStream out) throws Exception {
        Args a =
                Args.parse(
                        "report",
                        argv,
                        Set.of("from", "to", "clickhouse", "database", "topology", "only"),
                        Set.of());
        if (a.help()) {
            out.print(USAGE);
            return 0;
        }
        Instant to = a.get("to", null) == null ? Instant.now() : time(a.get("to", null), "to");
        Instant from =
                a.get("from", null) == null
                        ? to.minus(28, ChronoUnit.DAYS)
                        : time(a.get("from", null), "from");
        if (!from.isBefore(to)) {
            throw new Args.UsageException("report: --from must be before --to");
        }
        String url =
                a.get(
                        "clickhouse",
                        env.getOrDefault(
                                "TOCSIN_CLICKHOUSE_URL",
                                "jdbc:clickhouse://127.0.0.1:8123/default?compress=false"));
        if (a.get("database", null) != null) {
            url = DemoDatabase.withDatabase(url, a.get("database", null));
        }
        ClickHouseSettings ch = ClickHouseSettings.fromEnvironment(url, env);
        // The report reads views and rollups from the migrations: bring an older database up to
        // date first (a read-only user cannot, and then gets the report as far as it goes).
        try {
            List<String> applied = new ClickHouseMigrator(ch).migrate();
            if (!applied.isEmpty()) {
                out.println("report: applied migrations " + applied);
            }
        } catch (SQLException e) {
            out.println("report: could not apply migrations (" + e.getMessage() + ")");
        }
        Path topology = a.optionalFile("topology");
        if (topology != null) {
            int n = ServiceCatalog.load(ch, TopologyLoader.load(topology));
            out.println("report: loaded " + n + " services from " + topology);
        }
        List<Report.Section> sections = Report.SECTIONS;
        String only = a.get("only", null);
        if (only != null) {
            Set<String> names = Set.of(only.split(","));
            sections = sections.stream().filter(s -> names.contains(s.query())).toList();
            if (sections.isEmpty()) {
                throw new Args.UsageException(
                        "report: --only matches no saved query (names look like 04_response_times)");
            }
        }
        try (QueryRunner runner = new QueryRunner(ch)) {
            Report.print(runner, sections, from, to, out);
        } catch (SQLException e) {
            out.println();
            out.println("report: " + e.getMessage());
            return 1;
        }
        return 0;
    }

    /** An ISO instant, or a date meaning its midnight UTC. */
    static Instant time(String value, String option) {
        try {
            return value.length() == 10
                    ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new Args.UsageException(
                    "report: --"
                            + option
                            + " '"
                            + value
                            + "' is not a date (2026-11-02) or a UTC time (2026-11-02T09:00:00Z)");
        }
    }
}

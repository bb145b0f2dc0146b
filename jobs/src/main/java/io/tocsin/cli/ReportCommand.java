package io.tocsin.cli;

import io.tocsin.analytics.QueryRunner;
import io.tocsin.analytics.Report;
import io.tocsin.config.CatalogReader;
import io.tocsin.config.ClickHouseSettings;
import io.tocsin.config.TopologyLoader;
import io.tocsin.sink.ClickHouseMigrator;
import io.tocsin.sink.ServicesTable;
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
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code tocsin report}: runs every saved query under sql/queries for a time range and prints
 * readable tables (recurrence, response times, escalation, noise, load).
 */
@Command(
        name = "report",
        header = "print the analyst report (sql/queries) for a time range",
        sortOptions = false,
        description = {
            "Prints the analyst report for incidents opened (and alerts and dead letters received)",
            "in [from, to), read from ClickHouse with the saved queries in sql/queries.",
            ""
        })
final class ReportCommand implements Callable<Integer> {

    @Mixin HelpOption help;

    @Spec CommandSpec spec;

    @Option(
            names = "--from",
            paramLabel = "T",
            converter = UtcTime.class,
            description = {
                "start, inclusive: 2026-11-02 or 2026-11-02T09:00:00Z (UTC;",
                "default: 28 days before --to)"
            })
    Instant from;

    @Option(
            names = "--to",
            paramLabel = "T",
            converter = UtcTime.class,
            description = "end, exclusive (default: now)")
    Instant to;

    @Option(
            names = "--clickhouse",
            paramLabel = "JDBC_URL",
            description = {
                "default: $TOCSIN_CLICKHOUSE_URL or",
                LiveOptions.DEFAULT_CLICKHOUSE_URL + ";",
                "credentials from TOCSIN_CLICKHOUSE_USER and",
                "TOCSIN_CLICKHOUSE_PASSWORD or TOCSIN_CLICKHOUSE_PASSWORD_FILE"
            })
    String clickHouse;

    @Option(
            names = "--database",
            paramLabel = "DB",
            description = "read this database instead of the URL's (e.g. tocsin_demo)")
    String database;

    @Option(
            names = "--topology",
            paramLabel = "F.json",
            converter = ExistingFile.class,
            description = {
                "load the services' teams from this topology file first",
                "(teams are kept in the services table)"
            })
    Path topology;

    @Option(
            names = "--catalog",
            paramLabel = "F.yaml",
            converter = ExistingFile.class,
            description = {
                "load the service catalog (owner team, schedule, runbook, tiers,",
                "region, vendor) into the services table first"
            })
    Path catalog;

    @Option(
            names = "--only",
            paramLabel = "NAME[,NAME...]",
            description = "only these saved queries, e.g. 04_response_times,14_load_per_team")
    String only;

    private final PrintStream out;

    ReportCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        Map<String, String> env = System.getenv();
        Instant to = this.to == null ? Instant.now() : this.to;
        Instant from = this.from == null ? to.minus(28, ChronoUnit.DAYS) : this.from;
        if (!from.isBefore(to)) {
            throw new ParameterException(spec.commandLine(), "--from must be before --to");
        }
        String url =
                clickHouse != null
                        ? clickHouse
                        : env.getOrDefault(
                                "TOCSIN_CLICKHOUSE_URL", LiveOptions.DEFAULT_CLICKHOUSE_URL);
        if (database != null) {
            url = DemoDatabase.withDatabase(url, database);
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
        if (topology != null) {
            int n = ServicesTable.writeTopology(ch, TopologyLoader.load(topology));
            out.println("report: loaded " + n + " services from " + topology);
        }
        if (catalog != null) {
            // Schedules are the policy's, which the report does not read: not checked here.
            int n =
                    ServicesTable.writeCatalog(
                            ch, CatalogReader.load(catalog, null), Instant.now());
            out.println(
                    n < 0
                            ? "report: a newer catalog is in the services table; "
                                    + catalog
                                    + " left out"
                            : "report: loaded the catalog from " + catalog + " (" + n + " rows)");
        }
        List<Report.Section> sections = Report.SECTIONS;
        if (only != null) {
            Set<String> names = Set.of(only.split(","));
            sections = sections.stream().filter(s -> names.contains(s.query())).toList();
            if (sections.isEmpty()) {
                throw new ParameterException(
                        spec.commandLine(),
                        "--only matches no saved query (names look like 04_response_times)");
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
    static final class UtcTime implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return value.length() == 10
                        ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
                        : Instant.parse(value);
            } catch (DateTimeParseException e) {
                throw new TypeConversionException(
                        "'"
                                + value
                                + "' is not a date (2026-11-02) or a UTC time (2026-11-02T09:00:00Z)");
            }
        }
    }
}

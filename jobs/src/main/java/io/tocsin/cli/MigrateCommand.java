package io.tocsin.cli;

import io.tocsin.config.ClickHouseSettings;
import io.tocsin.sink.ClickHouseMigrator;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/** {@code tocsin migrate}: applies the ClickHouse migrations that have not run yet. */
final class MigrateCommand {

    static final String USAGE =
            """
            Usage: tocsin migrate [--clickhouse JDBC_URL] [--cluster]

            Applies sql/migrations/*.sql in order, each once (recorded in schema_migrations).
            --cluster: the server is a node of a replicated cluster ({cluster}, {shard} and
            {replica} macros): applies sql/cluster/schema.sql (ON CLUSTER, idempotent) instead.
            The tables' TTL is TOCSIN_CLICKHOUSE_RETENTION_DAYS (default 365) from each row's
            event time, fixed at migration: a database for older history needs a larger one.
            """;

    private MigrateCommand() {}

    static int run(List<String> argv, PrintStream out) throws Exception {
        Args a = Args.parse("migrate", argv, Set.of("clickhouse"), Set.of("cluster"));
        if (a.help()) {
            out.print(USAGE);
            return 0;
        }
        String url =
                a.get(
                        "clickhouse",
                        System.getenv()
                                .getOrDefault(
                                        "TOCSIN_CLICKHOUSE_URL",
                                        "jdbc:clickhouse://127.0.0.1:8123/default?compress=false"));
        ClickHouseMigrator migrator =
                new ClickHouseMigrator(ClickHouseSettings.fromEnvironment(url, System.getenv()));
        if (a.flag("cluster")) {
            out.println("migrate: ran " + migrator.applyClusterSchema() + " cluster statements");
            return 0;
        }
        List<String> applied = migrator.migrate();
        out.println(applied.isEmpty() ? "migrate: up to date" : "migrate: applied " + applied);
        return 0;
    }
}

package io.tocsin.cli;

import io.tocsin.config.ClickHouseSettings;
import io.tocsin.sink.ClickHouseMigrator;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tocsin migrate}: applies the ClickHouse migrations that have not run yet. */
@Command(
        name = "migrate",
        header = "apply the ClickHouse migrations under sql/migrations",
        sortOptions = false,
        description = {
            "Applies sql/migrations/*.sql in order, each once (recorded in schema_migrations).",
            "The tables' TTL is TOCSIN_CLICKHOUSE_RETENTION_DAYS (default 365) from each row's",
            "event time, fixed at migration: a database for older history needs a larger one.",
            ""
        })
final class MigrateCommand implements Callable<Integer> {

    @Mixin HelpOption help;

    @Option(
            names = "--clickhouse",
            paramLabel = "JDBC_URL",
            description = {
                "ClickHouse JDBC URL (default: $TOCSIN_CLICKHOUSE_URL or",
                LiveOptions.DEFAULT_CLICKHOUSE_URL + ")"
            })
    String url;

    @Option(
            names = "--cluster",
            description = {
                "the server is a node of a replicated cluster ({cluster}, {shard} and",
                "{replica} macros): applies sql/cluster/schema.sql (ON CLUSTER, idempotent)",
                "instead"
            })
    boolean cluster;

    private final PrintStream out;

    MigrateCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        String jdbc =
                url != null
                        ? url
                        : System.getenv()
                                .getOrDefault(
                                        "TOCSIN_CLICKHOUSE_URL",
                                        LiveOptions.DEFAULT_CLICKHOUSE_URL);
        ClickHouseMigrator migrator =
                new ClickHouseMigrator(ClickHouseSettings.fromEnvironment(jdbc, System.getenv()));
        if (cluster) {
            out.println("migrate: ran " + migrator.applyClusterSchema() + " cluster statements");
            return 0;
        }
        List<String> applied = migrator.migrate();
        out.println(applied.isEmpty() ? "migrate: up to date" : "migrate: applied " + applied);
        return 0;
    }
}

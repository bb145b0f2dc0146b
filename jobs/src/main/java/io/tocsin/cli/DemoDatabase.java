package io.tocsin.cli;

import io.tocsin.config.ClickHouseSettings;
import io.tocsin.sink.ClickHouseMigrator;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** The ClickHouse database {@code tocsin demo} writes to, recreated on every run. */
final class DemoDatabase {

    static final String NAME = "tocsin_demo";

    private DemoDatabase() {}

    /** Recreates the demo database so the summary shows this run only, and migrates it. */
    static ClickHouseSettings recreate(ClickHouseSettings base, PrintStream out)
            throws SQLException {
        try (Connection c = DriverManager.getConnection(base.url(), base.jdbcProperties());
                Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + NAME);
            st.execute("CREATE DATABASE " + NAME);
        }
        ClickHouseSettings ch =
                new ClickHouseSettings(
                        withDatabase(base.url(), NAME),
                        base.user(),
                        base.password(),
                        base.batchRows(),
                        base.flushInterval(),
                        base.maxAttempts(),
                        base.retentionDays());
        List<String> applied = new ClickHouseMigrator(ch).migrate();
        out.println("demo: ClickHouse database " + NAME + " migrated " + applied);
        return ch;
    }

    /** The ClickHouse JDBC URL {@code url} with its database replaced by {@code db}. */
    static String withDatabase(String url, String db) {
        int q = url.indexOf('?');
        String base = q < 0 ? url : url.substring(0, q);
        String params = q < 0 ? "" : url.substring(q);
        int slash = base.indexOf('/', "jdbc:clickhouse://".length());
        return (slash < 0 ? base : base.substring(0, slash)) + "/" + db + params;
    }
}

package io.tocsin.sink;

import io.tocsin.config.ClickHouseSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Applies the numbered migrations under {@code sql/migrations} (bundled in the jar) in order, each
 * once: {@code schema_migrations} records what ran, with a checksum, and a migration whose text
 * changed after it ran is an error (write a new migration instead). {@code {{name}}} placeholders
 * (e.g. retention_days) are substituted before running.
 */
public final class ClickHouseMigrator {

    /** Migration files, in order. Add new ones at the end; never edit one that has shipped. */
    public static final List<String> MIGRATIONS =
            List.of(
                    "001_alerts.sql",
                    "002_incident_events.sql",
                    "003_incidents.sql",
                    "004_dead_letters.sql",
                    "005_alert_marks.sql",
                    "006_services.sql",
                    "007_sla_targets.sql",
                    "008_anomalies.sql",
                    "009_metric_rollups.sql",
                    "010_incident_facts.sql",
                    "011_alert_noise_hourly.sql",
                    "012_anomaly_level.sql",
                    "013_changes.sql",
                    "014_service_catalog.sql",
                    "015_status_updates.sql",
                    "016_escalation_paths.sql",
                    "017_dispositions.sql");

    private final ClickHouseSettings settings;

    public ClickHouseMigrator(ClickHouseSettings settings) {
        this.settings = settings;
    }

    /** Runs what has not run yet; returns the names applied now. */
    public List<String> migrate() throws SQLException {
        List<String> applied = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(settings.url(), settings.jdbcProperties());
                Statement st = c.createStatement()) {
            st.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (version UInt32, name String,"
                            + " checksum String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3))"
                            + " ENGINE = MergeTree ORDER BY version");
            Map<Integer, String> done = new TreeMap<>();
            try (ResultSet rs =
                    st.executeQuery("SELECT version, checksum FROM schema_migrations")) {
                while (rs.next()) {
                    done.put(rs.getInt(1), rs.getString(2));
                }
            }
            for (String name : MIGRATIONS) {
                int version = Integer.parseInt(name.substring(0, 3));
                String text = substitute(read(name));
                String checksum = sha256(text);
                String previous = done.get(version);
                if (previous != null) {
                    if (!previous.equals(checksum)) {
                        throw new SQLException(
                                "migration "
                                        + name
                                        + " changed after it was applied (checksum "
                                        + previous
                                        + " in schema_migrations, "
                                        + checksum
                                        + " now): add a new migration instead");
                    }
                    continue;
                }
                for (String statement : statements(text)) {
                    try {
                        st.execute(statement);
                    } catch (SQLException e) {
                        throw new SQLException(
                                "migration " + name + " failed: " + e.getMessage(), e);
                    }
                }
                try (PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO schema_migrations (version, name, checksum) VALUES (?, ?, ?)")) {
                    ps.setInt(1, version);
                    ps.setString(2, name);
                    ps.setString(3, checksum);
                    ps.executeUpdate();
                }
                applied.add(name);
            }
        }
        return applied;
    }

    /**
     * For a replicated, sharded ClickHouse cluster: applies sql/cluster/schema.sql (bundled in the
     * jar), the cluster counterpart of every migration (ClusterSchemaTest keeps the two equal).
     * Every statement is {@code IF NOT EXISTS ... ON CLUSTER '{cluster}'}, so this runs on every
     * start; the servers need the {cluster}, {shard} and {replica} macros. Returns the number of
     * statements run.
     */
    public int applyClusterSchema() throws SQLException {
        String text;
        try (InputStream in =
                ClickHouseMigrator.class
                        .getClassLoader()
                        .getResourceAsStream("sql/cluster/schema.sql")) {
            if (in == null) {
                throw new IllegalStateException("sql/cluster/schema.sql is not on the classpath");
            }
            text = substitute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read sql/cluster/schema.sql", e);
        }
        List<String> all = statements(text);
        try (Connection c = DriverManager.getConnection(settings.url(), settings.jdbcProperties());
                Statement st = c.createStatement()) {
            for (String statement : all) {
                try {
                    st.execute(statement);
                } catch (SQLException e) {
                    throw new SQLException(
                            "sql/cluster/schema.sql failed: " + e.getMessage() + "\n" + statement,
                            e);
                }
            }
        }
        return all.size();
    }

    private String substitute(String text) {
        return text.replace("{{retention_days}}", Integer.toString(settings.retentionDays()));
    }

    static String read(String name) {
        try (InputStream in =
                ClickHouseMigrator.class
                        .getClassLoader()
                        .getResourceAsStream("sql/migrations/" + name)) {
            if (in == null) {
                throw new IllegalStateException(
                        "migration sql/migrations/" + name + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read migration " + name, e);
        }
    }

    /** Splits a file at semicolons that end a line; comment-only chunks are skipped. */
    static List<String> statements(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            cur.append(line).append('\n');
            if (line.stripTrailing().endsWith(";")) {
                add(out, cur);
                cur.setLength(0);
            }
        }
        add(out, cur);
        return out;
    }

    private static void add(List<String> out, StringBuilder chunk) {
        StringBuilder sql = new StringBuilder();
        for (String line : chunk.toString().split("\n")) {
            if (!line.strip().startsWith("--")) {
                sql.append(line).append('\n');
            }
        }
        String s = sql.toString().strip();
        if (s.endsWith(";")) {
            s = s.substring(0, s.length() - 1).strip();
        }
        if (!s.isEmpty()) {
            out.add(s);
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

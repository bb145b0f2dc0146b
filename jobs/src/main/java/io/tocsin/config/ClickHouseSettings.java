package io.tocsin.config;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;

/**
 * Where and how to write to ClickHouse. Credentials come from the environment
 * (TOCSIN_CLICKHOUSE_USER, TOCSIN_CLICKHOUSE_PASSWORD or TOCSIN_CLICKHOUSE_PASSWORD_FILE), never
 * from the policy, and {@link #toString} never shows the password.
 *
 * @param url JDBC URL, e.g. jdbc:clickhouse://127.0.0.1:8123/default?compress=false
 * @param batchRows a batch is sent when it holds this many rows
 * @param flushInterval or when its oldest row is this old
 * @param maxAttempts attempts per batch before the sink fails (and Flink restarts it from the last
 *     checkpoint, so nothing is lost)
 * @param retentionDays substituted for {{retention_days}} in migrations
 */
public record ClickHouseSettings(
        String url,
        String user,
        String password,
        int batchRows,
        Duration flushInterval,
        int maxAttempts,
        int retentionDays)
        implements Serializable {

    /** Keeps {@code event time + retention} inside ClickHouse's DateTime range for decades. */
    public static final int MAX_RETENTION_DAYS = 20_000;

    public static ClickHouseSettings fromEnvironment(String url, Map<String, String> env) {
        String user = env.getOrDefault("TOCSIN_CLICKHOUSE_USER", "default");
        String password = env.getOrDefault("TOCSIN_CLICKHOUSE_PASSWORD", "");
        String file = env.get("TOCSIN_CLICKHOUSE_PASSWORD_FILE");
        if (file != null && !file.isBlank()) {
            try {
                password = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new ConfigException(
                        file,
                        "TOCSIN_CLICKHOUSE_PASSWORD_FILE",
                        "cannot read: " + e.getMessage(),
                        e);
            }
        }
        int retention = 365;
        String r = env.get("TOCSIN_CLICKHOUSE_RETENTION_DAYS");
        if (r != null) {
            try {
                retention = Integer.parseInt(r.trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(
                        "environment", "TOCSIN_CLICKHOUSE_RETENTION_DAYS", "not an integer: " + r);
            }
            if (retention < 1 || retention > MAX_RETENTION_DAYS) {
                throw new ConfigException(
                        "environment",
                        "TOCSIN_CLICKHOUSE_RETENTION_DAYS",
                        "must be between 1 and "
                                + MAX_RETENTION_DAYS
                                + " days (ClickHouse DateTime ends in 2106), got "
                                + retention);
            }
        }
        return new ClickHouseSettings(
                url, user, password, 5000, Duration.ofSeconds(1), 5, retention);
    }

    /** The same settings with another retention (a database that must hold older history). */
    public ClickHouseSettings withRetentionDays(int days) {
        return new ClickHouseSettings(
                url, user, password, batchRows, flushInterval, maxAttempts, days);
    }

    /**
     * These settings, with the retention raised if needed so that rows from {@code oldest} on stay
     * for at least 30 days after {@code now} (history loaded into a database of its own).
     */
    public ClickHouseSettings withRetentionCovering(Instant oldest, Instant now) {
        long needed = Duration.between(oldest, now).toDays() + 30;
        if (needed <= retentionDays) {
            return this;
        }
        if (needed > MAX_RETENTION_DAYS) {
            throw new IllegalArgumentException(
                    "cannot keep rows from "
                            + oldest
                            + ": more than "
                            + MAX_RETENTION_DAYS
                            + " days");
        }
        return withRetentionDays((int) needed);
    }

    public Properties jdbcProperties() {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        return p;
    }

    @Override
    public String toString() {
        return "ClickHouseSettings[url=" + url + ", user=" + user + ", password=***]";
    }
}

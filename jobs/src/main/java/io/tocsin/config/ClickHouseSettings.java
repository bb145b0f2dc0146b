package io.tocsin.config;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
        }
        return new ClickHouseSettings(
                url, user, password, 5000, Duration.ofSeconds(1), 5, retention);
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

package io.tocsin.analytics;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.client.api.query.QuerySettings;
import com.clickhouse.data.ClickHouseFormat;
import com.clickhouse.jdbc.ConnectionImpl;
import io.tocsin.config.ClickHouseSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs saved queries through the official driver, with their parameters bound by the server ({@code
 * param_<name>}), and returns the rows as ClickHouse formats them (TabSeparatedWithNames).
 */
public final class QueryRunner implements AutoCloseable {

    private final Connection connection;
    private final Client client;
    private final String database;

    public QueryRunner(ClickHouseSettings settings) throws SQLException {
        this.connection = DriverManager.getConnection(settings.url(), settings.jdbcProperties());
        this.client = connection.unwrap(ConnectionImpl.class).getClient();
        this.database = connection.getSchema();
    }

    /** Runs {@code query}; {@code values} must hold every parameter the query uses. */
    public ResultTable run(SavedQuery query, Map<String, String> values) throws SQLException {
        Map<String, Object> params = new LinkedHashMap<>();
        for (String p : query.parameters().keySet()) {
            String v = values.get(p);
            if (v == null) {
                throw new IllegalArgumentException(
                        "saved query "
                                + query.name()
                                + " needs parameter '"
                                + p
                                + "' ("
                                + query.parameters().get(p)
                                + ")");
            }
            params.put(p, v);
        }
        QuerySettings settings =
                new QuerySettings()
                        .setDatabase(database)
                        .setFormat(ClickHouseFormat.TabSeparatedWithNames);
        try (QueryResponse response =
                client.query(query.sql(), params, settings).get(5, TimeUnit.MINUTES)) {
            return parse(
                    new String(response.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new SQLException(
                    "saved query " + query.name() + " failed: " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while running " + query.name(), e);
        } catch (TimeoutException | IOException e) {
            throw new SQLException("saved query " + query.name() + " failed: " + e, e);
        } catch (Exception e) {
            throw new SQLException("saved query " + query.name() + " failed: " + e, e);
        }
    }

    static ResultTable parse(String tsv) {
        List<String> lines = new ArrayList<>(Arrays.asList(tsv.split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        if (lines.isEmpty()) {
            return new ResultTable(List.of(), List.of());
        }
        List<String> columns = cells(lines.get(0));
        List<List<String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            rows.add(cells(line));
        }
        return new ResultTable(columns, rows);
    }

    private static List<String> cells(String line) {
        List<String> out = new ArrayList<>();
        for (String raw : line.split("\t", -1)) {
            out.add(raw.equals("\\N") ? null : unescape(raw));
        }
        return out;
    }

    /** TabSeparated escapes: backslash sequences for control characters and the backslash. */
    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                sb.append(c);
                continue;
            }
            char n = s.charAt(++i);
            sb.append(
                    switch (n) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        case 'r' -> '\r';
                        case 'b' -> '\b';
                        case 'f' -> '\f';
                        case '0' -> '\0';
                        default -> n;
                    });
        }
        return sb.toString();
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}

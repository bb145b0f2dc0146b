package io.tocsin.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;

/**
 * The board's history: incidents from ClickHouse's {@code incidents} table (the fold of every
 * incident event the job wrote), searched by service, alert name (through {@code incident_events})
 * and opening time over ClickHouse's HTTP interface. Search terms are bound as query parameters
 * ({@code param_*}), never spliced into the SQL. Credentials come from {@code
 * TOCSIN_CLICKHOUSE_USER} / {@code TOCSIN_CLICKHOUSE_PASSWORD}, as for the job.
 */
final class BoardHistory implements AutoCloseable {

    static final int LIMIT = 200;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter CH_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private final URI base;
    private final String database;
    private final String user;
    private final String password;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    BoardHistory(URI base, String database, String user, String password) {
        this.base = base;
        this.database = database;
        this.user = user;
        this.password = password;
    }

    static BoardHistory fromEnv(URI base, String database) {
        return new BoardHistory(
                base,
                database,
                System.getenv("TOCSIN_CLICKHOUSE_USER"),
                System.getenv("TOCSIN_CLICKHOUSE_PASSWORD"));
    }

    String sql(BoardQuery q) {
        StringJoiner where = new StringJoiner(" AND ");
        where.add("1");
        if (q.service() != null) {
            where.add(
                    "arrayExists(s -> positionCaseInsensitiveUTF8(s, {service:String}) > 0,"
                            + " services)");
        }
        if (q.alert() != null) {
            where.add(
                    "incident_id IN (SELECT incident_id FROM incident_events WHERE"
                            + " positionCaseInsensitiveUTF8(ifNull(alertname, ''), {alert:String})"
                            + " > 0)");
        }
        if (q.from() != null) {
            where.add("opened_at >= toDateTime64({from:String}, 3, 'UTC')");
        }
        if (q.to() != null) {
            where.add("opened_at < toDateTime64({to:String}, 3, 'UTC')");
        }
        return "SELECT incident_id, severity, status, title, services, root_cause_service,"
                + " alert_count, toString(opened_at) AS opened, toString(resolved_at) AS resolved"
                + " FROM incidents FINAL WHERE "
                + where
                + " ORDER BY opened_at DESC LIMIT "
                + LIMIT
                + " FORMAT JSONEachRow";
    }

    CompletableFuture<List<Map<String, Object>>> search(BoardQuery q) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("database", database);
        if (q.service() != null) {
            params.put("param_service", q.service());
        }
        if (q.alert() != null) {
            params.put("param_alert", q.alert());
        }
        if (q.from() != null) {
            params.put("param_from", CH_TIME.format(q.from()));
        }
        if (q.to() != null) {
            params.put("param_to", CH_TIME.format(q.to()));
        }
        StringJoiner query = new StringJoiner("&");
        params.forEach((k, v) -> query.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpRequest.Builder b =
                HttpRequest.newBuilder(base.resolve("/?" + query))
                        .timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString(sql(q)));
        if (user != null) {
            b.header("X-ClickHouse-User", user);
        }
        if (password != null) {
            b.header("X-ClickHouse-Key", password);
        }
        return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(
                        r -> {
                            if (r.statusCode() != 200) {
                                String body = r.body().strip();
                                throw new IllegalStateException(
                                        "ClickHouse answered "
                                                + r.statusCode()
                                                + ": "
                                                + (body.length() > 300
                                                        ? body.substring(0, 300) + "..."
                                                        : body));
                            }
                            return rows(r.body());
                        });
    }

    private static List<Map<String, Object>> rows(String body) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n;
            try {
                n = JSON.readTree(line);
            } catch (Exception e) {
                throw new IllegalStateException("ClickHouse answered a line that is not JSON");
            }
            Map<String, Object> m = new LinkedHashMap<>();
            String id = n.path("incident_id").asText();
            m.put("id", id);
            m.put("href", "/board/incident/" + BoardPages.pathSegment(id));
            String sev = n.path("severity").asText();
            m.put("severity", sev);
            m.put("sevClass", "sev-" + sev.toLowerCase(Locale.ROOT));
            m.put("status", n.path("status").asText());
            m.put("title", n.path("title").asText());
            List<String> services = new ArrayList<>();
            n.path("services").forEach(s -> services.add(s.asText()));
            m.put("services", services);
            m.put(
                    "rootCause",
                    n.path("root_cause_service").isNull()
                            ? null
                            : n.path("root_cause_service").asText(null));
            m.put("alertCount", n.path("alert_count").asInt());
            m.put("openedAt", n.path("opened").asText());
            String resolved = n.path("resolved").asText("");
            m.put("resolvedAt", resolved.isEmpty() || resolved.equals("\\N") ? null : resolved);
            out.add(m);
        }
        return out;
    }

    @Override
    public void close() {}
}

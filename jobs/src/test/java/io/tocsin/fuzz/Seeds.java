package io.tocsin.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Valid records of each input, the fuzz test's starting points. */
final class Seeds {

    private Seeds() {}

    private static final String FIRING =
            "{\"status\":\"firing\",\"labels\":{\"alertname\":\"HighErrorRate\",\"service\":\"checkout\","
                    + "\"severity\":\"critical\",\"instance\":\"i-1\"},\"annotations\":{\"summary\":\"errors"
                    + " above 5%\",\"runbook\":\"https://runbooks/errors\"},\"startsAt\":\"2026-11-02T02:00:00Z\","
                    + "\"endsAt\":\"0001-01-01T00:00:00Z\",\"generatorURL\":\"http://prom/graph?g0.expr=x\","
                    + "\"fingerprint\":\"a1b2c3\"}";

    private static final String RESOLVED =
            "{\"status\":\"resolved\",\"labels\":{\"alertname\":\"DiskFull\",\"service\":\"db\",\"severity\":\"warning\"},"
                    + "\"annotations\":{},\"startsAt\":\"2026-11-02T01:00:00.5Z\",\"endsAt\":\"2026-11-02T02:30:00+01:00\"}";

    private static final String BARE =
            "{\"labels\":{\"alertname\":\"Latency\",\"service\":\"api\",\"priority\":\"P2\"},"
                    + "\"startsAt\":\"2026-11-02T02:05:00Z\",\"receivedAt\":\"2026-11-02T02:05:01Z\"}";

    static List<byte[]> webhooks() {
        return List.of(
                bytes(
                        "{\"receiver\":\"tocsin\",\"status\":\"firing\",\"alerts\":["
                                + FIRING
                                + ","
                                + RESOLVED
                                + "],\"groupLabels\":{\"alertname\":\"HighErrorRate\"},"
                                + "\"commonLabels\":{},\"commonAnnotations\":{},\"externalURL\":\"http://am\","
                                + "\"version\":\"4\",\"groupKey\":\"{}:{}\",\"truncatedAlerts\":0}"),
                bytes("{\"version\":\"4\",\"status\":\"firing\",\"alerts\":[" + BARE + "]}"));
    }

    static List<byte[]> alertsJson() {
        return List.of(
                bytes(FIRING),
                bytes(RESOLVED),
                bytes(BARE),
                bytes("[" + FIRING + "," + BARE + "]"));
    }

    static List<byte[]> pointsJson() {
        return List.of(
                bytes(
                        "{\"metric\":\"http_request_errors_ratio\",\"labels\":{\"service\":\"checkout\","
                                + "\"instance\":\"i-1\"},\"value\":0.42,\"timestamp\":\"2026-11-02T02:00:00Z\"}"),
                bytes(
                        "{\"metric\":\"latency_p99_seconds\",\"labels\":{\"service\":\"api\"},\"value\":\"1.5\","
                                + "\"timestamp\":1762048800000}"),
                bytes(
                        "{\"metric\":\"up\",\"value\":null,\"timestamp\":\"2026-11-02T02:00:15.250Z\"}"));
    }

    static List<byte[]> changesJson() {
        return List.of(
                bytes(
                        "{\"changeId\":\"d-1\",\"service\":\"users-pg\",\"kind\":\"deploy\",\"version\":\"v42\","
                                + "\"author\":\"alice\",\"authorTeam\":\"team-data\",\"time\":\"2026-11-02T01:55:00Z\","
                                + "\"link\":\"https://ci.example/deploys/1\"}"),
                bytes(
                        "{\"changeId\":\"d-2\",\"service\":\"checkout-api\",\"kind\":\"config\",\"from\":\"a\","
                                + "\"to\":\"b\",\"author\":\"bob\",\"time\":1762048800000}"),
                bytes(
                        "{\"changeId\":\"d-3\",\"service\":\"new-svc\",\"kind\":\"feature_flag\","
                                + "\"version\":\"on\",\"time\":\"2026-11-02T02:00:00Z\"}"));
    }

    static List<byte[]> commandsJson() {
        return List.of(
                bytes(
                        "{\"commandId\":\"c-1\",\"incidentId\":\"INC-1\",\"type\":\"acknowledge\",\"actor\":\"alice\","
                                + "\"role\":\"responder\",\"reason\":\"looking\",\"issuedAt\":\"2026-11-02T02:07:00Z\"}"),
                bytes(
                        "{\"commandId\":\"c-2\",\"incidentId\":\"INC-1\",\"type\":\"DOWNGRADE\",\"actor\":\"bob\","
                                + "\"role\":\"team-lead\",\"reason\":\"contained\",\"targetSeverity\":\"sev3\","
                                + "\"issuedAt\":1762049400000}"),
                bytes(
                        "{\"commandId\":\"c-3\",\"incidentId\":\"INC-2\",\"type\":\"add_note\",\"actor\":\"carol\","
                                + "\"role\":\"responder\",\"note\":\"db failover done\",\"issuedAt\":\"2026-11-02T02:09:00Z\"}"));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

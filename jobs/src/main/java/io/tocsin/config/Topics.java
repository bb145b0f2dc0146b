package io.tocsin.config;

import java.util.List;

/**
 * The catalogue of Kafka topics: one place for names, keys and value formats.
 *
 * @param name topic name
 * @param partitions partitions created by the launcher
 * @param key what the record key is
 * @param value the value format
 */
public record Topics(String name, int partitions, String key, String value) {

    public static final Topics ALERTS =
            new Topics(
                    "alerts",
                    4,
                    "any (fingerprint recommended)",
                    "Avro Alert, Alertmanager webhook or alert JSON");
    public static final Topics TELEMETRY = new Topics("telemetry", 4, "series", "Avro MetricPoint");
    public static final Topics INCIDENT_EVENTS =
            new Topics(
                    "incident-events",
                    4,
                    "incidentId",
                    "Avro IncidentEvent (single-object encoding)");
    public static final Topics PAGES =
            new Topics("pages", 4, "incidentId", "PagerDuty Events v2 JSON");
    public static final Topics STATUS_UPDATES =
            new Topics(
                    "status-updates",
                    4,
                    "incidentId",
                    "status update JSON, one audience each (StatusUpdateJson)");
    public static final Topics COMMANDS = new Topics("commands", 4, "incidentId", "Avro Command");
    public static final Topics CHANGES =
            new Topics("changes", 4, "service", "Avro Change or change JSON");
    public static final Topics CONTROL =
            new Topics("control", 1, "rule id", "policy updates (JSON)");
    public static final Topics DEAD_LETTERS =
            new Topics("dead-letters", 1, "none", "Avro DeadLetter (single-object encoding)");

    /**
     * This topic's name in a namespace: {@code prefix} + name (several deployments, or a test's two
     * jobs, can share one Kafka cluster); the plain name for an empty prefix.
     */
    public String in(String prefix) {
        return prefix == null || prefix.isEmpty() ? name : prefix + name;
    }

    public static List<Topics> all() {
        return List.of(
                ALERTS,
                TELEMETRY,
                INCIDENT_EVENTS,
                PAGES,
                COMMANDS,
                CONTROL,
                DEAD_LETTERS,
                CHANGES,
                STATUS_UPDATES);
    }
}

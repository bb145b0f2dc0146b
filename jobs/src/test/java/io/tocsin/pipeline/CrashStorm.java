package io.tocsin.pipeline;

import io.tocsin.correlate.IncidentIds;
import io.tocsin.ingest.Fingerprint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A compact live storm for the crash test, in seconds from its start (each wave lasts {@link
 * #WAVE}): a database outage that cascades to three callers and is acknowledged after the second
 * tier is paged; an unrelated search cluster failure nobody acknowledges (all three tiers are paged
 * by timeout); a lone cache warning below the paging severity. Prometheus-style re-sends every 5 s,
 * HA copies 150 ms after each database notification, resolved notifications at the end. Transitions
 * are at least 2 s apart from each other and from the tier timeouts, so the order the job sees them
 * in does not depend on scheduling.
 */
final class CrashStorm {

    static final int WAVE = 100;

    /** Escalation tiers time out after this long (the policy below). */
    static final int TIER_TIMEOUT = 12;

    /** What one wave's database incident is acknowledged at, seconds into the wave. */
    static final double ACK_AT = 21;

    /**
     * The crash test keeps the job down from here for {@link #LONG_OUTAGE_MILLIS}: the search
     * incident's tier 1 (due at 47 s) falls due during the outage.
     */
    static final double LONG_OUTAGE_AT = 38;

    static final long LONG_OUTAGE_MILLIS = 12_000;

    static String policyYaml() {
        return """
                ingest: {maxOutOfOrderness: 2s}
                dedupe: {resolveTimeout: 30s}
                correlation: {quietPeriod: 15s, reopenWindow: 3s, groupGap: 2m}
                escalation:
                  pageRateLimit: {maxPages: 100, per: 1m}
                  targets:
                    t0: {person: alice, routingKey: RK-0}
                    t1: {person: bob, routingKey: RK-1}
                    t2: {person: carol, routingKey: RK-2}
                  chains:
                    - id: default
                      tiers:
                        - {target: t0, timeout: 12s}
                        - {target: t1, timeout: 12s}
                        - {target: t2, timeout: 1h}
                """;
    }

    /** One alert episode: firing from {@code start} to {@code end} (seconds), re-sent every 5 s. */
    record Episode(String service, String alertname, String severity, double start, double end) {}

    /** A record to send at {@code at} seconds: to the alerts topic, or an acknowledgement. */
    record Send(double at, String service, String json, boolean acknowledge) {}

    private final int waves;

    CrashStorm(int waves) {
        this.waves = waves;
    }

    static String service(String name, int wave) {
        return wave == 0 ? name : name + "-w" + wave;
    }

    List<Episode> episodes() {
        List<Episode> all = new ArrayList<>();
        for (int w = 0; w < waves; w++) {
            double o = w * WAVE;
            all.add(
                    new Episode(
                            service("orders-pg", w), "PostgresDown", "critical", o + 4, o + 70));
            all.add(
                    new Episode(
                            service("orders-svc", w), "HighErrorRate", "warning", o + 9, o + 74));
            all.add(
                    new Episode(
                            service("orders-api", w), "HighLatency", "warning", o + 13, o + 76));
            all.add(new Episode(service("edge-lb", w), "Edge5xxRate", "warning", o + 25, o + 78));
            all.add(
                    new Episode(
                            service("search-es", w),
                            "ElasticsearchClusterRed",
                            "critical",
                            o + 35,
                            o + 84));
            all.add(
                    new Episode(
                            service("search-svc", w),
                            "SearchSlowQueries",
                            "warning",
                            o + 41,
                            o + 86));
            all.add(
                    new Episode(
                            service("redis-cache", w),
                            "RedisMemoryHigh",
                            "warning",
                            o + 50,
                            o + 62));
        }
        return all;
    }

    /** Every record of the storm in send order. Acknowledgements carry no JSON (sent by id). */
    List<Send> sends() {
        List<Send> out = new ArrayList<>();
        for (Episode e : episodes()) {
            boolean ha = e.alertname().equals("PostgresDown");
            for (double t = e.start(); t < e.end(); t += 5) {
                String json = alert(e, "firing", null);
                out.add(new Send(t, e.service(), json, false));
                if (ha) {
                    out.add(new Send(t + 0.15, e.service(), json, false));
                }
            }
            out.add(new Send(e.end(), e.service(), alert(e, "resolved", e.end()), false));
        }
        for (int w = 0; w < waves; w++) {
            out.add(new Send(w * WAVE + ACK_AT, service("orders-pg", w), null, true));
        }
        out.sort(Comparator.comparingDouble(Send::at));
        return out;
    }

    /**
     * The topology: orders-pg <- orders-svc <- orders-api <- edge-lb -> search-svc -> search-es.
     */
    String topologyJson() {
        StringBuilder b = new StringBuilder("{\"services\": [");
        for (int w = 0; w < waves; w++) {
            if (w > 0) {
                b.append(',');
            }
            b.append(node("edge-lb", w, "orders-api", "search-svc"))
                    .append(',')
                    .append(node("orders-api", w, "orders-svc"))
                    .append(',')
                    .append(node("orders-svc", w, "orders-pg"))
                    .append(',')
                    .append(node("orders-pg", w))
                    .append(',')
                    .append(node("search-svc", w, "search-es"))
                    .append(',')
                    .append(node("search-es", w))
                    .append(',')
                    .append(node("redis-cache", w));
        }
        return b.append("]}").toString();
    }

    private static String node(String name, int wave, String... dependsOn) {
        StringBuilder b =
                new StringBuilder("{\"name\":\"")
                        .append(service(name, wave))
                        .append("\",\"dependsOn\":[");
        for (int i = 0; i < dependsOn.length; i++) {
            b.append(i == 0 ? "" : ",").append('"').append(service(dependsOn[i], wave)).append('"');
        }
        return b.append("]}").toString();
    }

    /**
     * An Alertmanager API alert without receivedAt: its event time is the Kafka timestamp, which
     * the feeder sets to the scheduled instant.
     */
    /**
     * The id of the incident {@code service}'s first alert opens when that alert was written at
     * {@code firstSent}, as the correlator derives it ({@link IncidentIds}: domain, service, time,
     * fingerprint). A test acknowledges by this id at the acknowledgement's time instead of waiting
     * for a job to commit its OPENED event: on a slow machine that wait made the acknowledgement
     * late, after the next tier's timeout in one job and before it in the other.
     */
    String incidentOpenedBy(String service, java.time.Instant firstSent) {
        Episode first =
                episodes().stream()
                        .filter(e -> e.service().equals(service))
                        .findFirst()
                        .orElseThrow();
        return IncidentIds.of(
                "prod", service, firstSent.toEpochMilli(), Fingerprint.of(labels(first)));
    }

    /** The labels every notification of {@code e} carries. */
    static java.util.Map<String, String> labels(Episode e) {
        return java.util.Map.of(
                "alertname",
                e.alertname(),
                "service",
                e.service(),
                "severity",
                e.severity(),
                "cluster",
                "prod");
    }

    private static String alert(Episode e, String status, Double endsAt) {
        return "{\"labels\":{\"alertname\":\""
                + e.alertname()
                + "\",\"service\":\""
                + e.service()
                + "\",\"severity\":\""
                + e.severity()
                + "\",\"cluster\":\"prod\"},\"annotations\":{\"summary\":\""
                + e.alertname()
                + " on "
                + e.service()
                + "\"},\"status\":\""
                + status
                + "\",\"startsAt\":\"@START@"
                + e.start()
                + "\""
                + (endsAt == null ? "" : ",\"endsAt\":\"@START@" + endsAt + "\"")
                + "}";
    }
}

package io.tocsin.bench.latency;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The background load: a fixed set of active alerts, Prometheus-shaped (alertname, service,
 * cluster, instance, severity, a summary and a runbook), re-sent round after round as Prometheus
 * re-sends firing alerts. Only warnings and infos, so the load keeps the pipeline busy (decode,
 * dedupe, suppress; a new fingerprint also opens or joins an incident) without paging; the probes
 * are the only pages. No receivedAt: live, an alert's event time is when Kafka received it.
 */
final class LoadAlerts {

    private static final String[] NAMES = {
        "HighLatency", "HighErrorRate", "PodCrashLooping", "DiskFillingUp", "CPUThrottlingHigh",
        "MemoryPressure", "QueueBacklog", "CertificateExpiring", "TargetDown", "SlowQueries",
        "ReplicationLag", "ConnectionPoolExhausted", "GCPauseLong", "KubeJobFailed", "NodeNotReady",
        "ProbeFailed", "TooManyRestarts", "HighSaturation", "BackendUnhealthy", "FlakyHealthcheck"
    };

    private final List<byte[]> json = new ArrayList<>();

    /** {@code active} distinct alerts (fingerprints), all starting at {@code startsAt}. */
    LoadAlerts(int active, Instant startsAt) {
        for (int i = 0; i < active; i++) {
            String alertname = NAMES[i % NAMES.length];
            int service = (i / NAMES.length) % 250;
            int cluster = i % 8;
            String severity = i % 3 == 0 ? "info" : "warning";
            String a =
                    String.format(
                            Locale.ROOT,
                            "{\"labels\":{\"alertname\":\"%s\",\"service\":\"svc-%d\",\"cluster\":\"c-%d\","
                                    + "\"namespace\":\"team-%d\",\"instance\":\"10.%d.%d.%d:9100\","
                                    + "\"job\":\"node\",\"severity\":\"%s\"},"
                                    + "\"annotations\":{\"summary\":\"%s on svc-%d\","
                                    + "\"runbook_url\":\"https://runbooks.example/%s\"},"
                                    + "\"status\":\"firing\",\"startsAt\":\"%s\","
                                    + "\"generatorURL\":\"http://prometheus:9090/graph?g0.expr=up\"}",
                            alertname,
                            service,
                            cluster,
                            service % 17,
                            cluster,
                            i / 250 % 250,
                            i % 250,
                            severity,
                            alertname,
                            service,
                            alertname,
                            startsAt);
            json.add(a.getBytes(StandardCharsets.UTF_8));
        }
    }

    int size() {
        return json.size();
    }

    byte[] get(long i) {
        return json.get((int) (i % json.size()));
    }

    /** A JSON array of {@code n} alerts from {@code from} on (the Alertmanager API's body). */
    byte[] batch(long from, int n) {
        StringBuilder b = new StringBuilder(n * 420).append('[');
        for (int k = 0; k < n; k++) {
            if (k > 0) {
                b.append(',');
            }
            b.append(new String(get(from + k), StandardCharsets.UTF_8));
        }
        return b.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The probe: a new critical alert on a service of its own. */
    static byte[] probe(long probe, Instant now) {
        String s = ProbeClock.service(probe);
        return String.format(
                        Locale.ROOT,
                        "{\"labels\":{\"alertname\":\"ServiceDown\",\"service\":\"%s\",\"cluster\":\"probe\","
                                + "\"severity\":\"critical\"},\"annotations\":{\"summary\":\"%s is down\"},"
                                + "\"status\":\"firing\",\"startsAt\":\"%s\"}",
                        s,
                        s,
                        now)
                .getBytes(StandardCharsets.UTF_8);
    }
}

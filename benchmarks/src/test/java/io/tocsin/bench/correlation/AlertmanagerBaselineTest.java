package io.tocsin.bench.correlation;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.ingest.Fingerprint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Alertmanager's grouping replayed: group_wait, group_interval, destroy on empty, re-fire. */
class AlertmanagerBaselineTest {

    static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");

    static final Map<String, String> USERS_ERRORS = labels("HighErrorRate", "users-svc");
    static final Map<String, String> CHECKOUT_ERRORS = labels("HighErrorRate", "checkout-api");
    static final Map<String, String> WEB_ERRORS = labels("HighErrorRate", "web-frontend");
    static final Map<String, String> PG_DOWN = labels("PostgresDown", "users-pg");
    static final Map<String, String> LATE = labels("KubeJobFailed", "orders-svc");

    /** The story, in receivedAt order (seconds after T0). */
    static final List<String> LINES =
            List.of(
                    firing(USERS_ERRORS, 0, 0.5),
                    firing(CHECKOUT_ERRORS, 10, 10.5), // same group: seen at the first flush
                    firing(PG_DOWN, 20, 20.5), // another group, flushes at 50.5
                    firing(USERS_ERRORS, 0, 60.5), // a re-send: changes nothing
                    firing(WEB_ERRORS, 60, 60.6), // joins after the first flush: next interval
                    firing(LATE, 0, 100), // started long ago: flushed at once
                    resolved(PG_DOWN, 20, 120, 120.5),
                    firing(PG_DOWN, 150, 150.5), // fires again before its group flushed
                    resolved(USERS_ERRORS, 0, 400, 400.5),
                    resolved(CHECKOUT_ERRORS, 10, 400, 400.5),
                    resolved(WEB_ERRORS, 60, 400, 400.5),
                    resolved(LATE, 0, 400, 400.5),
                    resolved(PG_DOWN, 150, 400, 400.5),
                    // The first group was destroyed at its flush at 630.5: this is a new one.
                    firing(USERS_ERRORS, 700, 700.5),
                    resolved(USERS_ERRORS, 700, 800, 800.5));

    @Test
    void groupsByClusterAndAlertname() {
        Assignment a =
                AlertmanagerBaseline.group(
                        LINES,
                        AlertmanagerBaseline.Options.groupBy(List.of("cluster", "alertname")));
        assertThat(a.method()).isEqualTo("am[cluster,alertname]");
        assertThat(a.incidents()).isEqualTo(4);
        String g1 = placed(a, USERS_ERRORS, 0, "am[cluster,alertname]#1", 30.5);
        placed(a, CHECKOUT_ERRORS, 10, g1, 30.5);
        placed(a, WEB_ERRORS, 60, g1, 330.5);
        placed(a, PG_DOWN, 20, "am[cluster,alertname]#2", 50.5);
        placed(a, PG_DOWN, 150, "am[cluster,alertname]#2", 350.5);
        placed(a, LATE, 0, "am[cluster,alertname]#3", 100);
        placed(a, USERS_ERRORS, 700, "am[cluster,alertname]#4", 730.5);
        assertThat(a.placements()).hasSize(7);
        assertThat(a.rootCauses())
                .containsEntry("am[cluster,alertname]#1", "users-svc")
                .containsEntry("am[cluster,alertname]#2", "users-pg")
                .containsEntry("am[cluster,alertname]#3", "orders-svc")
                .containsEntry("am[cluster,alertname]#4", "users-svc");
        assertThat(a.duplicates()).isEmpty();
    }

    @Test
    void groupsByClusterAndServiceSplitTheCascade() {
        Assignment a =
                AlertmanagerBaseline.group(
                        LINES, AlertmanagerBaseline.Options.groupBy(List.of("cluster", "service")));
        // users-svc, checkout-api, users-pg, web-frontend, orders-svc, then users-svc again.
        assertThat(a.incidents()).isEqualTo(6);
        placed(a, WEB_ERRORS, 60, "am[cluster,service]#4", 90.6);
    }

    private static String placed(
            Assignment a, Map<String, String> labels, int startsAt, String group, double seenAt) {
        EpisodeKey k = new EpisodeKey(Fingerprint.of(labels), T0.plusSeconds(startsAt));
        assertThat(a.placements().get(k))
                .as("%s started at +%ds", labels, startsAt)
                .isEqualTo(new Assignment.Placement(group, at(seenAt)));
        return group;
    }

    static Map<String, String> labels(String alertname, String service) {
        Map<String, String> l = new TreeMap<>();
        l.put("alertname", alertname);
        l.put("cluster", "prod-eu-1");
        l.put("instance", service + ":8080");
        l.put("service", service);
        l.put("severity", "critical");
        return l;
    }

    static String firing(Map<String, String> labels, int startsAt, double receivedAt) {
        return line(labels, startsAt, null, receivedAt);
    }

    static String resolved(Map<String, String> labels, int startsAt, int endsAt, double at) {
        return line(labels, startsAt, endsAt, at);
    }

    private static String line(
            Map<String, String> labels, int startsAt, Integer endsAt, double receivedAt) {
        List<String> l = new ArrayList<>();
        labels.forEach((k, v) -> l.add("\"" + k + "\":\"" + v + "\""));
        return String.format(
                "{\"labels\":{%s},\"annotations\":{},\"startsAt\":\"%s\",\"endsAt\":\"%s\","
                        + "\"status\":\"%s\",\"receivedAt\":\"%s\"}",
                String.join(",", l),
                T0.plusSeconds(startsAt),
                endsAt == null ? "0001-01-01T00:00:00Z" : T0.plusSeconds(endsAt).toString(),
                endsAt == null ? "firing" : "resolved",
                at(receivedAt));
    }

    static Instant at(double seconds) {
        return T0.plusMillis(Math.round(seconds * 1000));
    }
}

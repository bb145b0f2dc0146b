package io.tocsin.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tocsin.ingest.Fingerprint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A seeded alert storm with its ground truth: what Prometheus and an HA pair of Alertmanagers would
 * send (re-sends every minute, resolved re-sends, ~30% duplicated by the second Alertmanager 300 ms
 * later, deliveries up to 2 s out of order), plus bad records. The expected transitions are derived
 * from the storm's own model of each alert's life (episodes, flapping, the maintenance window,
 * alerts that stop being sent), not by running Tocsin's code.
 *
 * <p>Kinds of alert: normal episodes; alerts that go silent and must resolve by the 5-minute
 * resolve timeout; flapping alerts (7 changes a minute apart: the 5th is marked flapping, the rest
 * held, the state released 5 minutes after the last change); and alerts of {@code maint-svc} around
 * the maintenance window {@link #WINDOW_START}..{@link #WINDOW_END}.
 */
public final class StormGenerator {

    public static final Instant T0 = Instant.parse("2026-11-02T00:00:00Z");
    public static final Instant WINDOW_START = T0.plusSeconds(60 * 60);
    public static final Instant WINDOW_END = T0.plusSeconds(90 * 60);
    static final long RESOLVE_TIMEOUT = 5 * 60_000L;
    static final long FLAP_STABLE = 5 * 60_000L;

    /** The policy the expectations assume (defaults plus the maintenance window). */
    public static final String POLICY_YAML =
            """
            suppression:
              maintenanceWindows:
                - id: maint
                  matchers: ['service="maint-svc"']
                  start: 2026-11-02T01:00:00Z
                  end: 2026-11-02T01:30:00Z
            """;

    /** One notification line with its event time (for ordering the output). */
    public record Line(long receivedAt, long order, String json) {}

    /** The storm: lines in delivery order, bad lines, expected transitions and dead letters. */
    public record Storm(
            List<String> lines,
            List<String> badLines,
            List<String> badReasons,
            TreeSet<String> expectedTransitions,
            int notifications) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Random random;
    private final List<Line> out = new ArrayList<>();
    private final TreeSet<String> expected = new TreeSet<>();
    private long seq;

    private StormGenerator(long seed) {
        this.random = new Random(seed);
    }

    /**
     * @param normal alerts with ordinary episodes (each ~15 notifications an episode)
     */
    public static Storm generate(
            long seed, int normal, int silent, int flapping, int maintenance, int bad) {
        StormGenerator g = new StormGenerator(seed);
        for (int i = 0; i < normal; i++) {
            g.normal(i);
        }
        for (int i = 0; i < silent; i++) {
            g.silent(i);
        }
        for (int i = 0; i < flapping; i++) {
            g.flapping(i);
        }
        for (int i = 0; i < maintenance; i++) {
            g.maintenance(i);
        }
        // Delivery order: by event time with up to 2 s of jitter (out-of-order delivery).
        List<Line> lines = new ArrayList<>(g.out);
        lines.sort(
                Comparator.comparingLong(
                                (Line l) -> l.receivedAt + (long) (g.randomJitter(l.order)))
                        .thenComparingLong(Line::order));
        List<String> json = new ArrayList<>(lines.size() + bad);
        for (Line l : lines) {
            json.add(l.json);
        }
        List<String> badLines = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (int i = 0; i < bad; i++) {
            String[] b = badRecord(i);
            badLines.add(b[0]);
            reasons.add(b[1]);
            json.add(Math.min(json.size(), (int) ((long) json.size() * (i + 1) / (bad + 1))), b[0]);
        }
        return new Storm(json, badLines, reasons, g.expected, lines.size());
    }

    private double randomJitter(long order) {
        // Deterministic per line, independent of generation order.
        return new Random(order * 0x9E3779B97F4A7C15L).nextDouble() * 2000;
    }

    private Map<String, String> labels(
            String alertname, String service, int cluster, String instance, String severity) {
        Map<String, String> l = new TreeMap<>();
        l.put("alertname", alertname);
        l.put("service", service);
        l.put("cluster", "c" + cluster);
        l.put("instance", instance);
        l.put("severity", severity);
        return l;
    }

    private void normal(int i) {
        Map<String, String> l =
                labels(
                        "Alert" + (i % 20),
                        "svc-" + (i % 50),
                        i % 3,
                        "n-" + i,
                        i % 4 == 0 ? "critical" : "warning");
        long s = T0.toEpochMilli() + random.nextInt(60) * 60_000L + random.nextInt(60) * 1000L;
        int episodes = 1 + random.nextInt(2);
        for (int e = 0; e < episodes; e++) {
            long d = (6 + random.nextInt(15)) * 60_000L;
            episode(l, s, s + d);
            expect(l, "FIRING", s, "", false);
            expect(l, "RESOLVED", s + d, "", false);
            s = s + d + (11 + random.nextInt(20)) * 60_000L;
        }
    }

    /** Fires, is re-sent, then nothing: the resolve timeout must end it. */
    private void silent(int i) {
        Map<String, String> l =
                labels("Silent" + (i % 5), "svc-" + (i % 50), i % 3, "s-" + i, "warning");
        long s = T0.toEpochMilli() + random.nextInt(120) * 60_000L + random.nextInt(60) * 1000L;
        int sends = 1 + random.nextInt(10);
        long last = Long.MIN_VALUE;
        for (int j = 0; j < sends; j++) {
            last = Math.max(last, send(l, "firing", s, null, s + j * 60_000L));
        }
        expect(l, "FIRING", s, "", false);
        expect(l, "RESOLVED", last + RESOLVE_TIMEOUT, "", false);
    }

    private void flapping(int i) {
        Map<String, String> l =
                labels("Flappy" + (i % 3), "svc-" + (i % 50), i % 3, "f-" + i, "warning");
        long s = T0.toEpochMilli() + random.nextInt(120) * 60_000L + random.nextInt(60) * 1000L;
        long[] starts = new long[7];
        for (int j = 0; j < 7; j++) {
            long t = s + j * 60_000L;
            if (j % 2 == 0) {
                starts[j] = t;
                send(l, "firing", t, null, t);
            } else {
                send(l, "resolved", starts[j - 1], t, t);
            }
        }
        long lastChange = s + 6 * 60_000L;
        long firingSince = lastChange;
        // Stays firing, re-sent every minute, then resolves.
        for (int m = 1; m <= 11; m++) {
            send(l, "firing", firingSince, null, lastChange + m * 60_000L);
        }
        long end = lastChange + 12 * 60_000L;
        send(l, "resolved", firingSince, end, end);
        send(l, "resolved", firingSince, end, end + 60_000L);
        expect(l, "FIRING", s, "", false);
        expect(l, "RESOLVED", s + 60_000L, "", false);
        expect(l, "FIRING", s + 120_000L, "", false);
        expect(l, "RESOLVED", s + 180_000L, "", false);
        expect(l, "FIRING", s + 240_000L, "", true); // the 5th change in 10 minutes: flapping
        expect(l, "FIRING", lastChange + FLAP_STABLE, "", false); // released once stable
        expect(l, "RESOLVED", end, "", false);
    }

    private void maintenance(int i) {
        Map<String, String> l =
                labels("MaintAlert" + (i % 3), "maint-svc", i % 3, "m-" + i, "warning");
        long w0 = WINDOW_START.toEpochMilli();
        long w1 = WINDOW_END.toEpochMilli();
        long offset = (i / 3) * 1000L + 500;
        switch (i % 3) {
            case 0 -> { // inside the window: both ends muted
                long s = w0 + 5 * 60_000L + offset;
                long e = w0 + 20 * 60_000L + offset;
                episode(l, s, e);
                expect(l, "FIRING", s, "maintenance:maint", false);
                expect(l, "RESOLVED", e, "maintenance:maint", false);
            }
            case 1 -> { // starts inside, outlives it: released at the window's end
                long s = w0 + 10 * 60_000L + offset;
                long e = w1 + 10 * 60_000L + offset;
                episode(l, s, e);
                expect(l, "FIRING", s, "maintenance:maint", false);
                expect(l, "FIRING", w1, "", false);
                expect(l, "RESOLVED", e, "", false);
            }
            default -> { // fired before the window: went out, so its resolve goes out too
                long s = w0 - 10 * 60_000L + offset;
                long e = w0 + 15 * 60_000L + offset;
                episode(l, s, e);
                expect(l, "FIRING", s, "", false);
                expect(l, "RESOLVED", e, "", false);
            }
        }
    }

    /** Firing from s (re-sent each minute before e), resolved at e (re-sent once). */
    private void episode(Map<String, String> l, long s, long e) {
        for (long t = s; t < e; t += 60_000L) {
            send(l, "firing", s, null, t);
        }
        send(l, "resolved", s, e, e);
        send(l, "resolved", s, e, e + 60_000L);
    }

    /**
     * Sends one notification (and, 30% of the time, the HA twin 300 ms later); returns the last
     * time.
     */
    private long send(
            Map<String, String> labels,
            String status,
            long startsAt,
            Long endsAt,
            long receivedAt) {
        add(labels, status, startsAt, endsAt, receivedAt);
        if (random.nextInt(10) < 3) {
            add(labels, status, startsAt, endsAt, receivedAt + 300);
            return receivedAt + 300;
        }
        return receivedAt;
    }

    private void add(
            Map<String, String> labels,
            String status,
            long startsAt,
            Long endsAt,
            long receivedAt) {
        ObjectNode n = JSON.createObjectNode();
        ObjectNode ln = n.putObject("labels");
        labels.forEach(ln::put);
        n.putObject("annotations")
                .put("summary", labels.get("alertname") + " on " + labels.get("instance"));
        n.put("startsAt", Instant.ofEpochMilli(startsAt).toString());
        n.put(
                "endsAt",
                endsAt == null ? "0001-01-01T00:00:00Z" : Instant.ofEpochMilli(endsAt).toString());
        n.put("status", status);
        n.put("generatorURL", "http://prometheus/graph");
        n.put("receivedAt", Instant.ofEpochMilli(receivedAt).toString());
        out.add(new Line(receivedAt, seq++, n.toString()));
    }

    private void expect(
            Map<String, String> labels,
            String status,
            long at,
            String suppressedBy,
            boolean flapping) {
        expected.add(key(Fingerprint.of(labels), status, at, suppressedBy, flapping));
    }

    /** How a transition is compared: fingerprint, status, event time, mute rule, flapping. */
    public static String key(
            String fingerprint,
            String status,
            long receivedAt,
            String suppressedBy,
            boolean flapping) {
        return fingerprint
                + "|"
                + status
                + "|"
                + Instant.ofEpochMilli(receivedAt)
                + "|"
                + suppressedBy
                + "|"
                + flapping;
    }

    private static String[] badRecord(int i) {
        return switch (i % 6) {
            case 0 -> new String[] {"alertname=Broken" + i + " status=firing", "MALFORMED_JSON"};
            case 1 ->
                    new String[] {
                        "{\"annotations\":{\"n\":\""
                                + i
                                + "\"},\"startsAt\":\"2026-11-02T00:10:00Z\"}",
                        "MISSING_LABELS"
                    };
            case 2 ->
                    new String[] {
                        "{\"labels\":{\"alertname\":\"B" + i + "\"},\"startsAt\":\"soon\"}",
                        "BAD_TIME"
                    };
            case 3 ->
                    new String[] {
                        "{\"labels\":{\"alertname\":\"B"
                                + i
                                + "\"},\"startsAt\":\"2026-11-02T00:10:00Z\",\"endsAt\":\"2026-11-02T00:05:00Z\"}",
                        "ENDS_BEFORE_STARTS"
                    };
            case 4 ->
                    new String[] {
                        "{\"labels\":{\"alertname\":\"B"
                                + i
                                + "\"},\"startsAt\":\"2026-11-02T00:10:00Z\",\"status\":\"pending\"}",
                        "UNKNOWN_STATUS"
                    };
            default -> new String[] {"{\"labels\":{},\"n\":" + i + "}", "MISSING_LABELS"};
        };
    }
}

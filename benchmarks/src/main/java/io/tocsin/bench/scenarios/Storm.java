package io.tocsin.bench.scenarios;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.bench.correlation.GroundTruth;
import io.tocsin.bench.correlation.Scenario;
import io.tocsin.bench.correlation.ScenarioTopology;
import io.tocsin.ingest.Fingerprint;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Collects a scenario family's faults and alert episodes, then delivers them as Prometheus and an
 * HA pair of Alertmanagers would (re-sends, HA copies, late first deliveries, resolved
 * notifications) and writes the ground truth. The families decide the estate and how faults spread;
 * this class only keeps the books and delivers.
 */
final class Storm {

    static final long SECOND = 1000L;
    static final long MINUTE = 60 * SECOND;

    /**
     * Quiet time kept on a service between two faults' alerts, so every episode has one true fault
     * (longer than dedupe's flapStableFor, during which a re-fire continues a flapping alert).
     */
    static final long GAP = 10 * MINUTE;

    private static final String ZERO_TIME = "0001-01-01T00:00:00Z";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * How notifications travel.
     *
     * @param resendMillis re-send interval of a firing alert, per cluster (a missing cluster: 60 s)
     * @param haRate share of notifications the second Alertmanager also delivers
     * @param haDelayMaxMillis how much later its copy arrives, at most
     * @param lateShare share of episodes whose first notification is late
     * @param lateMaxMillis how late, at most
     * @param endsAtOnFiring whether firing notifications carry endsAt = receivedAt + 4 re-sends
     *     (what Prometheus sends) instead of the zero time
     */
    record Delivery(
            Map<String, Long> resendMillis,
            double haRate,
            long haDelayMaxMillis,
            double lateShare,
            long lateMaxMillis,
            boolean endsAtOnFiring) {}

    /** One fault, as the truth will name it. */
    static final class Fault {
        final String id;
        final String kind;
        final String cluster;
        final String root;

        Fault(String id, String kind, String cluster, String root) {
            this.id = id;
            this.kind = kind;
            this.cluster = cluster;
            this.root = root;
        }
    }

    /** One firing period of one label set. Identity equality on purpose. */
    private static final class Episode {
        final Map<String, String> labels;
        final String summary;
        final long startsAt;
        final long endsAt;
        final Fault fault;

        Episode(Map<String, String> labels, String summary, long s, long e, Fault fault) {
            this.labels = labels;
            this.summary = summary;
            this.startsAt = s;
            this.endsAt = e;
            this.fault = fault;
        }
    }

    private record Line(long receivedAt, int order, String json) {}

    private final Random random;
    private final Delivery delivery;
    private final List<Fault> faults = new ArrayList<>();
    private final List<Episode> episodes = new ArrayList<>();
    private final Map<String, List<long[]>> busy = new HashMap<>();

    Storm(Random random, Delivery delivery) {
        this.random = random;
        this.delivery = delivery;
    }

    Fault fault(String kind, String cluster, String root) {
        Fault f = new Fault(String.format("f%03d", faults.size() + 1), kind, cluster, root);
        faults.add(f);
        return f;
    }

    /** Adds an episode; its labels must carry alertname, cluster and service. */
    void episode(Fault f, Map<String, String> labels, String summary, long startsAt, long endsAt) {
        episodes.add(
                new Episode(
                        new TreeMap<>(labels),
                        summary,
                        startsAt,
                        Math.max(endsAt, startsAt + 20 * SECOND),
                        f));
    }

    /** Whether the service has no other fault's alert within {@link #GAP} of [from, to]. */
    boolean free(String service, long from, long to) {
        for (long[] iv : busy.getOrDefault(service, List.of())) {
            if (from < iv[1] + GAP && iv[0] - GAP < to) {
                return false;
            }
        }
        return true;
    }

    void occupy(String service, long from, long to) {
        busy.computeIfAbsent(service, k -> new ArrayList<>()).add(new long[] {from, to});
    }

    /** Delivers every episode and writes the truth. */
    Scenario render(
            ScenarioTopology topology,
            String generator,
            long seed,
            int services,
            List<String> clusters,
            long start,
            long scoredFrom,
            List<String> telemetry) {
        List<Line> lines = new ArrayList<>();
        Map<Episode, Long> firstReceived = new HashMap<>();
        for (Episode e : episodes) {
            long resend = delivery.resendMillis().getOrDefault(e.labels.get("cluster"), MINUTE);
            long lastFiring = e.endsAt - delivery.haDelayMaxMillis() - 1;
            long first =
                    e.startsAt
                            + (random.nextDouble() < delivery.lateShare()
                                    ? uniform(5 * SECOND, delivery.lateMaxMillis())
                                    : uniform(50, 2000));
            if (first > lastFiring) {
                first = e.startsAt + (lastFiring - e.startsAt) / 2;
            }
            firstReceived.put(e, first);
            for (long t = first; t <= lastFiring; t += resend + uniform(0, 800)) {
                deliver(lines, e, false, t, resend);
            }
            deliver(lines, e, true, e.endsAt + uniform(50, 2000), resend);
        }
        lines.sort(Comparator.comparingLong(Line::receivedAt).thenComparingInt(Line::order));
        List<String> out = new ArrayList<>(lines.size());
        for (Line l : lines) {
            out.add(l.json());
        }
        GroundTruth truth =
                truth(
                        generator,
                        seed,
                        services,
                        clusters,
                        start,
                        scoredFrom,
                        lines.get(lines.size() - 1).receivedAt(),
                        lines.size(),
                        firstReceived);
        return new Scenario(topology, out, truth, telemetry);
    }

    private void deliver(List<Line> lines, Episode e, boolean resolved, long at, long resend) {
        lines.add(new Line(at, lines.size(), json(e, resolved, at, resend)));
        if (random.nextDouble() < delivery.haRate()) {
            long copy = at + uniform(20, delivery.haDelayMaxMillis());
            lines.add(new Line(copy, lines.size(), json(e, resolved, copy, resend)));
        }
    }

    private String json(Episode e, boolean resolved, long receivedAt, long resend) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("labels", e.labels);
        m.put("annotations", Map.of("summary", e.summary, "description", e.summary + "."));
        m.put("startsAt", Instant.ofEpochMilli(e.startsAt).toString());
        String ends;
        if (resolved) {
            ends = Instant.ofEpochMilli(e.endsAt).toString();
        } else if (delivery.endsAtOnFiring()) {
            ends = Instant.ofEpochMilli(receivedAt + 4 * resend).toString();
        } else {
            ends = ZERO_TIME;
        }
        m.put("endsAt", ends);
        m.put("status", resolved ? "resolved" : "firing");
        m.put(
                "generatorURL",
                "http://prometheus-"
                        + e.labels.get("cluster")
                        + ":9090/graph?g0.expr="
                        + e.labels.get("alertname"));
        m.put("receivedAt", Instant.ofEpochMilli(receivedAt).toString());
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private GroundTruth truth(
            String generator,
            long seed,
            int services,
            List<String> clusters,
            long start,
            long scoredFrom,
            long end,
            int notifications,
            Map<Episode, Long> firstReceived) {
        List<GroundTruth.Episode> eps = new ArrayList<>();
        Map<Fault, List<Episode>> byFault = new LinkedHashMap<>();
        for (Fault f : faults) {
            byFault.put(f, new ArrayList<>());
        }
        for (Episode e : episodes) {
            byFault.get(e.fault).add(e);
            eps.add(
                    new GroundTruth.Episode(
                            Fingerprint.of(e.labels),
                            Instant.ofEpochMilli(e.startsAt),
                            Instant.ofEpochMilli(e.endsAt),
                            Instant.ofEpochMilli(firstReceived.get(e)),
                            e.fault.id,
                            e.labels.get("cluster"),
                            e.labels.get("service"),
                            e.labels.get("alertname")));
        }
        eps.sort(Comparator.comparing(GroundTruth.Episode::key));
        List<GroundTruth.Fault> fs = new ArrayList<>();
        for (Map.Entry<Fault, List<Episode>> en : byFault.entrySet()) {
            if (en.getValue().isEmpty()) {
                continue;
            }
            Fault f = en.getKey();
            long firstStart = Long.MAX_VALUE;
            long firstAlert = Long.MAX_VALUE;
            TreeSet<String> svcs = new TreeSet<>();
            for (Episode e : en.getValue()) {
                firstStart = Math.min(firstStart, e.startsAt);
                firstAlert = Math.min(firstAlert, firstReceived.get(e));
                svcs.add(e.labels.get("service"));
            }
            fs.add(
                    new GroundTruth.Fault(
                            f.id,
                            f.kind,
                            f.cluster,
                            f.root,
                            Instant.ofEpochMilli(firstStart),
                            Instant.ofEpochMilli(firstAlert),
                            new ArrayList<>(svcs),
                            en.getValue().size()));
        }
        return new GroundTruth(
                generator,
                seed,
                services,
                clusters,
                Instant.ofEpochMilli(start),
                Instant.ofEpochMilli(end),
                notifications,
                fs,
                eps,
                scoredFrom > start ? Instant.ofEpochMilli(scoredFrom) : null);
    }

    // ---------------------------------------------------------------- randomness

    long uniform(long from, long to) {
        return to <= from ? from : from + (long) (random.nextDouble() * (to - from));
    }

    /** A log-normal duration: median {@code medianMillis}, spread {@code sigma}, clipped. */
    long logNormal(long medianMillis, double sigma, long min, long max) {
        double v = medianMillis * Math.exp(sigma * random.nextGaussian());
        return Math.max(min, Math.min(max, Math.round(v)));
    }

    /** Exponential gap with the given mean (a Poisson process). */
    long exponential(double meanMillis) {
        return Math.round(-meanMillis * Math.log(1 - random.nextDouble()));
    }
}

package io.tocsin.bench.correlation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.bench.correlation.AlertCatalogue.Rule;
import io.tocsin.bench.correlation.SyntheticTopology.Node;
import io.tocsin.ingest.Fingerprint;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Generates a labelled alert storm over a random topology, deterministically from a seed.
 *
 * <p>What happens, per cluster (the correlation domain; every service runs in every cluster):
 *
 * <ul>
 *   <li>cascading faults: a root service fails and alerts first (1-3 of its cause alerts); the
 *       failure reaches its callers up to 1-3 hops away (20/40/40%), each hop 20 s - 3 min later
 *       and with falling probability (85/70/50%); an affected caller raises 1-2 symptom alerts or
 *       (15%) stays silent while its own callers alert; the fault ends 8-35 min later, callers
 *       clearing after the root. A quarter of faults start within 4 min of the previous one in the
 *       same cluster.
 *   <li>isolated noise: one alert on a quiet service that clears within 40 s - 4 min.
 *   <li>flapping: one alert firing and clearing 5-8 times in 30-60 s cycles.
 * </ul>
 *
 * A service serves one fault at a time, with 10 min between two faults' alerts on it, so every
 * episode has one true fault; unrelated faults may still touch neighbouring services at the same
 * time. Delivery is Prometheus-like: each firing alert is re-sent every 60 s, a resolved
 * notification follows its end, 30% of notifications arrive twice (the Alertmanager HA peer, 300 ms
 * later), and 10% of alerts are first delivered 5-30 s after they start.
 */
public final class ScenarioGenerator {

    /** Scenario start: fixed so the files of a seed never change. */
    static final Instant START = Instant.parse("2026-11-02T00:00:00Z");

    static final List<String> CLUSTER_NAMES = List.of("prod-eu-1", "prod-us-1", "prod-ap-1");

    private static final String ZERO_TIME = "0001-01-01T00:00:00Z";
    private static final long SECOND = 1000L;
    private static final long MINUTE = 60 * SECOND;

    /**
     * Quiet time kept on a service between two faults' alerts, so that no episode is ambiguous:
     * longer than dedupe's flapStableFor (5m), during which a re-fire continues a flapping alert.
     */
    private static final long GAP = 10 * MINUTE;

    private static final double[] SPREAD_BY_HOP = {0.85, 0.7, 0.5};
    private static final int MAX_ALERTING_SERVICES = 12;

    /** How much later the second Alertmanager of the HA pair delivers its copy. */
    private static final long HA_DELAY = 300;

    /**
     * What to generate.
     *
     * @param services topology size
     * @param clusters number of clusters (1-3)
     * @param horizon how long the storm lasts
     * @param haDuplicateRate share of notifications delivered twice
     * @param resendInterval Prometheus re-send interval of a firing alert
     * @param concurrentShare share of cascades starting right after the previous one
     */
    public record Settings(
            int services,
            int clusters,
            Duration horizon,
            double haDuplicateRate,
            Duration resendInterval,
            double concurrentShare) {

        public Settings {
            if (clusters < 1 || clusters > CLUSTER_NAMES.size()) {
                throw new IllegalArgumentException("clusters must be 1-3: " + clusters);
            }
            if (horizon.toMinutes() < 60) {
                throw new IllegalArgumentException("horizon must be at least 1h: " + horizon);
            }
        }

        /** The defaults for a topology size: 1 cluster up to 39 services, 2 up to 79, then 3. */
        public static Settings forSize(int services) {
            return new Settings(
                    services,
                    Math.min(3, 1 + services / 40),
                    Duration.ofHours(3),
                    0.3,
                    Duration.ofSeconds(60),
                    0.25);
        }

        public Settings withHorizon(Duration h) {
            return new Settings(
                    services, clusters, h, haDuplicateRate, resendInterval, concurrentShare);
        }

        double hours() {
            return horizon.toMinutes() / 60.0;
        }

        int cascadesPerCluster() {
            return (int) Math.round(hours() * (1 + services / 30.0));
        }

        int noisePerCluster() {
            return (int) Math.round(hours() * (2 + services / 20.0));
        }

        int flappingPerCluster() {
            return (int) Math.max(1, Math.round(hours() * services / 60.0));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final long seed;
    private final Settings settings;
    private final Random random;
    private final SyntheticTopology topology;
    private final Map<String, Node> nodes;
    private final List<String> clusters;
    private final List<Episode> episodes = new ArrayList<>();
    private final List<FaultDraft> faults = new ArrayList<>();
    private final Map<String, List<long[]>> busy = new HashMap<>();

    private ScenarioGenerator(long seed, Settings settings) {
        this.seed = seed;
        this.settings = settings;
        this.random = new Random(seed);
        this.topology = SyntheticTopology.generate(random, settings.services());
        this.nodes = topology.byName();
        this.clusters = CLUSTER_NAMES.subList(0, settings.clusters());
    }

    /** The scenario of {@code seed}: same seed and settings, same bytes. */
    public static Scenario generate(long seed, Settings settings) {
        return new ScenarioGenerator(seed, settings).run();
    }

    private Scenario run() {
        long start = START.toEpochMilli();
        long end = start + settings.horizon().toMillis();
        List<Plan> plans = new ArrayList<>();
        for (String cluster : clusters) {
            List<Long> starts = new ArrayList<>();
            for (int i = 0; i < settings.cascadesPerCluster(); i++) {
                starts.add(uniform(start + 10 * MINUTE, end - 45 * MINUTE));
            }
            Collections.sort(starts);
            for (int i = 1; i < starts.size(); i++) {
                if (random.nextDouble() < settings.concurrentShare()) {
                    starts.set(i, starts.get(i - 1) + uniform(0, 4 * MINUTE));
                }
            }
            for (long t : starts) {
                plans.add(new Plan(t, cluster, GroundTruth.CASCADE));
            }
            for (int i = 0; i < settings.flappingPerCluster(); i++) {
                plans.add(
                        new Plan(
                                uniform(start + 5 * MINUTE, end - 20 * MINUTE),
                                cluster,
                                GroundTruth.FLAPPING));
            }
            for (int i = 0; i < settings.noisePerCluster(); i++) {
                plans.add(
                        new Plan(
                                uniform(start + 2 * MINUTE, end - 5 * MINUTE),
                                cluster,
                                GroundTruth.NOISE));
            }
        }
        // Cascades claim their services first at equal times; ties break on cluster then kind.
        plans.sort(
                Comparator.comparingLong(Plan::at)
                        .thenComparing(Plan::cluster)
                        .thenComparing(Plan::kind));
        for (Plan p : plans) {
            switch (p.kind()) {
                case GroundTruth.CASCADE -> cascade(p.cluster(), p.at());
                case GroundTruth.NOISE -> noise(p.cluster(), p.at());
                default -> flapping(p.cluster(), p.at());
            }
        }
        return render(start);
    }

    // ---------------------------------------------------------------- faults

    private void cascade(String cluster, long t0) {
        long recover = t0 + uniform(8 * MINUTE, 35 * MINUTE);
        long until = recover + 5 * MINUTE; // the callers' alerts clear a little after the root
        String root = pickRoot(cluster, t0, until);
        if (root == null) {
            return;
        }
        Map<String, Long> onset = new LinkedHashMap<>();
        Map<String, Integer> hop = new HashMap<>();
        onset.put(root, t0);
        hop.put(root, 0);
        double h3 = random.nextDouble();
        int hops = h3 < 0.2 ? 1 : h3 < 0.6 ? 2 : 3;
        List<String> frontier = List.of(root);
        for (int h = 1; h <= hops && !frontier.isEmpty(); h++) {
            List<String> next = new ArrayList<>();
            for (String s : frontier) {
                for (String caller : topology.callers(s)) {
                    if (onset.containsKey(caller) || !free(cluster, caller, t0, until)) {
                        continue;
                    }
                    if (random.nextDouble() < SPREAD_BY_HOP[h - 1]) {
                        onset.put(caller, onset.get(s) + uniform(20 * SECOND, 180 * SECOND));
                        hop.put(caller, h);
                        next.add(caller);
                    }
                }
            }
            frontier = next;
        }
        if (onset.size() == 1) {
            // A cascade that reached nobody would be a noise alert: it reaches one caller at least.
            List<String> callers = new ArrayList<>();
            for (String c : topology.callers(root)) {
                if (free(cluster, c, t0, until)) {
                    callers.add(c);
                }
            }
            if (!callers.isEmpty()) {
                String c = callers.get(random.nextInt(callers.size()));
                onset.put(c, t0 + uniform(20 * SECOND, 180 * SECOND));
                hop.put(c, 1);
            }
        }
        List<String> alerting = new ArrayList<>();
        alerting.add(root);
        String firstAffected = null;
        for (String s : onset.keySet()) {
            if (s.equals(root)) {
                continue;
            }
            firstAffected = firstAffected == null ? s : firstAffected;
            if (random.nextDouble() < 0.85 && alerting.size() < MAX_ALERTING_SERVICES) {
                alerting.add(s);
            }
        }
        if (alerting.size() == 1 && firstAffected != null) {
            alerting.add(firstAffected);
        }

        FaultDraft f = newFault(GroundTruth.CASCADE, cluster, root);
        long lastEnd = recover;
        List<Rule> causes = shuffled(AlertCatalogue.causes(nodes.get(root).kind()));
        int k = 1 + random.nextInt(Math.min(3, causes.size()));
        for (int i = 0; i < k; i++) {
            long s = i == 0 ? t0 : t0 + uniform(5 * SECOND, 90 * SECOND);
            long e = recover + uniform(0, 60 * SECOND);
            lastEnd = Math.max(lastEnd, emit(f, cluster, root, causes.get(i), s, e, 2));
        }
        for (String svc : alerting.subList(1, alerting.size())) {
            List<Rule> symptoms = shuffled(AlertCatalogue.symptoms(nodes.get(svc).kind()));
            int n = random.nextDouble() < 0.55 ? 2 : 1;
            for (int i = 0; i < n; i++) {
                long s = onset.get(svc) + (i == 0 ? 0 : uniform(0, 60 * SECOND));
                long e;
                if (random.nextDouble() < 0.15 && recover - s > 4 * MINUTE) {
                    e = s + uniform(2 * MINUTE, recover - s); // an intermittent symptom
                } else {
                    e = recover + hop.get(svc) * uniform(15 * SECOND, 90 * SECOND);
                }
                lastEnd = Math.max(lastEnd, emit(f, cluster, svc, symptoms.get(i), s, e, 2));
            }
        }
        for (String svc : onset.keySet()) {
            occupy(cluster, svc, t0, lastEnd);
        }
    }

    private void noise(String cluster, long t) {
        long end = t + uniform(40 * SECOND, 240 * SECOND);
        List<Node> quiet = new ArrayList<>();
        for (Node n : topology.services()) {
            if (free(cluster, n.name(), t, end)) {
                quiet.add(n);
            }
        }
        if (quiet.isEmpty()) {
            return;
        }
        Node n = quiet.get(random.nextInt(quiet.size()));
        // Mostly housekeeping alerts; sometimes a short symptom blip, the harder case.
        Rule rule =
                random.nextDouble() < 0.6
                        ? pick(AlertCatalogue.noise())
                        : pick(AlertCatalogue.symptoms(n.kind()));
        FaultDraft f = newFault(GroundTruth.NOISE, cluster, n.name());
        emit(f, cluster, n.name(), rule, t, end, 1);
        occupy(cluster, n.name(), t, end);
    }

    private void flapping(String cluster, long t) {
        List<Node> candidates = new ArrayList<>();
        for (Node n : topology.services()) {
            if (!AlertCatalogue.flappy(n.kind()).isEmpty()
                    && free(cluster, n.name(), t, t + 15 * MINUTE)) {
                candidates.add(n);
            }
        }
        if (candidates.isEmpty()) {
            return;
        }
        Node n = candidates.get(random.nextInt(candidates.size()));
        Rule rule = pick(AlertCatalogue.flappy(n.kind()));
        String instance = instanceFor(n, rule);
        FaultDraft f = newFault(GroundTruth.FLAPPING, cluster, n.name());
        int cycles = 5 + random.nextInt(4);
        long at = t;
        for (int i = 0; i < cycles; i++) {
            long end = at + uniform(30 * SECOND, 60 * SECOND);
            episodes.add(episode(f, cluster, n, rule, instance, at, end));
            at = end + uniform(20 * SECOND, 50 * SECOND);
        }
        occupy(cluster, n.name(), t, at);
    }

    /**
     * Adds the episodes of one rule on one service (per-instance rules fire on up to {@code
     * maxInstances} instances, a few seconds apart); returns the latest end.
     */
    private long emit(
            FaultDraft f,
            String cluster,
            String service,
            Rule rule,
            long start,
            long end,
            int maxInstances) {
        Node n = nodes.get(service);
        if (!rule.perInstance()) {
            episodes.add(episode(f, cluster, n, rule, serviceAddress(n), start, end));
            return end;
        }
        List<String> instances = shuffled(n.instances());
        int count = 1 + random.nextInt(Math.min(maxInstances, instances.size()));
        long last = end;
        for (int i = 0; i < count; i++) {
            long s = i == 0 ? start : start + uniform(5 * SECOND, 40 * SECOND);
            long e = Math.max(s + MINUTE, end + (i == 0 ? 0 : uniform(0, 30 * SECOND)));
            episodes.add(episode(f, cluster, n, rule, instances.get(i), s, e));
            last = Math.max(last, e);
        }
        return last;
    }

    private Episode episode(
            FaultDraft f,
            String cluster,
            Node n,
            Rule rule,
            String instance,
            long startsAt,
            long endsAt) {
        Map<String, String> labels = new TreeMap<>();
        labels.put("alertname", rule.name());
        labels.put("cluster", cluster);
        labels.put("instance", instance);
        labels.put("service", n.name());
        labels.put("severity", rule.severity());
        return new Episode(
                labels,
                String.format(rule.summary(), n.name()),
                startsAt,
                Math.max(endsAt, startsAt + 10 * SECOND),
                f);
    }

    private String pickRoot(String cluster, long from, long to) {
        // Failures start mostly low in the stack.
        double[] weights = {0.10, 0.15, 0.30, 0.45};
        for (int attempt = 0; attempt < 30; attempt++) {
            double x = random.nextDouble();
            int tier = 0;
            while (tier < 3 && x >= weights[tier]) {
                x -= weights[tier];
                tier++;
            }
            List<Node> inTier = new ArrayList<>();
            for (Node n : topology.services()) {
                if (n.tier().equals(SyntheticTopology.TIERS.get(tier))) {
                    inTier.add(n);
                }
            }
            Node n = inTier.get(random.nextInt(inTier.size()));
            if (free(cluster, n.name(), from, to)) {
                return n.name();
            }
        }
        return null;
    }

    private FaultDraft newFault(String kind, String cluster, String root) {
        FaultDraft f =
                new FaultDraft(String.format("f%03d", faults.size() + 1), kind, cluster, root);
        faults.add(f);
        return f;
    }

    /** Whether the service has no other fault's alert within {@link #GAP} of [from, to]. */
    private boolean free(String cluster, String service, long from, long to) {
        for (long[] iv : busy.getOrDefault(cluster + "/" + service, List.of())) {
            if (from < iv[1] + GAP && iv[0] - GAP < to) {
                return false;
            }
        }
        return true;
    }

    private void occupy(String cluster, String service, long from, long to) {
        busy.computeIfAbsent(cluster + "/" + service, k -> new ArrayList<>())
                .add(new long[] {from, to});
    }

    private String instanceFor(Node n, Rule rule) {
        return rule.perInstance()
                ? n.instances().get(random.nextInt(n.instances().size()))
                : serviceAddress(n);
    }

    private static String serviceAddress(Node n) {
        return n.name() + (n.tier().equals("datastore") ? ":9100" : ":8080");
    }

    // ---------------------------------------------------------------- delivery

    private Scenario render(long start) {
        List<Line> lines = new ArrayList<>();
        Map<Episode, Long> firstReceived = new HashMap<>();
        long resend = settings.resendInterval().toMillis();
        for (Episode e : episodes) {
            // Every firing notification, HA copy included, arrives before the episode ends.
            long lastFiring = e.endsAt - HA_DELAY - 1;
            long first =
                    e.startsAt
                            + (random.nextDouble() < 0.1
                                    ? uniform(5 * SECOND, 30 * SECOND)
                                    : uniform(100, 1500));
            if (first > lastFiring) {
                first = e.startsAt + (lastFiring - e.startsAt) / 2;
            }
            firstReceived.put(e, first);
            for (long t = first; t <= lastFiring; t += resend + uniform(0, 500)) {
                deliver(lines, e, false, t);
            }
            deliver(lines, e, true, e.endsAt + uniform(100, 1500));
        }
        lines.sort(Comparator.comparingLong(Line::receivedAt).thenComparingInt(Line::order));
        List<String> out = new ArrayList<>(lines.size());
        for (Line l : lines) {
            out.add(l.json());
        }
        return new Scenario(topology, out, truth(start, lines, firstReceived));
    }

    private void deliver(List<Line> lines, Episode e, boolean resolved, long receivedAt) {
        lines.add(new Line(receivedAt, lines.size(), json(e, resolved, receivedAt)));
        if (random.nextDouble() < settings.haDuplicateRate()) {
            // The other Alertmanager of the HA pair delivers the same notification.
            lines.add(
                    new Line(
                            receivedAt + HA_DELAY,
                            lines.size(),
                            json(e, resolved, receivedAt + HA_DELAY)));
        }
    }

    private static String json(Episode e, boolean resolved, long receivedAt) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("labels", e.labels);
        m.put("annotations", Map.of("summary", e.summary));
        m.put("startsAt", Instant.ofEpochMilli(e.startsAt).toString());
        m.put("endsAt", resolved ? Instant.ofEpochMilli(e.endsAt).toString() : ZERO_TIME);
        m.put("status", resolved ? "resolved" : "firing");
        m.put(
                "generatorURL",
                "https://prometheus."
                        + e.labels.get("cluster")
                        + ".example.internal/graph?g0.expr="
                        + e.labels.get("alertname"));
        m.put("receivedAt", Instant.ofEpochMilli(receivedAt).toString());
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private GroundTruth truth(long start, List<Line> lines, Map<Episode, Long> firstReceived) {
        List<GroundTruth.Episode> eps = new ArrayList<>();
        Map<FaultDraft, List<Episode>> byFault = new LinkedHashMap<>();
        for (FaultDraft f : faults) {
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
        for (Map.Entry<FaultDraft, List<Episode>> en : byFault.entrySet()) {
            FaultDraft f = en.getKey();
            long firstStart = Long.MAX_VALUE;
            long firstAlert = Long.MAX_VALUE;
            TreeSet<String> services = new TreeSet<>();
            for (Episode e : en.getValue()) {
                firstStart = Math.min(firstStart, e.startsAt);
                firstAlert = Math.min(firstAlert, firstReceived.get(e));
                services.add(e.labels.get("service"));
            }
            fs.add(
                    new GroundTruth.Fault(
                            f.id,
                            f.kind,
                            f.cluster,
                            f.root,
                            Instant.ofEpochMilli(firstStart),
                            Instant.ofEpochMilli(firstAlert),
                            new ArrayList<>(services),
                            en.getValue().size()));
        }
        return new GroundTruth(
                String.format(
                        "ScenarioGenerator(services=%d, clusters=%d, horizon=%s)",
                        settings.services(), settings.clusters(), settings.horizon()),
                seed,
                settings.services(),
                clusters,
                Instant.ofEpochMilli(start),
                Instant.ofEpochMilli(lines.get(lines.size() - 1).receivedAt()),
                lines.size(),
                fs,
                eps,
                null);
    }

    // ---------------------------------------------------------------- randomness

    private long uniform(long from, long to) {
        return to <= from ? from : from + (long) (random.nextDouble() * (to - from));
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    private <T> List<T> shuffled(List<T> list) {
        List<T> copy = new ArrayList<>(list);
        Collections.shuffle(copy, random);
        return copy;
    }

    private record Plan(long at, String cluster, String kind) {}

    private record Line(long receivedAt, int order, String json) {}

    private static final class FaultDraft {
        final String id;
        final String kind;
        final String cluster;
        final String root;

        FaultDraft(String id, String kind, String cluster, String root) {
            this.id = id;
            this.kind = kind;
            this.cluster = cluster;
            this.root = root;
        }
    }

    /** One firing period of one label set, before delivery. Identity equality on purpose. */
    private static final class Episode {
        final Map<String, String> labels;
        final String summary;
        final long startsAt;
        final long endsAt;
        final FaultDraft fault;

        Episode(
                Map<String, String> labels,
                String summary,
                long startsAt,
                long endsAt,
                FaultDraft fault) {
            this.labels = labels;
            this.summary = summary;
            this.startsAt = startsAt;
            this.endsAt = endsAt;
            this.fault = fault;
        }
    }
}

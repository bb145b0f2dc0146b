package io.tocsin.bench.scenarios;

import io.tocsin.bench.correlation.GroundTruth;
import io.tocsin.bench.correlation.Scenario;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Scenario family "mesh": a microservice mesh grown by preferential attachment (a few hub services
 * that many call, a long tail of leaves), spread over clusters so that a service and what it calls
 * often run in different clusters (shared databases in a data cluster, callers in the app
 * clusters). Faults arrive as a Poisson process, a third of them in bursts next to the previous
 * one; a failure spreads to callers with a per-edge strength (hard 0.9, medium 0.6, soft 0.25
 * dependencies, weakened 15% per hop, up to 6 hops) after a log-normal per-hop delay (median 40 s,
 * up to 6 min). A fifth of affected services stay silent. Noise is a tenth of the services per hour
 * plus a few chatty services; some alerts flap. The topology file misses 15% of the edges. Alert
 * names and labels follow their own conventions (namespace, pod, team).
 */
public final class MeshFamily {

    /** Scenario start: fixed so the files of a seed never change. */
    static final Instant START = Instant.parse("2026-11-09T00:00:00Z");

    private static final long SECOND = Storm.SECOND;
    private static final long MINUTE = Storm.MINUTE;

    /**
     * What to generate.
     *
     * @param services estate size
     * @param warmup history before the scored part (episodes in it are not scored)
     * @param horizon the scored part
     */
    public record Settings(int services, Duration warmup, Duration horizon) {
        public Settings {
            if (services < 12) {
                throw new IllegalArgumentException(
                        "a mesh needs at least 12 services: " + services);
            }
        }
    }

    private static final List<String> AREAS =
            List.of(
                    "quote",
                    "basket",
                    "ledger",
                    "tracking",
                    "consent",
                    "catalogue",
                    "payout",
                    "fulfil",
                    "rating",
                    "voucher",
                    "route",
                    "dispatch",
                    "stock",
                    "wallet",
                    "session",
                    "notify",
                    "media",
                    "refund",
                    "kyc",
                    "partner",
                    "invoice",
                    "promo",
                    "content",
                    "locale",
                    "booking",
                    "fleet",
                    "claims",
                    "quota",
                    "survey",
                    "badge",
                    "tariff",
                    "venue",
                    "ticket",
                    "parcel",
                    "mandate",
                    "escrow",
                    "lead",
                    "bundle",
                    "slot",
                    "advert",
                    "member",
                    "referral",
                    "pickup",
                    "receipt",
                    "audit",
                    "forecast",
                    "ingest",
                    "export",
                    "label",
                    "sizing");

    /** Alert vocabulary per kind: [name, severity, perPod]. */
    private static final Map<String, List<String[]>> CAUSES =
            Map.of(
                    "db",
                    List.of(
                            a("DatabaseConnectionsSaturated", "critical", false),
                            a("DatabaseReplicaLagHigh", "warning", true),
                            a("DatabaseUnavailable", "critical", true),
                            a("DatabaseDiskIOHigh", "warning", false)),
                    "cache",
                    List.of(
                            a("CacheUnavailable", "critical", true),
                            a("CacheEvictionsSpike", "warning", false),
                            a("CacheHitRatioLow", "warning", false)),
                    "mq",
                    List.of(
                            a("QueueBrokerDown", "critical", true),
                            a("QueueDepthHigh", "warning", false),
                            a("ConsumerAcksFailing", "warning", false)),
                    "core",
                    List.of(
                            a("RequestErrorRatioHigh", "critical", false),
                            a("LatencySLOFastBurn", "critical", false),
                            a("PodRestartsHigh", "warning", true),
                            a("ThreadPoolSaturated", "warning", false)),
                    "worker",
                    List.of(
                            a("JobBacklogGrowing", "warning", false),
                            a("WorkerErrorRatioHigh", "critical", false),
                            a("PodRestartsHigh", "warning", true)),
                    "bff",
                    List.of(
                            a("RequestErrorRatioHigh", "critical", false),
                            a("LatencySLOFastBurn", "critical", false),
                            a("PodRestartsHigh", "warning", true)),
                    "gw",
                    List.of(
                            a("IngressUpstream5xx", "critical", false),
                            a("IngressLatencyP99High", "warning", false),
                            a("GatewayCircuitOpen", "warning", false)));

    private static final Map<String, List<String[]>> SYMPTOMS =
            Map.of(
                    "core",
                    List.of(
                            a("RequestErrorRatioHigh", "critical", false),
                            a("LatencySLOFastBurn", "critical", false),
                            a("UpstreamCallErrors", "warning", false),
                            a("ThreadPoolSaturated", "warning", false)),
                    "worker",
                    List.of(
                            a("JobBacklogGrowing", "warning", false),
                            a("WorkerErrorRatioHigh", "critical", false)),
                    "bff",
                    List.of(
                            a("RequestErrorRatioHigh", "critical", false),
                            a("LatencySLOFastBurn", "critical", false),
                            a("UpstreamCallErrors", "warning", false)),
                    "gw",
                    List.of(
                            a("IngressUpstream5xx", "critical", false),
                            a("IngressLatencyP99High", "warning", false)),
                    "db",
                    List.<String[]>of(a("DatabaseConnectionsSaturated", "critical", false)),
                    "cache",
                    List.<String[]>of(a("CacheEvictionsSpike", "warning", false)),
                    "mq",
                    List.<String[]>of(a("QueueDepthHigh", "warning", false)));

    private static final List<String[]> NOISE =
            List.of(
                    a("CronJobMissedSchedule", "warning", false),
                    a("CertificateRenewalPending", "info", false),
                    a("NodeDiskUsage80", "warning", true),
                    a("PodEvicted", "info", true),
                    a("ConfigReloadFailed", "warning", false),
                    a("ImagePullBackOff", "warning", true));

    private static final Map<String, String[]> FLAPPY =
            Map.of(
                    "core", a("LatencySLOFastBurn", "critical", false),
                    "db", a("DatabaseReplicaLagHigh", "warning", true),
                    "mq", a("QueueDepthHigh", "warning", false),
                    "worker", a("JobBacklogGrowing", "warning", false));

    private final long seed;
    private final Settings settings;
    private final Random random;
    private final Storm storm;
    private final Estate estate = new Estate();
    private final List<String> appClusters = new ArrayList<>();
    private final String dataCluster;
    private final Map<String, Integer> fanIn = new HashMap<>();

    private MeshFamily(long seed, Settings settings) {
        this.seed = seed;
        this.settings = settings;
        this.random = new Random(seed * 7919 + 17);
        int apps = settings.services() < 100 ? 2 : 3;
        for (int i = 1; i <= apps; i++) {
            appClusters.add("gke-apps-" + i);
        }
        dataCluster = "gke-data-1";
        Map<String, Long> resend = new HashMap<>();
        resend.put(dataCluster, 30 * SECOND);
        for (int i = 0; i < apps; i++) {
            resend.put(appClusters.get(i), i % 2 == 0 ? 60 * SECOND : 120 * SECOND);
        }
        this.storm =
                new Storm(random, new Storm.Delivery(resend, 0.5, 900, 0.12, 60 * SECOND, false));
    }

    /** The scenario of {@code seed}: same seed and settings, same bytes. */
    public static Scenario generate(long seed, Settings settings) {
        return new MeshFamily(seed, settings).run();
    }

    private Scenario run() {
        buildEstate();
        long start = START.toEpochMilli();
        long scoredFrom = start + settings.warmup().toMillis();
        long end = scoredFrom + settings.horizon().toMillis();
        faults(start, end);
        noise(start, end);
        List<String> clusters = new ArrayList<>(appClusters);
        clusters.add(dataCluster);
        return storm.render(
                estate,
                String.format(
                        "MeshFamily(services=%d, warmup=%s, horizon=%s; %d edges, %d documented)",
                        settings.services(),
                        settings.warmup(),
                        settings.horizon(),
                        estate.edges(),
                        estate.documentedEdges()),
                seed,
                settings.services(),
                clusters,
                start,
                scoredFrom,
                List.of());
    }

    // ---------------------------------------------------------------- the estate

    private void buildEstate() {
        int n = settings.services();
        int db = Math.max(2, (int) Math.round(n * 0.14));
        int cache = Math.max(1, (int) Math.round(n * 0.08));
        int mq = Math.max(1, (int) Math.round(n * 0.06));
        int gw = Math.max(1, (int) Math.round(n * 0.08));
        int bff = Math.max(1, (int) Math.round(n * 0.12));
        int worker = Math.max(1, (int) Math.round(n * 0.10));
        int core = n - db - cache - mq - gw - bff - worker;
        List<String> areas = new ArrayList<>(AREAS);
        Collections.shuffle(areas, random);
        Set<String> names = new LinkedHashSet<>();
        List<String> data = new ArrayList<>();
        List<String> cores = new ArrayList<>();
        int area = 0;
        for (int i = 0; i < db; i++) {
            data.add(add(names, areas.get(area++ % areas.size()), "db", dataOrApp(0.7)));
        }
        for (int i = 0; i < cache; i++) {
            data.add(add(names, areas.get(area++ % areas.size()), "cache", dataOrApp(0.5)));
        }
        for (int i = 0; i < mq; i++) {
            data.add(add(names, areas.get(area++ % areas.size()), "mq", dataOrApp(0.8)));
        }
        area = 0;
        for (int i = 0; i < core; i++) {
            String cluster = appClusters.get(random.nextInt(appClusters.size()));
            String s = add(names, areas.get(area++ % areas.size()), "core", cluster);
            int want = 1 + random.nextInt(3);
            for (int k = 0; k < want; k++) {
                boolean toCore = !cores.isEmpty() && random.nextDouble() < 0.45;
                link(s, preferential(toCore ? cores : data));
            }
            cores.add(s);
        }
        List<String> workers = new ArrayList<>();
        for (int i = 0; i < worker; i++) {
            String s = add(names, areas.get(random.nextInt(areas.size())), "worker", app());
            int want = 1 + random.nextInt(3);
            for (int k = 0; k < want; k++) {
                link(s, preferential(random.nextDouble() < 0.5 ? cores : data));
            }
            workers.add(s);
        }
        List<String> bffs = new ArrayList<>();
        for (int i = 0; i < bff; i++) {
            String s = add(names, areas.get(random.nextInt(areas.size())), "bff", app());
            int want = 2 + random.nextInt(3);
            for (int k = 0; k < want; k++) {
                link(s, preferential(cores));
            }
            bffs.add(s);
        }
        for (int i = 0; i < gw; i++) {
            String s = add(names, "edge" + (i == 0 ? "" : "-" + (i + 1)), "gw", app());
            int want = 1 + random.nextInt(3);
            for (int k = 0; k < want; k++) {
                link(s, preferential(random.nextDouble() < 0.7 ? bffs : cores));
            }
        }
        // Everything below the gateways has a caller.
        for (Estate.Service s : estate.services()) {
            if (!s.kind().equals("gw") && estate.callers(s.name()).isEmpty()) {
                List<String> from =
                        s.kind().equals("bff")
                                ? gateways()
                                : s.kind().equals("core") ? bffs : cores;
                link(from.get(random.nextInt(from.size())), s.name());
            }
        }
        // The topology file misses some edges (undocumented calls).
        for (Estate.Service s : estate.services()) {
            for (String d : estate.calls(s.name())) {
                if (random.nextDouble() < 0.15) {
                    estate.undocument(s.name(), d);
                }
            }
        }
    }

    private List<String> gateways() {
        List<String> out = new ArrayList<>();
        for (Estate.Service s : estate.services()) {
            if (s.kind().equals("gw")) {
                out.add(s.name());
            }
        }
        return out;
    }

    private String dataOrApp(double dataShare) {
        return random.nextDouble() < dataShare ? dataCluster : app();
    }

    private String app() {
        return appClusters.get(random.nextInt(appClusters.size()));
    }

    private String add(Set<String> names, String area, String kind, String cluster) {
        String base = area + "-" + kind;
        String name = base;
        for (int i = 2; !names.add(name); i++) {
            name = base + i;
        }
        List<String> pods = new ArrayList<>();
        int count = 2 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            pods.add(
                    kind.equals("db") || kind.equals("mq") || kind.equals("cache")
                            ? name + "-" + i
                            : name + "-" + Integer.toString(100000 + random.nextInt(900000), 36));
        }
        String tier =
                switch (kind) {
                    case "db", "cache", "mq" -> "datastore";
                    case "gw" -> "edge";
                    case "bff" -> "api";
                    default -> "service";
                };
        estate.add(new Estate.Service(name, cluster, kind, tier, "squad-" + area, pods));
        fanIn.put(name, 0);
        return name;
    }

    /** A callee, likelier the more callers it already has (hubs form). */
    private String preferential(List<String> from) {
        double total = 0;
        for (String s : from) {
            total += Math.pow(1 + fanIn.get(s), 1.2);
        }
        double x = random.nextDouble() * total;
        for (String s : from) {
            x -= Math.pow(1 + fanIn.get(s), 1.2);
            if (x <= 0) {
                return s;
            }
        }
        return from.get(from.size() - 1);
    }

    private void link(String caller, String callee) {
        if (caller.equals(callee) || estate.calls(caller).contains(callee)) {
            return;
        }
        double x = random.nextDouble();
        double strength = x < 0.55 ? 0.9 : x < 0.85 ? 0.6 : 0.25;
        estate.call(caller, callee, strength);
        fanIn.merge(callee, 1, Integer::sum);
    }

    // ---------------------------------------------------------------- faults

    private void faults(long start, long end) {
        double perHour = settings.services() / 12.0;
        long t = start + 5 * MINUTE;
        String previous = null;
        long previousAt = 0;
        while (true) {
            t += storm.exponential(3_600_000 / perHour);
            if (t > end - 40 * MINUTE) {
                break;
            }
            String root = null;
            long at = t;
            if (previous != null && random.nextDouble() < 0.33) {
                // A burst: another fault close to the previous one, in place and time.
                List<String> near = near(previous);
                if (!near.isEmpty()) {
                    root = near.get(random.nextInt(near.size()));
                    at = previousAt + storm.uniform(0, 3 * MINUTE);
                }
            }
            if (root == null) {
                root = pickRoot();
            }
            long duration = storm.logNormal(12 * MINUTE, 0.6, 4 * MINUTE, 60 * MINUTE);
            if (storm.free(root, at, at + duration + 5 * MINUTE) && cascade(root, at, duration)) {
                previous = root;
                previousAt = at;
            }
        }
    }

    /** Services within two calls of {@code s}, either way. */
    private List<String> near(String s) {
        Set<String> out = new LinkedHashSet<>();
        for (String a : neighbours(s)) {
            out.add(a);
            out.addAll(neighbours(a));
        }
        out.remove(s);
        return new ArrayList<>(out);
    }

    private List<String> neighbours(String s) {
        List<String> out = new ArrayList<>(estate.calls(s));
        out.addAll(estate.callers(s));
        return out;
    }

    private String pickRoot() {
        double x = random.nextDouble();
        String kind =
                x < 0.30
                        ? "db"
                        : x < 0.40
                                ? "cache"
                                : x < 0.48 ? "mq" : x < 0.83 ? "core" : x < 0.90 ? "worker" : "bff";
        List<String> of = new ArrayList<>();
        for (Estate.Service s : estate.services()) {
            if (s.kind().equals(kind)) {
                of.add(s.name());
            }
        }
        return of.get(random.nextInt(of.size()));
    }

    private boolean cascade(String root, long t0, long duration) {
        long recover = t0 + duration;
        long until = recover + 8 * MINUTE;
        Map<String, Spread.Hit> hit =
                Spread.from(
                        estate,
                        storm,
                        random,
                        root,
                        t0,
                        until,
                        0.85,
                        6,
                        (caller, callee) ->
                                storm.logNormal(40 * SECOND, 1.0, 5 * SECOND, 6 * MINUTE));
        Estate.Service r = estate.service(root);
        Storm.Fault f = storm.fault(GroundTruth.CASCADE, r.cluster(), root);
        long lastEnd = recover;
        List<String[]> causes = shuffled(CAUSES.get(r.kind()));
        int k = 1 + random.nextInt(Math.min(3, causes.size()));
        for (int i = 0; i < k; i++) {
            long s = i == 0 ? t0 : t0 + storm.uniform(5 * SECOND, 120 * SECOND);
            lastEnd =
                    Math.max(
                            lastEnd,
                            emit(f, r, causes.get(i), s, recover + storm.uniform(0, MINUTE)));
        }
        int alerting = 0;
        for (Map.Entry<String, Spread.Hit> e : hit.entrySet()) {
            if (e.getKey().equals(root) || alerting >= 14 || random.nextDouble() < 0.2) {
                continue; // a fifth of the affected stay silent
            }
            alerting++;
            Estate.Service s = estate.service(e.getKey());
            List<String[]> symptoms = shuffled(SYMPTOMS.get(s.kind()));
            int n = random.nextDouble() < 0.5 ? 2 : 1;
            for (int i = 0; i < Math.min(n, symptoms.size()); i++) {
                long st = e.getValue().onset() + (i == 0 ? 0 : storm.uniform(0, 90 * SECOND));
                long en = recover + e.getValue().depth() * storm.uniform(10 * SECOND, 80 * SECOND);
                if (random.nextDouble() < 0.12 && en - st > 6 * MINUTE) {
                    // Intermittent: clears early and, half the time, fires once more.
                    long mid = st + storm.uniform(2 * MINUTE, (en - st) / 2);
                    emit(f, s, symptoms.get(i), st, mid);
                    if (random.nextDouble() < 0.5) {
                        long again = mid + storm.uniform(MINUTE, 3 * MINUTE);
                        if (again < en - MINUTE) {
                            lastEnd = Math.max(lastEnd, emit(f, s, symptoms.get(i), again, en));
                        }
                    }
                } else {
                    lastEnd = Math.max(lastEnd, emit(f, s, symptoms.get(i), st, en));
                }
            }
        }
        for (String s : hit.keySet()) {
            storm.occupy(s, t0, lastEnd);
        }
        return true;
    }

    private void noise(long start, long end) {
        List<Estate.Service> all = estate.services();
        double perHour = settings.services() / 10.0;
        long t = start + 2 * MINUTE;
        while (true) {
            t += storm.exponential(3_600_000 / perHour);
            if (t > end - 5 * MINUTE) {
                break;
            }
            Estate.Service s = all.get(random.nextInt(all.size()));
            long len = storm.logNormal(3 * MINUTE, 0.6, 40 * SECOND, 12 * MINUTE);
            if (!storm.free(s.name(), t, t + len)) {
                continue;
            }
            String[] rule =
                    random.nextDouble() < 0.55
                            ? NOISE.get(random.nextInt(NOISE.size()))
                            : SYMPTOMS.get(s.kind())
                                    .get(random.nextInt(SYMPTOMS.get(s.kind()).size()));
            Storm.Fault f = storm.fault(GroundTruth.NOISE, s.cluster(), s.name());
            storm.occupy(s.name(), t, emit(f, s, rule, t, t + len, 1));
        }
        // A few chatty services raise the same housekeeping alert every 30-90 minutes.
        for (Estate.Service s : all) {
            if (random.nextDouble() >= 0.05) {
                continue;
            }
            String[] rule = NOISE.get(random.nextInt(NOISE.size()));
            for (long at = start + storm.uniform(0, 30 * MINUTE);
                    at < end - 5 * MINUTE;
                    at += storm.uniform(30 * MINUTE, 90 * MINUTE)) {
                long len = storm.uniform(MINUTE, 4 * MINUTE);
                if (storm.free(s.name(), at, at + len)) {
                    Storm.Fault f = storm.fault(GroundTruth.NOISE, s.cluster(), s.name());
                    storm.occupy(s.name(), at, emit(f, s, rule, at, at + len, 1));
                }
            }
        }
        double flapsPerHour = Math.max(0.5, settings.services() / 60.0);
        t = start + 5 * MINUTE;
        while (true) {
            t += storm.exponential(3_600_000 / flapsPerHour);
            if (t > end - 20 * MINUTE) {
                break;
            }
            Estate.Service s = all.get(random.nextInt(all.size()));
            String[] rule = FLAPPY.get(s.kind());
            if (rule == null || !storm.free(s.name(), t, t + 15 * MINUTE)) {
                continue;
            }
            Map<String, String> labels = labels(s, rule, pod(s, rule));
            Storm.Fault f = storm.fault(GroundTruth.FLAPPING, s.cluster(), s.name());
            int cycles = 4 + random.nextInt(6);
            long at = t;
            for (int i = 0; i < cycles; i++) {
                long e = at + storm.uniform(20 * SECOND, 90 * SECOND);
                storm.episode(f, labels, summary(s, rule), at, e);
                at = e + storm.uniform(20 * SECOND, 60 * SECOND);
            }
            storm.occupy(s.name(), t, at);
        }
    }

    private long emit(Storm.Fault f, Estate.Service s, String[] rule, long start, long end) {
        return emit(f, s, rule, start, end, 3);
    }

    /** One rule's episodes on a service (per-pod rules on up to {@code maxPods} pods). */
    private long emit(
            Storm.Fault f, Estate.Service s, String[] rule, long start, long end, int maxPods) {
        if (!Boolean.parseBoolean(rule[2])) {
            storm.episode(f, labels(s, rule, null), summary(s, rule), start, end);
            return end;
        }
        List<String> pods = shuffled(s.pods());
        int count = 1 + random.nextInt(Math.min(maxPods, pods.size()));
        long last = end;
        for (int i = 0; i < count; i++) {
            long st = i == 0 ? start : start + storm.uniform(3 * SECOND, 60 * SECOND);
            long en = Math.max(st + MINUTE, end + (i == 0 ? 0 : storm.uniform(0, 40 * SECOND)));
            storm.episode(f, labels(s, rule, pods.get(i)), summary(s, rule), st, en);
            last = Math.max(last, en);
        }
        return last;
    }

    private String pod(Estate.Service s, String[] rule) {
        return Boolean.parseBoolean(rule[2]) ? s.pods().get(random.nextInt(s.pods().size())) : null;
    }

    private static Map<String, String> labels(Estate.Service s, String[] rule, String pod) {
        Map<String, String> l = new TreeMap<>();
        l.put("alertname", rule[0]);
        l.put("severity", rule[1]);
        l.put("cluster", s.cluster());
        l.put("namespace", s.team().substring("squad-".length()));
        l.put("service", s.name());
        l.put("team", s.team());
        if (pod != null) {
            l.put("pod", pod);
        }
        return l;
    }

    private static String summary(Estate.Service s, String[] rule) {
        return rule[0] + " on " + s.name();
    }

    private <T> List<T> shuffled(List<T> list) {
        List<T> copy = new ArrayList<>(list);
        Collections.shuffle(copy, random);
        return copy;
    }

    private static String[] a(String name, String severity, boolean perPod) {
        return new String[] {name, severity, Boolean.toString(perPod)};
    }
}

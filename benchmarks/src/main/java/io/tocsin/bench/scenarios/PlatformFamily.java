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
 * Scenario family "platform": hub and spoke. A shared platform (identity, DNS, event bus, shared
 * database, config, secrets, ...) runs in its own cluster; product teams each run a short chain
 * (ingress, web, backends, their own stores) in app clusters, call several platform services and
 * now and then another product. A third of the faults start in the platform and reach many products
 * weakly (each caller with probability 0.35, log-normal per-hop delay median 90 s, up to 8 min);
 * the rest start inside a product and spread strongly and fast along its chain. Noise is heavy (a
 * sixth of the services per hour). The topology file is what product teams document: their own
 * services and calls, nothing about the platform, so every platform dependency is missing from it;
 * the service mesh sees every call (Istio request metrics with source and destination workload
 * labels, one point per call every 10 minutes, in {@code telemetry.jsonl}). Firing notifications
 * carry endsAt like Prometheus sends them.
 */
public final class PlatformFamily {

    /** Scenario start: fixed so the files of a seed never change. */
    static final Instant START = Instant.parse("2026-11-16T00:00:00Z");

    private static final long SECOND = Storm.SECOND;
    private static final long MINUTE = Storm.MINUTE;
    private static final String PLATFORM = "platform-core";

    /**
     * What to generate.
     *
     * @param services estate size
     * @param warmup history before the scored part (episodes in it are not scored)
     * @param horizon the scored part
     */
    public record Settings(int services, Duration warmup, Duration horizon) {
        public Settings {
            if (services < 15) {
                throw new IllegalArgumentException(
                        "a platform estate needs at least 15 services: " + services);
            }
        }
    }

    /** Platform services: [name, what it calls (comma separated, may be empty)]. */
    private static final List<String[]> PLATFORM_SERVICES =
            List.of(
                    new String[] {"shared-postgres", ""},
                    new String[] {"identity", "shared-postgres"},
                    new String[] {"event-bus", ""},
                    new String[] {"cluster-dns", ""},
                    new String[] {"config-store", "shared-postgres"},
                    new String[] {"secrets", "shared-postgres"},
                    new String[] {"object-store", ""},
                    new String[] {"feature-flags", "config-store"},
                    new String[] {"rate-limiter", ""},
                    new String[] {"mesh-control", "config-store"},
                    new String[] {"search-cluster", ""},
                    new String[] {"email-relay", "event-bus"});

    private static final List<String> PRODUCTS =
            List.of(
                    "atlas",
                    "beacon",
                    "cobalt",
                    "delta",
                    "ember",
                    "fjord",
                    "garnet",
                    "harbor",
                    "iris",
                    "juniper",
                    "kestrel",
                    "lumen",
                    "meridian",
                    "nimbus",
                    "onyx",
                    "pylon",
                    "quartz",
                    "raven",
                    "sable",
                    "tundra",
                    "umber",
                    "vertex",
                    "willow",
                    "xenon",
                    "yarrow",
                    "zephyr",
                    "aurora",
                    "bramble",
                    "cinder",
                    "dune",
                    "echo",
                    "flint");

    /** Vocabulary per kind: [name, severity, perInstance]. */
    private static final Map<String, List<String[]>> CAUSES =
            Map.ofEntries(
                    Map.entry(
                            "ingress",
                            List.of(
                                    a("Http5xxBudgetExhausted", "critical", false),
                                    a("UpstreamTimeouts", "warning", false))),
                    Map.entry(
                            "web",
                            List.of(
                                    a("FrontendErrorsElevated", "critical", false),
                                    a("SlowResponses", "warning", false),
                                    a("ContainerRestarting", "warning", true))),
                    Map.entry(
                            "backend",
                            List.of(
                                    a("BackendExceptionsRate", "critical", false),
                                    a("ContainerRestarting", "warning", true),
                                    a("HeapExhaustion", "warning", true))),
                    Map.entry(
                            "store",
                            List.of(
                                    a("StoreWriteErrors", "critical", false),
                                    a("StoreNodeDown", "critical", true),
                                    a("StoreLatency", "warning", false))),
                    Map.entry(
                            "platform",
                            List.of(
                                    a("PlatformServiceUnavailable", "critical", true),
                                    a("PlatformErrorBudgetBurn", "critical", false),
                                    a("PlatformSaturation", "warning", false),
                                    a("PlatformLatencyDegraded", "warning", false))));

    private static final Map<String, List<String[]>> SYMPTOMS =
            Map.of(
                    "ingress",
                    List.of(
                            a("Http5xxBudgetExhausted", "critical", false),
                            a("UpstreamTimeouts", "warning", false)),
                    "web",
                    List.of(
                            a("FrontendErrorsElevated", "critical", false),
                            a("SlowResponses", "warning", false)),
                    "backend",
                    List.of(
                            a("BackendExceptionsRate", "critical", false),
                            a("DependencyCallFailures", "warning", false),
                            a("RetryStorm", "warning", false)),
                    "store",
                    List.<String[]>of(a("StoreLatency", "warning", false)),
                    "platform",
                    List.of(
                            a("PlatformLatencyDegraded", "warning", false),
                            a("PlatformErrorBudgetBurn", "critical", false)));

    private static final List<String[]> NOISE =
            List.of(
                    a("BackupJobSlow", "warning", false),
                    a("LicenseExpiring", "info", false),
                    a("NodeMemoryPressure", "warning", true),
                    a("AutoscalerAtMax", "info", false),
                    a("SyntheticProbeFlaky", "warning", false),
                    a("LogShipperBacklog", "info", true));

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private final long seed;
    private final Settings settings;
    private final Random random;
    private final Storm storm;
    private final Estate estate = new Estate();
    private final List<String> platform = new ArrayList<>();
    private final List<String> clusters = new ArrayList<>();
    private final Map<String, List<String>> products = new HashMap<>();

    private PlatformFamily(long seed, Settings settings) {
        this.seed = seed;
        this.settings = settings;
        this.random = new Random(seed * 104729 + 5);
        this.storm =
                new Storm(random, new Storm.Delivery(Map.of(), 0.3, 1500, 0.08, 45 * SECOND, true));
    }

    /** The scenario of {@code seed}: same seed and settings, same bytes. */
    public static Scenario generate(long seed, Settings settings) {
        return new PlatformFamily(seed, settings).run();
    }

    private Scenario run() {
        buildEstate();
        long start = START.toEpochMilli();
        long scoredFrom = start + settings.warmup().toMillis();
        long end = scoredFrom + settings.horizon().toMillis();
        faults(start, end);
        noise(start, end);
        return storm.render(
                estate,
                String.format(
                        "PlatformFamily(services=%d, warmup=%s, horizon=%s; %d edges, %d"
                                + " documented)",
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
                meshTelemetry(start, end));
    }

    /** Istio's request counter per call, every 10 minutes: the calls the mesh sees. */
    private List<String> meshTelemetry(long start, long end) {
        List<String> lines = new ArrayList<>();
        Map<String, Double> total = new TreeMap<>();
        Random random = new Random(seed * 31 + 7); // its own, so the alerts do not depend on it
        for (long t = start; t <= end; t += 10 * MINUTE) {
            for (Estate.Service s : estate.services()) {
                for (String callee : estate.calls(s.name())) {
                    String key = s.name() + ">" + callee;
                    double v = total.merge(key, 500.0 + random.nextInt(5000), Double::sum);
                    Map<String, Object> labels = new TreeMap<>();
                    labels.put("source_workload", s.name());
                    labels.put("destination_workload", callee);
                    labels.put("source_cluster", s.cluster());
                    labels.put("destination_cluster", estate.service(callee).cluster());
                    labels.put("reporter", "source");
                    labels.put("response_code", "200");
                    Map<String, Object> point = new java.util.LinkedHashMap<>();
                    point.put("metric", "istio_requests_total");
                    point.put("labels", labels);
                    point.put("value", v);
                    point.put("timestamp", Instant.ofEpochMilli(t).toString());
                    try {
                        lines.add(JSON.writeValueAsString(point));
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }
        }
        return lines;
    }

    // ---------------------------------------------------------------- the estate

    private void buildEstate() {
        int n = settings.services();
        int core = Math.min(PLATFORM_SERVICES.size(), Math.max(5, (int) Math.round(n * 0.08)));
        clusters.add(PLATFORM);
        for (int i = 0; i < core; i++) {
            String name = PLATFORM_SERVICES.get(i)[0];
            estate.add(
                    new Estate.Service(
                            name,
                            PLATFORM,
                            "platform",
                            "platform",
                            "team-platform",
                            pods(name, 3)));
            platform.add(name);
        }
        for (int i = 0; i < core; i++) {
            for (String d : PLATFORM_SERVICES.get(i)[1].split(",")) {
                if (!d.isEmpty() && platform.contains(d)) {
                    estate.call(platform.get(i), d, 0.6);
                }
            }
        }
        List<String> names = new ArrayList<>(PRODUCTS);
        Collections.shuffle(names, random);
        int left = n - core;
        int p = 0;
        while (left >= 3) {
            int size = Math.min(left, 3 + random.nextInt(6));
            if (left - size < 3) {
                size = left;
            }
            String product = names.get(p % names.size()) + (p >= names.size() ? "" + p : "");
            String cluster = "apps-" + (1 + p / 3);
            if (!clusters.contains(cluster)) {
                clusters.add(cluster);
            }
            product(product, cluster, size);
            left -= size;
            p++;
        }
        // Now and then a product calls another product's backend.
        List<String> all = new ArrayList<>(products.keySet());
        Collections.sort(all);
        for (String prod : all) {
            if (random.nextDouble() < 0.15 && all.size() > 1) {
                String other = all.get(random.nextInt(all.size()));
                if (!other.equals(prod)) {
                    List<String> mine = products.get(prod);
                    String caller = mine.get(random.nextInt(mine.size()));
                    String callee = firstOfKind(other, "backend");
                    if (callee != null && !estate.service(caller).kind().equals("store")) {
                        estate.call(caller, callee, 0.5);
                    }
                }
            }
        }
        // Product teams document their own services; nobody documents the platform.
        for (String s : platform) {
            estate.undocument(s);
        }
    }

    private void product(String product, String cluster, int size) {
        List<String> mine = new ArrayList<>();
        String team = "team-" + product;
        String ingress = product + "-ingress";
        add(ingress, cluster, "ingress", "edge", team, mine);
        int stores = size >= 6 ? 2 : 1;
        boolean web = size >= 4;
        int backends = size - 1 - stores - (web ? 1 : 0);
        String front = ingress;
        if (web) {
            front = product + "-web";
            add(front, cluster, "web", "api", team, mine);
            estate.call(ingress, front, 0.9);
        }
        List<String> bs = new ArrayList<>();
        for (int i = 0; i < backends; i++) {
            String b = product + "-" + (i == 0 ? "core" : "worker" + (i > 1 ? i : ""));
            add(b, cluster, "backend", "service", team, mine);
            estate.call(front, b, i == 0 ? 0.9 : 0.6);
            if (i > 0 && random.nextDouble() < 0.5) {
                estate.call(bs.get(0), b, 0.7);
            }
            bs.add(b);
        }
        for (int i = 0; i < stores; i++) {
            String s = product + (i == 0 ? "-db" : "-cache");
            add(s, cluster, "store", "datastore", team, mine);
            for (String b : bs) {
                if (i == 0 || random.nextDouble() < 0.5) {
                    estate.call(b, s, 0.85);
                }
            }
            if (bs.isEmpty()) {
                estate.call(front, s, 0.85);
            }
        }
        // Platform dependencies: identity from the front, the rest from the backends.
        if (platform.contains("identity") && random.nextDouble() < 0.8) {
            estate.call(front, "identity", 0.35);
        }
        for (String b : bs.isEmpty() ? List.of(front) : bs) {
            Set<String> picks = new LinkedHashSet<>();
            int want = 1 + random.nextInt(3);
            for (int k = 0; k < want * 3 && picks.size() < want; k++) {
                String d = platform.get(random.nextInt(platform.size()));
                if (!d.equals("identity") || random.nextDouble() < 0.3) {
                    picks.add(d);
                }
            }
            for (String d : picks) {
                estate.call(b, d, 0.35);
            }
        }
        products.put(product, mine);
    }

    private String firstOfKind(String product, String kind) {
        for (String s : products.get(product)) {
            if (estate.service(s).kind().equals(kind)) {
                return s;
            }
        }
        return null;
    }

    private void add(
            String name, String cluster, String kind, String tier, String team, List<String> mine) {
        estate.add(
                new Estate.Service(
                        name, cluster, kind, tier, team, pods(name, 2 + random.nextInt(3))));
        mine.add(name);
    }

    private List<String> pods(String name, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(name + "-" + Integer.toString(0x10000 + random.nextInt(0xeffff), 16) + ":8443");
        }
        return out;
    }

    // ---------------------------------------------------------------- faults

    private void faults(long start, long end) {
        double perHour = settings.services() / 14.0;
        long t = start + 5 * MINUTE;
        while (true) {
            t += storm.exponential(3_600_000 / perHour);
            if (t > end - 45 * MINUTE) {
                break;
            }
            String root;
            if (random.nextDouble() < 0.3) {
                root = platform.get(random.nextInt(platform.size()));
            } else {
                List<String> prods = new ArrayList<>(products.keySet());
                Collections.sort(prods);
                List<String> mine = products.get(prods.get(random.nextInt(prods.size())));
                List<String> weighted = new ArrayList<>();
                for (String s : mine) {
                    String kind = estate.service(s).kind();
                    int w = kind.equals("store") ? 4 : kind.equals("backend") ? 3 : 1;
                    for (int i = 0; i < w; i++) {
                        weighted.add(s);
                    }
                }
                root = weighted.get(random.nextInt(weighted.size()));
            }
            long duration = storm.logNormal(15 * MINUTE, 0.5, 5 * MINUTE, 50 * MINUTE);
            if (storm.free(root, t, t + duration + 10 * MINUTE)) {
                cascade(root, t, duration);
            }
        }
    }

    private void cascade(String root, long t0, long duration) {
        long recover = t0 + duration;
        long until = recover + 10 * MINUTE;
        Map<String, Spread.Hit> hit =
                Spread.from(
                        estate,
                        storm,
                        random,
                        root,
                        t0,
                        until,
                        0.9,
                        5,
                        (caller, callee) ->
                                estate.service(callee).kind().equals("platform")
                                        ? storm.logNormal(90 * SECOND, 0.8, 10 * SECOND, 8 * MINUTE)
                                        : storm.logNormal(
                                                25 * SECOND, 0.7, 3 * SECOND, 3 * MINUTE));
        Estate.Service r = estate.service(root);
        Storm.Fault f = storm.fault(GroundTruth.CASCADE, r.cluster(), root);
        long lastEnd = recover;
        List<String[]> causes = shuffled(CAUSES.get(r.kind()));
        int k = 1 + random.nextInt(Math.min(2, causes.size()));
        for (int i = 0; i < k; i++) {
            long s = i == 0 ? t0 : t0 + storm.uniform(10 * SECOND, 150 * SECOND);
            lastEnd =
                    Math.max(
                            lastEnd,
                            emit(f, r, causes.get(i), s, recover + storm.uniform(0, 90 * SECOND)));
        }
        int alerting = 0;
        for (Map.Entry<String, Spread.Hit> e : hit.entrySet()) {
            if (e.getKey().equals(root) || alerting >= 16 || random.nextDouble() < 0.25) {
                continue;
            }
            alerting++;
            Estate.Service s = estate.service(e.getKey());
            List<String[]> symptoms = shuffled(SYMPTOMS.get(s.kind()));
            int n = Math.min(symptoms.size(), random.nextDouble() < 0.4 ? 2 : 1);
            for (int i = 0; i < n; i++) {
                long st = e.getValue().onset() + (i == 0 ? 0 : storm.uniform(0, 60 * SECOND));
                long en = recover + e.getValue().depth() * storm.uniform(20 * SECOND, 2 * MINUTE);
                lastEnd = Math.max(lastEnd, emit(f, s, symptoms.get(i), st, en));
            }
        }
        for (String s : hit.keySet()) {
            storm.occupy(s, t0, lastEnd);
        }
    }

    private void noise(long start, long end) {
        List<Estate.Service> all = estate.services();
        double perHour = settings.services() / 6.0;
        long t = start + 2 * MINUTE;
        while (true) {
            t += storm.exponential(3_600_000 / perHour);
            if (t > end - 5 * MINUTE) {
                break;
            }
            Estate.Service s = all.get(random.nextInt(all.size()));
            long len = storm.logNormal(2 * MINUTE, 0.7, 30 * SECOND, 15 * MINUTE);
            if (!storm.free(s.name(), t, t + len)) {
                continue;
            }
            List<String[]> own = SYMPTOMS.get(s.kind());
            String[] rule =
                    random.nextDouble() < 0.6
                            ? NOISE.get(random.nextInt(NOISE.size()))
                            : own.get(random.nextInt(own.size()));
            Storm.Fault f = storm.fault(GroundTruth.NOISE, s.cluster(), s.name());
            storm.occupy(s.name(), t, emit(f, s, rule, t, t + len, 1));
        }
    }

    private long emit(Storm.Fault f, Estate.Service s, String[] rule, long start, long end) {
        return emit(f, s, rule, start, end, 2);
    }

    private long emit(
            Storm.Fault f, Estate.Service s, String[] rule, long start, long end, int maxPods) {
        if (!Boolean.parseBoolean(rule[2])) {
            storm.episode(f, labels(s, rule, s.name() + ".svc:8443"), summary(s, rule), start, end);
            return end;
        }
        List<String> pods = shuffled(s.pods());
        int count = 1 + random.nextInt(Math.min(maxPods, pods.size()));
        long last = end;
        for (int i = 0; i < count; i++) {
            long st = i == 0 ? start : start + storm.uniform(5 * SECOND, 45 * SECOND);
            long en = Math.max(st + MINUTE, end + (i == 0 ? 0 : storm.uniform(0, 30 * SECOND)));
            storm.episode(f, labels(s, rule, pods.get(i)), summary(s, rule), st, en);
            last = Math.max(last, en);
        }
        return last;
    }

    private static Map<String, String> labels(Estate.Service s, String[] rule, String instance) {
        Map<String, String> l = new TreeMap<>();
        l.put("alertname", rule[0]);
        l.put("severity", rule[1]);
        l.put("cluster", s.cluster());
        l.put("env", "prod");
        l.put("service", s.name());
        l.put("owner", s.team());
        l.put("instance", instance);
        return l;
    }

    private static String summary(Estate.Service s, String[] rule) {
        return s.name() + ": " + rule[0];
    }

    private <T> List<T> shuffled(List<T> list) {
        List<T> copy = new ArrayList<>(list);
        Collections.shuffle(copy, random);
        return copy;
    }

    private static String[] a(String name, String severity, boolean perInstance) {
        return new String[] {name, severity, Boolean.toString(perInstance)};
    }
}

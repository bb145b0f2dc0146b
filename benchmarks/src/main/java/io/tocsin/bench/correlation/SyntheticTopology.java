package io.tocsin.bench.correlation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * A random service estate in four tiers (edge calls api, api calls service, service calls
 * datastore), each service calling 1-3 services of lower tiers, mostly of its own domain, and every
 * non-edge service called by someone. Written as the topology file contract of DESIGN.md.
 *
 * @param services the services, edge first, then api, service, datastore
 */
public record SyntheticTopology(List<Node> services) implements ScenarioTopology {

    /** Tier names, highest (closest to users) first, as the topology file spells them. */
    public static final List<String> TIERS = List.of("edge", "api", "service", "datastore");

    /**
     * One service.
     *
     * @param name service name, the {@code service} label of its alerts
     * @param tier one of {@link #TIERS}
     * @param kind the tier, or for a datastore its technology (pg, redis, kafka, ...)
     * @param team owning team
     * @param dependsOn the services it calls
     * @param instances its pods or nodes (the {@code instance} label of per-instance alerts)
     */
    public record Node(
            String name,
            String tier,
            String kind,
            String team,
            List<String> dependsOn,
            List<String> instances) {
        public Node {
            dependsOn = List.copyOf(dependsOn);
            instances = List.copyOf(instances);
        }
    }

    private static final List<String> DOMAINS =
            List.of(
                    "users",
                    "orders",
                    "checkout",
                    "payments",
                    "inventory",
                    "search",
                    "catalog",
                    "cart",
                    "shipping",
                    "billing",
                    "auth",
                    "notifications",
                    "reviews",
                    "pricing",
                    "recommendations",
                    "accounts",
                    "loyalty",
                    "fraud",
                    "media",
                    "ledger",
                    "promotions",
                    "returns",
                    "invoices",
                    "tax",
                    "wishlist",
                    "sessions",
                    "analytics",
                    "messaging",
                    "profile",
                    "ratings",
                    "delivery",
                    "warehouse",
                    "subscriptions",
                    "giftcards",
                    "identity",
                    "geo",
                    "feeds",
                    "coupons",
                    "support",
                    "audit");

    private static final List<String> EDGES =
            List.of(
                    "edge-lb",
                    "web-frontend",
                    "mobile-gateway",
                    "partner-gateway",
                    "admin-portal",
                    "graphql-gateway",
                    "cdn-origin",
                    "public-api-gateway",
                    "websocket-gateway",
                    "webhooks-ingress");

    private static final String HEX = "0123456789abcdef";
    private static final String POD = "bcdfghjklmnpqrstvwxz2456789";

    public SyntheticTopology {
        services = List.copyOf(services);
    }

    /** Generates {@code size} services (at least 4) from {@code random}. */
    public static SyntheticTopology generate(Random random, int size) {
        if (size < 4) {
            throw new IllegalArgumentException("a topology needs at least 4 services: " + size);
        }
        int edges = Math.max(1, (int) Math.round(size * 0.1));
        int apis = Math.max(1, (int) Math.round(size * 0.2));
        int stores = Math.max(1, (int) Math.round(size * 0.3));
        int svcs = Math.max(1, size - edges - apis - stores);
        List<String> domains = new ArrayList<>(DOMAINS);
        Collections.shuffle(domains, random);
        Set<String> taken = new HashSet<>();

        List<Draft> edge = new ArrayList<>();
        for (int i = 0; i < edges; i++) {
            edge.add(
                    draft(
                            random,
                            unique(EDGES.get(i % EDGES.size()), taken),
                            "edge",
                            "edge",
                            "edge"));
        }
        List<Draft> api = new ArrayList<>();
        for (int i = 0; i < apis; i++) {
            String d = domains.get(i % domains.size());
            api.add(draft(random, unique(d + "-api", taken), "api", "api", d));
        }
        List<Draft> svc = new ArrayList<>();
        for (int i = 0; i < svcs; i++) {
            String d = domains.get(i % domains.size());
            svc.add(draft(random, unique(d + "-svc", taken), "service", "service", d));
        }
        List<Draft> store = new ArrayList<>();
        for (int i = 0; i < stores; i++) {
            // Most domains with a service own a datastore; the rest are shared ones.
            String d = domains.get(i % Math.max(1, Math.min(svcs + 2, domains.size())));
            String kind =
                    AlertCatalogue.DATASTORE_KINDS.get(
                            random.nextInt(AlertCatalogue.DATASTORE_KINDS.size()));
            store.add(draft(random, unique(d + "-" + kind, taken), "datastore", kind, d));
        }

        for (Draft e : edge) {
            pickDeps(random, e, api, List.of());
        }
        for (Draft a : api) {
            pickDeps(random, a, svc, store);
        }
        for (Draft s : svc) {
            pickDeps(random, s, store, List.of());
        }
        // Every service below the edge has a caller.
        coverCallers(random, api, edge);
        coverCallers(random, svc, api);
        coverCallers(random, store, svc);

        List<Node> nodes = new ArrayList<>();
        for (List<Draft> tier : List.of(edge, api, svc, store)) {
            for (Draft d : tier) {
                nodes.add(
                        new Node(
                                d.name,
                                d.tier,
                                d.kind,
                                d.tier.equals("edge") ? "team-edge" : "team-" + d.domain,
                                d.deps,
                                d.instances));
            }
        }
        return new SyntheticTopology(nodes);
    }

    @Override
    public Map<String, List<String>> dependsOn() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (Node n : services) {
            m.put(n.name(), n.dependsOn());
        }
        return m;
    }

    /** Services by name. */
    public Map<String, Node> byName() {
        Map<String, Node> m = new LinkedHashMap<>();
        for (Node n : services) {
            m.put(n.name(), n);
        }
        return m;
    }

    /** The services that call {@code service} directly, sorted. */
    public List<String> callers(String service) {
        Set<String> out = new TreeSet<>();
        for (Node n : services) {
            if (n.dependsOn().contains(service)) {
                out.add(n.name());
            }
        }
        return new ArrayList<>(out);
    }

    /** Writes the topology file contract: {"services":[{"name","tier","team","dependsOn"}]}. */
    @Override
    public void write(Path file) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Node n : services) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", n.name());
            m.put("tier", n.tier());
            m.put("team", n.team());
            m.put("dependsOn", n.dependsOn());
            list.add(m);
        }
        try {
            new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(file.toFile(), Map.of("services", list));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static final class Draft {
        final String name;
        final String tier;
        final String kind;
        final String domain;
        final List<String> deps = new ArrayList<>();
        final List<String> instances = new ArrayList<>();

        Draft(String name, String tier, String kind, String domain) {
            this.name = name;
            this.tier = tier;
            this.kind = kind;
            this.domain = domain;
        }
    }

    private static Draft draft(
            Random random, String name, String tier, String kind, String domain) {
        Draft d = new Draft(name, tier, kind, domain);
        int n = 2 + random.nextInt(2);
        String replicaSet = randomString(random, HEX, 9);
        for (int i = 0; i < n; i++) {
            d.instances.add(
                    tier.equals("datastore")
                            ? name + "-" + i
                            : name + "-" + replicaSet + "-" + randomString(random, POD, 5));
        }
        return d;
    }

    /** 1-3 callees: the same domain's one first when there is one, then from either list. */
    private static void pickDeps(Random random, Draft d, List<Draft> next, List<Draft> further) {
        int want = 1 + random.nextInt(3);
        for (Draft c : next) {
            if (c.domain.equals(d.domain) && random.nextDouble() < 0.85) {
                d.deps.add(c.name);
                break;
            }
        }
        int guard = 0;
        while (d.deps.size() < want && guard++ < 50) {
            List<Draft> from = further.isEmpty() || random.nextDouble() < 0.8 ? next : further;
            Draft c = from.get(random.nextInt(from.size()));
            if (!d.deps.contains(c.name)) {
                d.deps.add(c.name);
            }
        }
    }

    private static void coverCallers(Random random, List<Draft> callees, List<Draft> callers) {
        for (Draft c : callees) {
            boolean called = false;
            for (Draft p : callers) {
                called |= p.deps.contains(c.name);
            }
            if (called) {
                continue;
            }
            List<Draft> room = new ArrayList<>();
            for (Draft p : callers) {
                if (p.deps.size() < 3) {
                    room.add(p);
                }
            }
            List<Draft> from = room.isEmpty() ? callers : room;
            from.get(random.nextInt(from.size())).deps.add(c.name);
        }
    }

    private static String unique(String name, Set<String> taken) {
        String n = name;
        for (int i = 2; !taken.add(n); i++) {
            n = name + "-" + i;
        }
        return n;
    }

    private static String randomString(Random random, String alphabet, int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}

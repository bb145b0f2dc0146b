package io.tocsin.correlate;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The calls the correlator follows, each with its origin: the topology (file or control topic),
 * calls observed in service-mesh telemetry, and dependencies learned from alert co-occurrence; plus
 * the pairs of services learned to fail together without a known direction. Where a call comes from
 * several origins the topology's wins, then the mesh's.
 */
public final class DependencyLinks {

    /** Where a link comes from, as the evidence names it ({@code link.origin}). */
    public enum Origin {
        TOPOLOGY("topology"),
        MESH("mesh"),
        LEARNED("learned-cooccurrence");

        private final String label;

        Origin(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** A path of calls: its length and the weakest origin on it. */
    public record Reach(int hops, Origin origin) {}

    private static final DependencyLinks NONE =
            new DependencyLinks(
                    new TopologyIndex(io.tocsin.config.Topology.empty()),
                    Map.of(),
                    new LinkMemory());

    private final TopologyIndex topology;
    private final Map<String, ? extends Set<String>> meshCalls;
    private final LinkMemory memory;
    private final Map<String, Map<String, Origin>> callsCache = new java.util.HashMap<>();

    /**
     * @param topology the static topology
     * @param meshCalls caller → callees observed in telemetry, in force now
     * @param memory what the partition learned from its alerts
     */
    public DependencyLinks(
            TopologyIndex topology,
            Map<String, ? extends Set<String>> meshCalls,
            LinkMemory memory) {
        this.topology = topology;
        this.meshCalls = meshCalls;
        this.memory = memory;
    }

    /** Only the topology. */
    public static DependencyLinks of(TopologyIndex topology) {
        return new DependencyLinks(topology, Map.of(), new LinkMemory());
    }

    public static DependencyLinks none() {
        return NONE;
    }

    public LinkMemory memory() {
        return memory;
    }

    /** Whether any origin knows a call of or to {@code service}. */
    public boolean knows(String service) {
        return service != null
                && (topology.knows(service)
                        || meshCalls.containsKey(service)
                        || memory.learnedCalls.containsKey(service)
                        || memory.coFailing.containsKey(service)
                        || !callersOf(service).isEmpty());
    }

    /** What {@code service} calls, with the origin of each call. */
    public Map<String, Origin> calls(String service) {
        Map<String, Origin> cached = callsCache.get(service);
        if (cached != null) {
            return cached;
        }
        Map<String, Origin> out = new TreeMap<>();
        for (String d : memory.learnedCalls.getOrDefault(service, new TreeSet<>())) {
            if (fillsAGap(service, d)) {
                out.put(d, Origin.LEARNED);
            }
        }
        Set<String> mesh = meshCalls.get(service);
        for (String d : mesh == null ? Set.<String>of() : mesh) {
            out.put(d, Origin.MESH);
        }
        for (String d : topology.dependencies(service)) {
            out.put(d, Origin.TOPOLOGY);
        }
        out.remove(service);
        callsCache.put(service, out);
        return out;
    }

    /**
     * Whether a learned link between two services adds to the topology: it does not when the
     * topology already relates them within two calls either way (siblings behind one database, a
     * caller two hops up), since the topology says how they relate and co-occurrence only repeats
     * it, with the risk of tying an unrelated alert to one of them.
     */
    private boolean fillsAGap(String a, String b) {
        return !(topology.knows(a) && topology.knows(b)) || topology.distance(a, b, 2) < 0;
    }

    /** The services {@code service} calls, any origin. */
    public List<String> dependencies(String service) {
        return List.copyOf(calls(service).keySet());
    }

    /**
     * The shortest path of calls from {@code from} down to {@code to} (from calls ... calls to)
     * within {@code maxHops}, or null.
     */
    public Reach dependsOnWithin(String from, String to, int maxHops) {
        if (from == null || to == null || from.equals(to)) {
            return null;
        }
        Map<String, Origin> weakest = new TreeMap<>();
        weakest.put(from, Origin.TOPOLOGY);
        ArrayDeque<String> frontier = new ArrayDeque<>(List.of(from));
        Reach found = null;
        for (int hop = 1; hop <= maxHops && !frontier.isEmpty() && found == null; hop++) {
            ArrayDeque<String> next = new ArrayDeque<>();
            Map<String, Origin> reached = new TreeMap<>();
            for (String s : frontier) {
                for (Map.Entry<String, Origin> c : calls(s).entrySet()) {
                    Origin o = weaker(weakest.get(s), c.getValue());
                    String d = c.getKey();
                    if (d.equals(to)) {
                        if (found == null || o.ordinal() < found.origin().ordinal()) {
                            found = new Reach(hop, o);
                        }
                    } else if (!weakest.containsKey(d)) {
                        Origin prev = reached.get(d);
                        if (prev == null) {
                            next.add(d);
                        }
                        if (prev == null || o.ordinal() < prev.ordinal()) {
                            reached.put(d, o);
                        }
                    }
                }
            }
            weakest.putAll(reached);
            frontier = next;
        }
        return found;
    }

    /** Whether the two services were learned to fail together (no direction known). */
    public boolean coFailing(String a, String b) {
        return a != null
                && b != null
                && memory.coFailing.getOrDefault(a, new TreeSet<>()).contains(b)
                && fillsAGap(a, b);
    }

    /** Services in {@code within} that call {@code service}, directly or through others in it. */
    public Set<String> dependentsWithin(String service, Set<String> within) {
        Set<String> out = new TreeSet<>();
        ArrayDeque<String> todo = new ArrayDeque<>(List.of(service));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            String s = todo.poll();
            if (!seen.add(s)) {
                continue;
            }
            for (String c : callersOf(s)) {
                if (within.contains(c) && out.add(c)) {
                    todo.add(c);
                }
            }
        }
        out.remove(service);
        return out;
    }

    private Set<String> callersOf(String service) {
        Set<String> out = new TreeSet<>(topology.dependentsOf(service));
        for (Map.Entry<String, ? extends Set<String>> e : meshCalls.entrySet()) {
            if (e.getValue().contains(service)) {
                out.add(e.getKey());
            }
        }
        for (Map.Entry<String, TreeSet<String>> e : memory.learnedCalls.entrySet()) {
            if (e.getValue().contains(service) && fillsAGap(e.getKey(), service)) {
                out.add(e.getKey());
            }
        }
        out.remove(service);
        return out;
    }

    private static Origin weaker(Origin a, Origin b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }
}

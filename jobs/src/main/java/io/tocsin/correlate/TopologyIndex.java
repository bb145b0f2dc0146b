package io.tocsin.correlate;

import io.tocsin.config.Topology;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Graph queries over a {@link Topology}: hop distances and who depends on whom. */
public final class TopologyIndex {

    private final Topology topology;
    private final Map<String, Set<String>> undirected = new HashMap<>();
    private final Map<String, Set<String>> dependents = new HashMap<>();

    public TopologyIndex(Topology topology) {
        this.topology = topology;
        for (Topology.Service s : topology.services().values()) {
            for (String d : s.dependsOn()) {
                undirected.computeIfAbsent(s.name(), k -> new HashSet<>()).add(d);
                undirected.computeIfAbsent(d, k -> new HashSet<>()).add(s.name());
                dependents.computeIfAbsent(d, k -> new TreeSet<>()).add(s.name());
            }
        }
    }

    public Topology topology() {
        return topology;
    }

    public boolean knows(String service) {
        return service != null && topology.contains(service);
    }

    /** Hops between two services over dependency edges in either direction, or -1. */
    public int distance(String from, String to, int maxHops) {
        if (from == null || to == null) {
            return -1;
        }
        if (from.equals(to)) {
            return 0;
        }
        Set<String> seen = new HashSet<>(List.of(from));
        ArrayDeque<String> frontier = new ArrayDeque<>(List.of(from));
        for (int hop = 1; hop <= maxHops && !frontier.isEmpty(); hop++) {
            ArrayDeque<String> next = new ArrayDeque<>();
            for (String s : frontier) {
                for (String n : undirected.getOrDefault(s, Set.of())) {
                    if (n.equals(to)) {
                        return hop;
                    }
                    if (seen.add(n)) {
                        next.add(n);
                    }
                }
            }
            frontier = next;
        }
        return -1;
    }

    /**
     * Hops from {@code from} down to {@code to} following dependsOn edges only (from calls ...
     * calls to), or -1 when {@code to} is not within {@code maxHops}.
     */
    public int dependsOnWithin(String from, String to, int maxHops) {
        if (from == null || to == null || from.equals(to)) {
            return -1;
        }
        Set<String> seen = new HashSet<>(List.of(from));
        ArrayDeque<String> frontier = new ArrayDeque<>(List.of(from));
        for (int hop = 1; hop <= maxHops && !frontier.isEmpty(); hop++) {
            ArrayDeque<String> next = new ArrayDeque<>();
            for (String s : frontier) {
                for (String d : topology.dependencies(s)) {
                    if (d.equals(to)) {
                        return hop;
                    }
                    if (seen.add(d)) {
                        next.add(d);
                    }
                }
            }
            frontier = next;
        }
        return -1;
    }

    /** Services that call {@code service} directly, sorted. */
    public Set<String> dependentsOf(String service) {
        return dependents.getOrDefault(service, Set.of());
    }

    public List<String> dependencies(String service) {
        return topology.dependencies(service);
    }

    /**
     * Services in {@code within} that depend on {@code service}, directly or through others in it.
     */
    public Set<String> dependentsWithin(String service, Set<String> within) {
        Set<String> out = new TreeSet<>();
        ArrayDeque<String> todo = new ArrayDeque<>(List.of(service));
        while (!todo.isEmpty()) {
            for (String d : dependents.getOrDefault(todo.poll(), Set.of())) {
                if (within.contains(d) && out.add(d)) {
                    todo.add(d);
                }
            }
        }
        out.remove(service);
        return out;
    }
}

package io.tocsin.bench.scenarios;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tocsin.bench.correlation.ScenarioTopology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The service estate of a scenario family: every service runs in one cluster, calls others in any
 * cluster, and the operator's topology file documents only part of it (some edges, some services,
 * or nothing).
 */
final class Estate implements ScenarioTopology {

    /**
     * One service.
     *
     * @param name the {@code service} label of its alerts
     * @param cluster the {@code cluster} label of its alerts: where it runs
     * @param kind what it is (the family's own kinds: db, cache, core, ...)
     * @param tier the topology file's tier
     * @param team owning team
     * @param pods its instances
     */
    record Service(
            String name, String cluster, String kind, String tier, String team, List<String> pods) {
        Service {
            pods = List.copyOf(pods);
        }
    }

    private final Map<String, Service> services = new LinkedHashMap<>();
    private final Map<String, List<String>> calls = new LinkedHashMap<>();
    private final Map<String, Double> edgeStrength = new LinkedHashMap<>();
    private final Set<String> undocumentedEdges = new TreeSet<>();
    private final Set<String> undocumentedServices = new TreeSet<>();

    void add(Service s) {
        services.put(s.name(), s);
        calls.put(s.name(), new ArrayList<>());
    }

    /** {@code caller} calls {@code callee}; a fault spreads back along it with {@code strength}. */
    void call(String caller, String callee, double strength) {
        if (!caller.equals(callee) && !calls.get(caller).contains(callee)) {
            calls.get(caller).add(callee);
            edgeStrength.put(caller + ">" + callee, strength);
        }
    }

    /** Leaves the edge out of the topology file (the true graph keeps it). */
    void undocument(String caller, String callee) {
        undocumentedEdges.add(caller + ">" + callee);
    }

    /** Leaves the service, and every edge to or from it, out of the topology file. */
    void undocument(String service) {
        undocumentedServices.add(service);
    }

    double strength(String caller, String callee) {
        return edgeStrength.getOrDefault(caller + ">" + callee, 0.0);
    }

    Service service(String name) {
        return services.get(name);
    }

    List<Service> services() {
        return new ArrayList<>(services.values());
    }

    List<String> calls(String service) {
        return calls.getOrDefault(service, List.of());
    }

    /** Who calls {@code service}, sorted. */
    List<String> callers(String service) {
        Set<String> out = new TreeSet<>();
        for (Map.Entry<String, List<String>> e : calls.entrySet()) {
            if (e.getValue().contains(service)) {
                out.add(e.getKey());
            }
        }
        return new ArrayList<>(out);
    }

    int edges() {
        return edgeStrength.size();
    }

    int documentedEdges() {
        int n = 0;
        for (Map.Entry<String, List<String>> e : calls.entrySet()) {
            for (String d : e.getValue()) {
                n += documented(e.getKey(), d) ? 1 : 0;
            }
        }
        return n;
    }

    private boolean documented(String caller, String callee) {
        return !undocumentedServices.contains(caller)
                && !undocumentedServices.contains(callee)
                && !undocumentedEdges.contains(caller + ">" + callee);
    }

    @Override
    public Map<String, List<String>> dependsOn() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        calls.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return out;
    }

    @Override
    public boolean everyServiceInEveryCluster() {
        return false;
    }

    @Override
    public void write(Path file) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Service s : services.values()) {
            if (undocumentedServices.contains(s.name())) {
                continue;
            }
            List<String> deps = new ArrayList<>();
            for (String d : calls.get(s.name())) {
                if (documented(s.name(), d)) {
                    deps.add(d);
                }
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.name());
            m.put("tier", s.tier());
            m.put("team", s.team());
            m.put("dependsOn", deps);
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
}

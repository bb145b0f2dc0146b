package io.tocsin.config;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The service dependency graph: each service, what it calls, its tier and its team. A service named
 * only in someone's dependsOn is still a node (with no tier or team).
 */
public record Topology(Map<String, Service> services) implements Serializable {

    /** One node. {@code dependsOn} lists the services it calls. */
    public record Service(String name, String tier, String team, List<String> dependsOn)
            implements Serializable {
        public Service {
            dependsOn = List.copyOf(dependsOn);
        }
    }

    public Topology {
        services = Map.copyOf(services);
    }

    public static Topology empty() {
        return new Topology(Map.of());
    }

    public boolean contains(String service) {
        return services.containsKey(service);
    }

    /** Services that call {@code service} directly, sorted. */
    public Set<String> dependents(String service) {
        Set<String> out = new TreeSet<>();
        for (Service s : services.values()) {
            if (s.dependsOn().contains(service)) {
                out.add(s.name());
            }
        }
        return out;
    }

    public List<String> dependencies(String service) {
        Service s = services.get(service);
        return s == null ? List.of() : s.dependsOn();
    }
}

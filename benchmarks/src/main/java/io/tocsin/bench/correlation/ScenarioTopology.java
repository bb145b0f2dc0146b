package io.tocsin.bench.correlation;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A scenario's service estate: the true call graph the faults spread along, and the topology file
 * an operator would have for it (which may miss edges or services, or be empty).
 */
public interface ScenarioTopology {

    /** The true graph: each service and the services it calls. */
    Map<String, List<String>> dependsOn();

    /**
     * Whether every service runs in every cluster (a fault then happens in one of its copies), or
     * each service runs in its own cluster.
     */
    default boolean everyServiceInEveryCluster() {
        return true;
    }

    /** Writes the operator's topology file (DESIGN.md topology file contract). */
    void write(Path file);
}

package io.tocsin.changes;

import io.tocsin.avro.Change;
import io.tocsin.config.ChangesPolicy;
import io.tocsin.config.Topology;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Ranks an incident's suspect changes, free of Flink: the changes on its services or on services
 * they depend on (at most {@code maxHops} along the topology's dependsOn edges) that happened
 * within {@code suspectWindow} before its first alert (both ends included), best first: fewer hops
 * (a change on a member service first), then the most recent, then by change id. At most {@code
 * maxSuspects}. Changes older than {@code keepFor} before {@code now} are not considered, so the
 * result does not depend on when the caller evicted them.
 */
public final class SuspectRanker implements Serializable {

    private static final Comparator<Suspect> BEST_FIRST =
            Comparator.comparingInt(Suspect::hops)
                    .thenComparingLong(Suspect::millisBefore)
                    .thenComparing(s -> s.change().getChangeId());

    private final ChangesPolicy policy;

    public SuspectRanker(ChangesPolicy policy) {
        this.policy = policy;
    }

    /**
     * @param services the incident's services
     * @param firstAlertAt the incident's first alert (epoch ms)
     * @param now the event time of the ranking (epoch ms)
     */
    public List<Suspect> rank(
            List<String> services,
            long firstAlertAt,
            long now,
            Iterable<Change> changes,
            Topology topology) {
        long from =
                Math.max(
                        firstAlertAt - policy.suspectWindow().toMillis(),
                        now - policy.keepFor().toMillis());
        Map<String, List<String>> paths = null;
        List<Suspect> out = new ArrayList<>();
        for (Change c : changes) {
            long at = c.getTime().toEpochMilli();
            if (at < from || at > firstAlertAt) {
                continue;
            }
            if (paths == null) {
                paths = paths(services, topology);
            }
            List<String> path = paths.get(c.getService());
            if (path != null) {
                out.add(new Suspect(c, path, firstAlertAt - at));
            }
        }
        out.sort(BEST_FIRST);
        return out.size() > policy.maxSuspects() ? out.subList(0, policy.maxSuspects()) : out;
    }

    /**
     * The shortest dependency path from a member service to every service within maxHops, by
     * breadth-first search from the members in name order (so ties go the same way every time).
     */
    Map<String, List<String>> paths(List<String> services, Topology topology) {
        Map<String, List<String>> paths = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>();
        for (String s : new TreeSet<>(services)) {
            paths.put(s, List.of(s));
            queue.add(s);
        }
        while (!queue.isEmpty()) {
            String s = queue.poll();
            List<String> path = paths.get(s);
            if (path.size() - 1 >= policy.maxHops()) {
                continue;
            }
            for (String d : topology.dependencies(s)) {
                if (!paths.containsKey(d)) {
                    List<String> longer = new ArrayList<>(path);
                    longer.add(d);
                    paths.put(d, List.copyOf(longer));
                    queue.add(d);
                }
            }
        }
        return paths;
    }
}

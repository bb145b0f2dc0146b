package io.tocsin.bench.scenarios;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.ToLongBiFunction;

/**
 * How one failure reaches the services that call the failing one, in onset order: each caller of an
 * affected service is hit with the edge's strength (weakened per hop), after a delay drawn per hop;
 * a service already serving another fault is skipped. The families give the strengths, delays and
 * limits, so each has its own statistics.
 */
final class Spread {

    /** When and how deep a service was hit. */
    record Hit(long onset, int depth) {}

    private Spread() {}

    /**
     * @param estate the call graph
     * @param storm for randomness and who is busy
     * @param root the failing service
     * @param t0 its onset
     * @param until how long the affected services stay busy
     * @param attenuation factor on the edge strength per hop beyond the first
     * @param maxDepth hops at most
     * @param delay per-hop delay (caller, callee) in millis
     */
    static Map<String, Hit> from(
            Estate estate,
            Storm storm,
            java.util.Random random,
            String root,
            long t0,
            long until,
            double attenuation,
            int maxDepth,
            ToLongBiFunction<String, String> delay) {
        Map<String, Hit> hit = new LinkedHashMap<>();
        PriorityQueue<Object[]> queue =
                new PriorityQueue<>(
                        (a, b) ->
                                a[1].equals(b[1])
                                        ? ((String) a[0]).compareTo((String) b[0])
                                        : Long.compare((Long) a[1], (Long) b[1]));
        queue.add(new Object[] {root, t0, 0});
        while (!queue.isEmpty()) {
            Object[] q = queue.poll();
            String s = (String) q[0];
            if (hit.containsKey(s)) {
                continue;
            }
            long onset = (Long) q[1];
            int depth = (Integer) q[2];
            hit.put(s, new Hit(onset, depth));
            if (depth >= maxDepth) {
                continue;
            }
            for (String caller : estate.callers(s)) {
                if (hit.containsKey(caller) || !storm.free(caller, onset, until)) {
                    continue;
                }
                double p = estate.strength(caller, s) * Math.pow(attenuation, depth);
                if (random.nextDouble() < p) {
                    queue.add(
                            new Object[] {caller, onset + delay.applyAsLong(caller, s), depth + 1});
                }
            }
        }
        return hit;
    }
}

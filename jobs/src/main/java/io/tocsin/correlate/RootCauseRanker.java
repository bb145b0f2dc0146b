package io.tocsin.correlate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Names an incident's most probable root cause from the graph and the timeline: a service whose
 * dependencies are healthy (none of them alerts in the incident) while services that depend on it
 * alert is the likely cause; among such services the one with the most alerting dependents wins,
 * then the one whose alerts started first. The evidence goes into the event so a responder can see
 * why.
 */
public final class RootCauseRanker {

    /** The ranking's answer and the facts behind it. */
    public record Ranking(String service, Map<String, String> evidence) {}

    private RootCauseRanker() {}

    public static Ranking rank(IncidentState s, DependencyLinks topology) {
        Map<String, Long> firstAlert = new TreeMap<>();
        for (MemberAlert m : s.members) {
            if (m.service != null) {
                firstAlert.merge(m.service, m.startsAtMillis, Math::min);
            }
        }
        if (firstAlert.isEmpty()) {
            return new Ranking(null, Map.of("rootCause.rule", "no service named"));
        }
        Set<String> services = firstAlert.keySet();
        List<String> candidates = new ArrayList<>();
        for (String svc : services) {
            boolean depsHealthy = true;
            for (String d : topology.dependencies(svc)) {
                if (!d.equals(svc) && services.contains(d)) {
                    depsHealthy = false;
                    break;
                }
            }
            if (depsHealthy) {
                candidates.add(svc);
            }
        }
        if (candidates.isEmpty()) {
            candidates.addAll(services); // a dependency cycle: fall back to the timeline
        }
        String best = null;
        Set<String> bestDependents = Set.of();
        for (String c : candidates) {
            Set<String> deps = topology.dependentsWithin(c, services);
            if (best == null
                    || deps.size() > bestDependents.size()
                    || (deps.size() == bestDependents.size()
                            && (firstAlert.get(c) < firstAlert.get(best)
                                    || (firstAlert.get(c).equals(firstAlert.get(best))
                                            && c.compareTo(best) < 0)))) {
                best = c;
                bestDependents = deps;
            }
        }
        Map<String, String> evidence = new TreeMap<>();
        evidence.put(
                "rootCause.rule",
                "healthy dependencies, then most alerting dependents, then first to alert");
        evidence.put(
                "rootCause.dependentsAlerting", String.join(",", new TreeSet<>(bestDependents)));
        evidence.put("rootCause.firstAlert", Instant.ofEpochMilli(firstAlert.get(best)).toString());
        List<String> ranked = new ArrayList<>();
        for (String c : candidates) {
            ranked.add(c + "(" + topology.dependentsWithin(c, services).size() + ")");
        }
        evidence.put("rootCause.candidates", String.join(",", ranked));
        return new Ranking(best, evidence);
    }
}

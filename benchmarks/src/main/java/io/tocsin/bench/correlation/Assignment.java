package io.tocsin.bench.correlation;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one correlation method made of a scenario, in the shape the {@link Scorer} reads: the
 * incident each alert episode ended up in, each incident's root-cause service and how many
 * incidents there were.
 *
 * @param method name shown in the results, e.g. {@code tocsin} or {@code am[cluster,alertname]}
 * @param placements the incident of each episode that reached one (an episode missing here is lost)
 * @param rootCauses each incident's root-cause service (absent or null when it named none)
 * @param incidents number of incidents the method produced (after merges)
 * @param duplicates episodes that reached more than one incident
 * @param covered episodes with no event of their own that were still firing members of an incident
 *     (a flapping alert whose further changes dedupe held back); placed in that incident
 */
public record Assignment(
        String method,
        Map<EpisodeKey, Placement> placements,
        Map<String, String> rootCauses,
        int incidents,
        Set<EpisodeKey> duplicates,
        int covered) {

    /**
     * Where one episode went.
     *
     * @param incidentId the final incident (after following merges)
     * @param visibleAt when a responder could first see the episode in an incident: the event time
     *     of the incident event that carried it, or the notification that included it
     */
    public record Placement(String incidentId, Instant visibleAt) {}

    public Assignment {
        placements = new TreeMap<>(placements);
        rootCauses = new TreeMap<>(rootCauses);
        duplicates = new TreeSet<>(duplicates);
    }
}

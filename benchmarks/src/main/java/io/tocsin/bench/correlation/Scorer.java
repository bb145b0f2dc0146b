package io.tocsin.bench.correlation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scores an {@link Assignment} of alert episodes to incidents against the {@link GroundTruth}.
 *
 * <ul>
 *   <li>pairwise precision, recall and F1 over episode pairs: a pair is true when both episodes
 *       belong to one fault and predicted when both sit in one incident; a lost episode is an
 *       incident of its own.
 *   <li>adjusted Rand index of the two partitions (1 = identical, about 0 = chance).
 *   <li>compression = 1 - incidents / episodes, and incidents per true fault (1.0 is ideal).
 *   <li>root-cause top-1 accuracy: over faults with two or more episodes, the share whose majority
 *       incident (the one holding most of its episodes) names its true root service.
 *   <li>lost (episodes in no incident) and duplicates (episodes in two incidents).
 *   <li>open delay: per fault, from its first notification to the first moment one of its episodes
 *       was visible in an incident (for a fault that opens its own incident, its OPENED), at least
 *       0; median and 95th percentile (nearest rank).
 * </ul>
 */
public final class Scorer {

    /**
     * One method's score on one scenario.
     *
     * @param method the method's name
     * @param episodes episodes in the truth
     * @param faults faults in the truth
     * @param incidents incidents the method produced
     * @param precision pairwise precision
     * @param recall pairwise recall
     * @param f1 pairwise F1
     * @param ari adjusted Rand index
     * @param compression 1 - incidents / episodes
     * @param incidentsPerFault incidents / faults
     * @param rootCauseTop1 share of multi-episode faults whose majority incident names the root
     * @param rootCauseFaults number of multi-episode faults
     * @param lost episodes in no incident
     * @param duplicates episodes in two or more incidents
     * @param covered episodes placed by coverage (see {@link Assignment#covered})
     * @param openDelayMedian median open delay
     * @param openDelayP95 95th percentile open delay
     */
    public record Score(
            String method,
            int episodes,
            int faults,
            int incidents,
            double precision,
            double recall,
            double f1,
            double ari,
            double compression,
            double incidentsPerFault,
            double rootCauseTop1,
            int rootCauseFaults,
            int lost,
            int duplicates,
            int covered,
            Duration openDelayMedian,
            Duration openDelayP95) {}

    private Scorer() {}

    public static Score score(GroundTruth all, Assignment a) {
        GroundTruth truth = all.scored();
        List<GroundTruth.Episode> eps = truth.episodes();
        // Contingency table: fault x incident, with each lost episode an incident of its own.
        Map<String, Map<String, Integer>> cells = new TreeMap<>();
        Map<String, Integer> faultSizes = new TreeMap<>();
        Map<String, Integer> incidentSizes = new TreeMap<>();
        int lost = 0;
        for (GroundTruth.Episode e : eps) {
            Assignment.Placement p = a.placements().get(e.key());
            String incident = p == null ? "lost:" + e.key() : p.incidentId();
            lost += p == null ? 1 : 0;
            cells.computeIfAbsent(e.fault(), k -> new TreeMap<>()).merge(incident, 1, Integer::sum);
            faultSizes.merge(e.fault(), 1, Integer::sum);
            incidentSizes.merge(incident, 1, Integer::sum);
        }
        double together = 0;
        for (Map<String, Integer> row : cells.values()) {
            for (int n : row.values()) {
                together += pairs(n);
            }
        }
        double truePairs = sumPairs(faultSizes);
        double predictedPairs = sumPairs(incidentSizes);
        double precision = predictedPairs == 0 ? 1 : together / predictedPairs;
        double recall = truePairs == 0 ? 1 : together / truePairs;
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        double expected =
                pairs(eps.size()) == 0 ? 0 : truePairs * predictedPairs / pairs(eps.size());
        double max = (truePairs + predictedPairs) / 2;
        double ari = max == expected ? 1 : (together - expected) / (max - expected);

        Map<String, List<GroundTruth.Episode>> byFault = new TreeMap<>();
        for (GroundTruth.Episode e : eps) {
            byFault.computeIfAbsent(e.fault(), k -> new ArrayList<>()).add(e);
        }
        int rcFaults = 0;
        int rcRight = 0;
        List<Long> delays = new ArrayList<>();
        for (GroundTruth.Fault f : truth.faults()) {
            List<GroundTruth.Episode> mine = byFault.getOrDefault(f.id(), List.of());
            if (mine.size() >= 2) {
                rcFaults++;
                String majority = majorityIncident(mine, a);
                if (majority != null && f.rootCauseService().equals(a.rootCauses().get(majority))) {
                    rcRight++;
                }
            }
            Instant visible = null;
            for (GroundTruth.Episode e : mine) {
                Assignment.Placement p = a.placements().get(e.key());
                if (p != null
                        && p.visibleAt() != null
                        && (visible == null || p.visibleAt().isBefore(visible))) {
                    visible = p.visibleAt();
                }
            }
            if (visible != null) {
                delays.add(Math.max(0, visible.toEpochMilli() - f.firstAlertAt().toEpochMilli()));
            }
        }
        Collections.sort(delays);
        int n = eps.size();
        // With history left out, count the incidents that hold a scored episode (a lost one
        // counts as its own).
        int incidents = all.scoredFrom() == null ? a.incidents() : incidentSizes.size();
        return new Score(
                a.method(),
                n,
                truth.faults().size(),
                incidents,
                precision,
                recall,
                f1,
                ari,
                n == 0 ? 0 : 1 - incidents / (double) n,
                truth.faults().isEmpty() ? 0 : incidents / (double) truth.faults().size(),
                rcFaults == 0 ? 1 : rcRight / (double) rcFaults,
                rcFaults,
                lost,
                a.duplicates().size(),
                a.covered(),
                Duration.ofMillis(median(delays)),
                Duration.ofMillis(percentile(delays, 0.95)));
    }

    /**
     * The incident holding most of a fault's episodes; ties go to the one that showed an episode
     * first, then to the smaller id. Null when all its episodes are lost.
     */
    static String majorityIncident(List<GroundTruth.Episode> episodes, Assignment a) {
        Map<String, Integer> counts = new HashMap<>();
        Map<String, Instant> firstSeen = new HashMap<>();
        for (GroundTruth.Episode e : episodes) {
            Assignment.Placement p = a.placements().get(e.key());
            if (p == null) {
                continue;
            }
            counts.merge(p.incidentId(), 1, Integer::sum);
            Instant v = p.visibleAt() == null ? Instant.MAX : p.visibleAt();
            firstSeen.merge(p.incidentId(), v, (x, y) -> x.isBefore(y) ? x : y);
        }
        String best = null;
        for (String id : new TreeMap<>(counts).keySet()) {
            if (best == null
                    || counts.get(id) > counts.get(best)
                    || (counts.get(id).equals(counts.get(best))
                            && firstSeen.get(id).isBefore(firstSeen.get(best)))) {
                best = id;
            }
        }
        return best;
    }

    /**
     * Why a score is below 1, for a person tuning the correlator: the faults split over several
     * incidents, the incidents mixing several faults and the wrong root causes, up to {@code limit}
     * lines each.
     */
    public static List<String> explain(GroundTruth all, Assignment a, int limit) {
        GroundTruth truth = all.scored();
        Map<String, GroundTruth.Fault> faults = truth.faultsById();
        Map<String, Map<String, Integer>> faultToIncidents = new TreeMap<>();
        Map<String, Map<String, Integer>> incidentToFaults = new TreeMap<>();
        Map<String, List<GroundTruth.Episode>> byFault = new TreeMap<>();
        for (GroundTruth.Episode e : truth.episodes()) {
            byFault.computeIfAbsent(e.fault(), k -> new ArrayList<>()).add(e);
            Assignment.Placement p = a.placements().get(e.key());
            String incident = p == null ? "(lost)" : p.incidentId();
            faultToIncidents
                    .computeIfAbsent(e.fault(), k -> new TreeMap<>())
                    .merge(incident, 1, Integer::sum);
            if (p != null) {
                incidentToFaults
                        .computeIfAbsent(incident, k -> new TreeMap<>())
                        .merge(e.fault(), 1, Integer::sum);
            }
        }
        List<String> out = new ArrayList<>();
        int split = 0;
        for (Map.Entry<String, Map<String, Integer>> en : faultToIncidents.entrySet()) {
            if (en.getValue().size() > 1 && split++ < limit) {
                GroundTruth.Fault f = faults.get(en.getKey());
                out.add(
                        String.format(
                                "  split: %s %s root=%s %s at %s over %d incidents %s",
                                f.id(),
                                f.kind(),
                                f.rootCauseService(),
                                f.cluster(),
                                f.firstStartsAt(),
                                en.getValue().size(),
                                en.getValue()));
            }
        }
        int mixed = 0;
        for (Map.Entry<String, Map<String, Integer>> en : incidentToFaults.entrySet()) {
            if (en.getValue().size() > 1 && mixed++ < limit) {
                List<String> parts = new ArrayList<>();
                for (Map.Entry<String, Integer> f : en.getValue().entrySet()) {
                    GroundTruth.Fault ft = faults.get(f.getKey());
                    parts.add(
                            f.getKey()
                                    + "("
                                    + ft.kind()
                                    + " "
                                    + ft.rootCauseService()
                                    + " x"
                                    + f.getValue()
                                    + ")");
                }
                out.add(
                        String.format(
                                "  mixed: %s root=%s holds %s",
                                en.getKey(), a.rootCauses().get(en.getKey()), parts));
            }
        }
        int wrong = 0;
        for (Map.Entry<String, List<GroundTruth.Episode>> en : byFault.entrySet()) {
            if (en.getValue().size() < 2) {
                continue;
            }
            GroundTruth.Fault f = faults.get(en.getKey());
            String majority = majorityIncident(en.getValue(), a);
            String named = majority == null ? null : a.rootCauses().get(majority);
            if (!f.rootCauseService().equals(named) && wrong++ < limit) {
                out.add(
                        String.format(
                                "  root cause: %s true=%s named=%s by %s (services %s)",
                                f.id(), f.rootCauseService(), named, majority, f.services()));
            }
        }
        if (split > limit || mixed > limit || wrong > limit) {
            out.add(
                    String.format(
                            "  (%d split faults, %d mixed incidents, %d wrong root causes in all)",
                            split, mixed, wrong));
        }
        return out;
    }

    private static double pairs(long n) {
        return n * (n - 1) / 2.0;
    }

    private static double sumPairs(Map<String, Integer> sizes) {
        double s = 0;
        for (int n : sizes.values()) {
            s += pairs(n);
        }
        return s;
    }

    private static long median(List<Long> sorted) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static long percentile(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}

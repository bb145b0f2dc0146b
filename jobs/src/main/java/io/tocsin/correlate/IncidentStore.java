package io.tocsin.correlate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * The correlator's view of one domain's incidents: the open ones (few, read together) and the
 * resolved ones it remembers, found by a member's fingerprint. Flink keyed state in the job, a map
 * in tests.
 */
public interface IncidentStore {

    /** All open incidents of the domain. */
    Collection<IncidentState> open() throws Exception;

    /**
     * The open incidents with a member (live or not) whose {@link MemberAlert#serviceKey} {@code
     * keys} accepts: the only ones a new alert can link to when no label rule applies. An index
     * answers it in the job; this default filters {@link #open()}.
     */
    default Collection<IncidentState> openTouching(Predicate<String> keys) throws Exception {
        List<IncidentState> out = new ArrayList<>();
        for (IncidentState s : open()) {
            for (MemberAlert m : s.members) {
                String k = m.serviceKey();
                if (k != null && keys.test(k)) {
                    out.add(s);
                    break;
                }
            }
        }
        return out;
    }

    /** The open incidents with a member of this fingerprint (live or not). */
    default Collection<IncidentState> openWithMember(String fingerprint) throws Exception {
        List<IncidentState> out = new ArrayList<>();
        for (IncidentState s : open()) {
            if (s.member(fingerprint) != null) {
                out.add(s);
            }
        }
        return out;
    }

    /** The open incidents whose {@code due} time is at or before {@code t}. */
    default Collection<IncidentState> openDueBy(long t, ToLongFunction<IncidentState> due)
            throws Exception {
        List<IncidentState> out = new ArrayList<>();
        for (IncidentState s : open()) {
            if (due.applyAsLong(s) <= t) {
                out.add(s);
            }
        }
        return out;
    }

    /** The latest resolved incident that had {@code fingerprint} as a member, or null. */
    IncidentState resolvedWith(String fingerprint) throws Exception;

    /** Stores an incident: as open or resolved, by its state. */
    void save(IncidentState s) throws Exception;

    /** Forgets an incident (merged into another, or past retention). */
    void delete(IncidentState s) throws Exception;

    /** Forgets resolved incidents that resolved at or before {@code resolvedBefore}. */
    void evictResolvedBefore(long resolvedBefore) throws Exception;
}

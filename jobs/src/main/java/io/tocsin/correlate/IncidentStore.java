package io.tocsin.correlate;

import java.util.Collection;

/**
 * The correlator's view of one domain's incidents: the open ones (few, read together) and the
 * resolved ones it remembers, found by a member's fingerprint. Flink keyed state in the job, a map
 * in tests.
 */
public interface IncidentStore {

    /** All open incidents of the domain. */
    Collection<IncidentState> open() throws Exception;

    /** The latest resolved incident that had {@code fingerprint} as a member, or null. */
    IncidentState resolvedWith(String fingerprint) throws Exception;

    /** Stores an incident: as open or resolved, by its state. */
    void save(IncidentState s) throws Exception;

    /** Forgets an incident (merged into another, or past retention). */
    void delete(IncidentState s) throws Exception;

    /** Forgets resolved incidents that resolved at or before {@code resolvedBefore}. */
    void evictResolvedBefore(long resolvedBefore) throws Exception;
}

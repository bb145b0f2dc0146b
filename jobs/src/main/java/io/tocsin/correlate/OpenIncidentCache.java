package io.tocsin.correlate;

import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A heap copy of the open incidents of the domains a correlator subtask handled most recently,
 * written through to keyed state: the state stays the truth (checkpoints, restores and rescaling
 * never see this cache), while an alert no longer deserializes every open incident of its domain
 * from RocksDB (which made each alert cost O(open incidents) state reads, and a storm quadratic).
 *
 * <p>Also remembers, per domain, a lower bound on the resolve time of its remembered resolved
 * incidents, so eviction scans the resolved ones only when one of them is due.
 *
 * <p>Bounded by {@link #MAX_INCIDENTS} open incidents over all cached domains and {@link
 * #MAX_DOMAINS} domains (least recently used domains are dropped whole; the domain in use always
 * stays). At about 1-2 KB per open incident of a few members that is 20-40 MB per subtask at most,
 * held only for domains with open incidents.
 */
final class OpenIncidentCache {

    static final int MAX_INCIDENTS = 20_000;

    static final int MAX_DOMAINS = 4_096;

    /** The resolve-time bound is not known yet: the next eviction scans. */
    static final long UNKNOWN = Long.MIN_VALUE;

    /** Loads one domain's open incidents from state. */
    interface Loader {
        Collection<IncidentState> openIncidents() throws Exception;
    }

    /** One domain's open incidents by id, and the earliest resolve time among its resolved ones. */
    final class Domain {
        private final Map<String, IncidentState> open = new HashMap<>();
        long earliestResolved = UNKNOWN;

        Collection<IncidentState> open() {
            return open.values();
        }

        void put(IncidentState s) {
            if (open.put(s.incidentId, s) == null) {
                total++;
            }
        }

        void remove(String incidentId) {
            if (open.remove(incidentId) != null) {
                total--;
            }
        }
    }

    private final int maxIncidents;
    private final int maxDomains;
    private final LinkedHashMap<String, Domain> domains = new LinkedHashMap<>(16, 0.75f, true);
    private int total;

    OpenIncidentCache() {
        this(MAX_INCIDENTS, MAX_DOMAINS);
    }

    OpenIncidentCache(int maxIncidents, int maxDomains) {
        this.maxIncidents = maxIncidents;
        this.maxDomains = maxDomains;
    }

    /** The cached domain {@code key}, loaded from state on a miss. */
    Domain domain(String key, Loader loader) throws Exception {
        Domain d = domains.get(key);
        if (d == null) {
            d = new Domain();
            for (IncidentState s : loader.openIncidents()) {
                d.put(s);
            }
            domains.put(key, d);
            trim(key);
        }
        return d;
    }

    /** Drops least recently used domains (never {@code keep}) while over a bound. */
    private void trim(String keep) {
        Iterator<Map.Entry<String, Domain>> it = domains.entrySet().iterator();
        while ((total > maxIncidents || domains.size() > maxDomains) && it.hasNext()) {
            Map.Entry<String, Domain> e = it.next();
            if (!e.getKey().equals(keep)) {
                total -= e.getValue().open.size();
                it.remove();
            }
        }
    }

    /** Domains held (for tests). */
    int domains() {
        return domains.size();
    }

    /** Open incidents held over all domains (for tests). */
    int incidents() {
        return total;
    }
}

package io.tocsin.correlate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Incident ids by a key of theirs (a member's service, a fingerprint, a due time), kept in the map
 * it is given (a TreeMap for range queries), with the keys each incident was added under so that
 * re-indexing an incident whose members changed in place removes exactly its old entries.
 */
final class IncidentIndex<K> {

    /** The index itself: key to the ids of the incidents added under it; read, do not change. */
    final Map<K, Set<String>> ids;

    private final Map<String, List<K>> keysOf = new HashMap<>();

    IncidentIndex(Map<K, Set<String>> ids) {
        this.ids = ids;
    }

    void add(K key, String incidentId) {
        if (ids.computeIfAbsent(key, k -> new HashSet<>()).add(incidentId)) {
            keysOf.computeIfAbsent(incidentId, k -> new ArrayList<>()).add(key);
        }
    }

    /** Removes every entry of the incident. */
    void remove(String incidentId) {
        List<K> keys = keysOf.remove(incidentId);
        if (keys == null) {
            return;
        }
        for (K k : keys) {
            Set<String> s = ids.get(k);
            if (s != null && s.remove(incidentId) && s.isEmpty()) {
                ids.remove(k);
            }
        }
    }
}

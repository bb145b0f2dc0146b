package io.tocsin.correlate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * A heap copy of the open incidents of the correlation partitions (the correlate stage's keys) a
 * subtask handled most recently, written through to keyed state: the state stays the truth
 * (checkpoints, restores and rescaling never see this cache), while an alert no longer deserializes
 * every open incident of its partition from RocksDB (which made each alert cost O(open incidents)
 * state reads, and a storm quadratic).
 *
 * <p>Each partition's incidents are indexed by their members' service keys and fingerprints, so an
 * alert looks only at the incidents it can link to ({@link IncidentStore#openTouching}) and a timer
 * only at the incidents due ({@link IncidentStore#openDueBy}).
 *
 * <p>Also remembers, per partition, a lower bound on the resolve time of its remembered resolved
 * incidents, so eviction scans the resolved ones only when one of them is due.
 *
 * <p>Bounded by {@link #MAX_INCIDENTS} open incidents over all cached partitions and {@link
 * #MAX_PARTITIONS} partitions (least recently used partitions are dropped whole; the partition in
 * use always stays). An open incident of 5 members with 7 labels each takes about 3.9 KB of heap
 * and 5.6 KB with its index entries (measured): about 56 MB per subtask at the bound. A single
 * partition with more open incidents than the bound is held whole while in use.
 */
final class OpenIncidentCache {

    static final int MAX_INCIDENTS = 10_000;

    static final int MAX_PARTITIONS = 4_096;

    /** The resolve-time bound is not known yet: the next eviction scans. */
    static final long UNKNOWN = Long.MIN_VALUE;

    /** Loads one partition's open incidents from state. */
    interface Loader {
        Collection<IncidentState> openIncidents() throws Exception;
    }

    /**
     * One partition's open incidents by id, indexed by their members' service keys and
     * fingerprints, and the earliest resolve time among its resolved ones.
     */
    final class Partition {
        private final Map<String, IncidentState> open = new HashMap<>();
        private final IncidentIndex<String> byServiceKey = new IncidentIndex<>(new HashMap<>());
        private final IncidentIndex<String> byFingerprint = new IncidentIndex<>(new HashMap<>());
        private final TreeMap<Long, Set<String>> dueIds = new TreeMap<>();
        private final IncidentIndex<Long> byDue = new IncidentIndex<>(dueIds);
        long earliestResolved = UNKNOWN;

        Collection<IncidentState> open() {
            return open.values();
        }

        /** Adds or replaces an incident and re-indexes its members (they may have changed). */
        void put(IncidentState s) {
            if (open.put(s.incidentId, s) == null) {
                total++;
            } else {
                unindex(s.incidentId);
            }
            for (MemberAlert m : s.members) {
                String k = m.serviceKey();
                if (k != null) {
                    byServiceKey.add(k, s.incidentId);
                }
                byFingerprint.add(m.fingerprint, s.incidentId);
            }
            byDue.add(due.applyAsLong(s), s.incidentId);
        }

        void remove(String incidentId) {
            if (open.remove(incidentId) != null) {
                total--;
                unindex(incidentId);
            }
        }

        private void unindex(String incidentId) {
            byServiceKey.remove(incidentId);
            byFingerprint.remove(incidentId);
            byDue.remove(incidentId);
        }

        /**
         * Open incidents due at or before {@code t} (by the due function the cache was made with,
         * as of their last put).
         */
        Collection<IncidentState> dueBy(long t) {
            Set<String> ids = new HashSet<>();
            for (Set<String> at : dueIds.headMap(t, true).values()) {
                ids.addAll(at);
            }
            return incidents(ids);
        }

        /** Open incidents with a member whose service key {@code keys} accepts. */
        Collection<IncidentState> touching(Predicate<String> keys) {
            Set<String> ids = new HashSet<>();
            for (Map.Entry<String, Set<String>> e : byServiceKey.ids.entrySet()) {
                if (keys.test(e.getKey())) {
                    ids.addAll(e.getValue());
                }
            }
            return incidents(ids);
        }

        /** Open incidents with a member of this fingerprint. */
        Collection<IncidentState> withMember(String fingerprint) {
            return incidents(byFingerprint.ids.getOrDefault(fingerprint, Set.of()));
        }

        private List<IncidentState> incidents(Set<String> ids) {
            List<IncidentState> out = new ArrayList<>(ids.size());
            for (String id : ids) {
                out.add(open.get(id));
            }
            return out;
        }
    }

    private final int maxIncidents;
    private final int maxPartitions;
    private final LinkedHashMap<String, Partition> partitions =
            new LinkedHashMap<>(16, 0.75f, true);
    private int total;

    private final ToLongFunction<IncidentState> due;

    /**
     * A cache whose partitions index their incidents by {@code due} (see {@link Partition#dueBy}).
     */
    OpenIncidentCache(ToLongFunction<IncidentState> due) {
        this(MAX_INCIDENTS, MAX_PARTITIONS, due);
    }

    OpenIncidentCache(int maxIncidents, int maxPartitions, ToLongFunction<IncidentState> due) {
        this.maxIncidents = maxIncidents;
        this.maxPartitions = maxPartitions;
        this.due = due;
    }

    /** The cached partition {@code key}, loaded from state on a miss. */
    Partition partition(String key, Loader loader) throws Exception {
        Partition d = partitions.get(key);
        if (d == null) {
            d = new Partition();
            for (IncidentState s : loader.openIncidents()) {
                d.put(s);
            }
            partitions.put(key, d);
            trim(key);
        }
        return d;
    }

    /** Drops least recently used partitions (never {@code keep}) while over a bound. */
    private void trim(String keep) {
        Iterator<Map.Entry<String, Partition>> it = partitions.entrySet().iterator();
        while ((total > maxIncidents || partitions.size() > maxPartitions) && it.hasNext()) {
            Map.Entry<String, Partition> e = it.next();
            if (!e.getKey().equals(keep)) {
                total -= e.getValue().open.size();
                it.remove();
            }
        }
    }

    /** Partitions held (for tests). */
    int partitions() {
        return partitions.size();
    }

    /** Open incidents held over all partitions (for tests). */
    int incidents() {
        return total;
    }
}

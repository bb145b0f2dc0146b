package io.tocsin.escalate.cep;

import java.util.Comparator;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.cep.EventComparator;

/** How the pattern inputs are keyed and ordered. */
final class PatternKeys {

    /**
     * Buckets of incident ids for the per-incident pattern. The CEP operator never drops the NFA
     * state of a key that once started a partial match, so keying by incident id would keep a
     * little state for every downgraded incident forever; a fixed number of buckets bounds it.
     * Changing this re-keys the operator's state (a savepoint then loses pending partial matches).
     */
    static final int INCIDENT_BUCKETS = 256;

    private PatternKeys() {}

    /** Domain and service: one service in one correlation domain (e.g. a cluster). */
    static final class ByService implements KeySelector<PatternEvent, String> {
        @Override
        public String getKey(PatternEvent e) {
            // A control character cannot occur in label values, so the pair stays unambiguous.
            return e.domain + '\u001f' + e.service;
        }
    }

    /** A bucket of incident ids: all of one incident's events and commands land in one bucket. */
    static final class ByIncidentBucket implements KeySelector<PatternEvent, Integer> {
        @Override
        public Integer getKey(PatternEvent e) {
            return bucket(e.incidentId);
        }
    }

    static int bucket(String incidentId) {
        return Math.floorMod(incidentId.hashCode(), INCIDENT_BUCKETS);
    }

    /**
     * Order of inputs with the same timestamp, so a backtest and the live job match the same way:
     * commands first (a downgrade issued in the same millisecond as an alert could not have seen
     * it), then by incident, position in the incident's stream and id.
     */
    static final class SameTimeOrder implements EventComparator<PatternEvent> {
        private static final Comparator<PatternEvent> ORDER =
                Comparator.comparing((PatternEvent e) -> e.commandType == null)
                        .thenComparing(e -> e.incidentId)
                        .thenComparingLong(e -> e.seq)
                        .thenComparing(e -> e.id);

        @Override
        public int compare(PatternEvent a, PatternEvent b) {
            return ORDER.compare(a, b);
        }
    }
}

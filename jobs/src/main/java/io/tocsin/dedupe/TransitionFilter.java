package io.tocsin.dedupe;

import io.tocsin.avro.Alert;
import io.tocsin.avro.AlertStatus;

/**
 * Decides whether a notification is a state transition or a re-send, given what was last passed on
 * for its fingerprint. Plain logic, no Flink: time arrives inside the alert.
 */
public final class TransitionFilter {

    private TransitionFilter() {}

    /**
     * @param last the last state passed on, or null when the fingerprint is unknown
     * @return true when {@code alert} changes the state and must go downstream
     */
    public static boolean isTransition(DedupeEntry last, Alert alert) {
        if (last == null) {
            // Unknown fingerprint: pass it on. A resolve we cannot match is harmless downstream;
            // dropping it would lose the end of an episode whose state expired.
            return true;
        }
        if (!last.status.equals(alert.getStatus().name())) {
            return true;
        }
        // Same status. A firing alert with a later startsAt is a new episode whose resolve we
        // missed; it is not a re-send.
        return alert.getStatus() == AlertStatus.FIRING
                && alert.getStartsAt().toEpochMilli() > last.startsAtMillis;
    }
}

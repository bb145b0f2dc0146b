package io.tocsin.status;

import io.tocsin.config.StatusTrigger;
import java.util.List;
import java.util.Set;

/**
 * Everything an update could say, before an audience's model picks what that audience may see.
 *
 * @param previousSeverity the severity in this audience's previous update, null on the first
 * @param nextUpdateAfter the earliest event time of the next update (the rate limit), null once
 *     resolved
 */
record UpdateFacts(
        String incidentId,
        long at,
        long openedAt,
        String severity,
        String previousSeverity,
        String status,
        String title,
        String domain,
        List<String> services,
        int alertCount,
        int activeAlertCount,
        String rootCause,
        List<String> evidence,
        List<String> paged,
        Set<StatusTrigger> triggers,
        boolean first,
        boolean reopened,
        Long nextUpdateAfter,
        String impact) {

    boolean resolved() {
        return triggers.contains(StatusTrigger.RESOLVED);
    }
}

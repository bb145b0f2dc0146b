package io.tocsin.correlate;

import io.tocsin.ingest.Fingerprint;
import java.util.Map;

/**
 * Incident ids are derived from what opened the incident (domain, group, time, first alert), so a
 * replay of the same input produces the same ids and downstream consumers can deduplicate.
 */
public final class IncidentIds {

    private IncidentIds() {}

    public static String of(
            String domain, String groupKey, long openedAtMillis, String fingerprint) {
        String h =
                Fingerprint.of(
                        Map.of(
                                "domain", domain,
                                "group", groupKey,
                                "opened", Long.toString(openedAtMillis),
                                "fingerprint", fingerprint));
        return "INC-" + h.substring(0, 12);
    }
}

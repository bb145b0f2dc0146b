package io.tocsin.escalate.page;

import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.Severity;
import java.util.Map;
import java.util.TreeMap;

/** Builds the page for one incident event (see {@link Page} and {@link PageJson}). */
public final class Pages {

    static final int MAX_SUMMARY = 1024;

    private Pages() {}

    public static Page of(
            IncidentEvent e, String routingKey, String action, Map<String, String> extraDetails) {
        Page p = new Page();
        p.routingKey = routingKey;
        p.action = action;
        p.dedupKey = e.getIncidentId();
        p.eventTime = e.getEventTime().toEpochMilli();
        String root = e.getRootCauseService();
        String summary =
                "["
                        + e.getSeverity()
                        + "] "
                        + (e.getTitle() == null ? e.getIncidentId() : e.getTitle())
                        + (root == null ? "" : " (root cause: " + root + ")");
        p.summary = summary.length() > MAX_SUMMARY ? summary.substring(0, MAX_SUMMARY) : summary;
        p.source = root != null ? root : e.getDomain();
        p.severity = severity(e.getSeverity());
        p.component = root;
        p.group = e.getDomain();
        p.eventClass = e.getAlertName() != null ? e.getAlertName() : "incident";
        Map<String, String> d = new TreeMap<>();
        d.put("incidentId", e.getIncidentId());
        d.put("severity", e.getSeverity().name());
        d.put("status", e.getStatus().name());
        d.put("services", String.join(",", e.getServices()));
        d.put("alertCount", Integer.toString(e.getAlertCount()));
        d.put("activeAlertCount", Integer.toString(e.getActiveAlertCount()));
        if (e.getEscalationTier() != null) {
            d.put("escalationTier", Integer.toString(e.getEscalationTier()));
        }
        if (e.getTarget() != null) {
            d.put("target", e.getTarget());
        }
        d.put("actor", e.getActor());
        if (e.getReason() != null) {
            d.put("reason", e.getReason());
        }
        e.getEvidence().forEach((k, v) -> d.put("evidence." + k, v));
        d.putAll(extraDetails);
        p.customDetails = d;
        return p;
    }

    /** Events v2 severities: critical, error, warning, info. */
    static String severity(Severity s) {
        return switch (s) {
            case SEV1 -> "critical";
            case SEV2 -> "error";
            case SEV3 -> "warning";
            default -> "info";
        };
    }
}

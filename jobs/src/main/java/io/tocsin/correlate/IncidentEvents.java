package io.tocsin.correlate;

import io.tocsin.avro.Alert;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.avro.IncidentStatus;
import io.tocsin.avro.Severity;
import io.tocsin.config.HttpUrls;
import io.tocsin.evidence.EvidenceKeys;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Builds the next lifecycle event of an incident from its state (and advances its seq). */
public final class IncidentEvents {

    static final String ACTOR = "policy:correlation";

    private static final int MAX_ALERT_VALUES = 8;

    /** The annotation Prometheus alerting rules carry their runbook link in. */
    private static final String RUNBOOK_URL = "runbook_url";

    /** Longer runbook links are left off (a link, not a document). */
    private static final int MAX_RUNBOOK = 2048;

    private IncidentEvents() {}

    static IncidentEvent next(
            IncidentState s,
            IncidentEventType type,
            long t,
            Alert a,
            Map<String, String> evidence,
            String reason) {
        s.seq++;
        List<String> services = s.services();
        if (a != null) {
            // The alert's own severity and flapping flag, for the escalate stage's CEP patterns.
            evidence = new java.util.TreeMap<>(evidence);
            evidence.put(EvidenceKeys.ALERT_SEVERITY, a.getSeverity().name());
            if (Boolean.TRUE.equals(a.getFlapping())) {
                evidence.put(EvidenceKeys.FLAPPING, "true");
            }
            String runbook = a.getAnnotations().get(RUNBOOK_URL);
            if (runbook != null && runbook.length() <= MAX_RUNBOOK && HttpUrls.isHttp(runbook)) {
                evidence.put(EvidenceKeys.ALERT_RUNBOOK, runbook);
            }
            addNumbers(evidence, a.getLabels());
            addNumbers(evidence, a.getAnnotations());
        }
        return IncidentEvent.newBuilder()
                .setEventId(s.incidentId + "/" + s.seq)
                .setIncidentId(s.incidentId)
                .setSeq(s.seq)
                .setType(type)
                .setEventTime(Instant.ofEpochMilli(t))
                .setOpenedAt(Instant.ofEpochMilli(s.openedAtMillis))
                .setFirstAlertAt(Instant.ofEpochMilli(s.firstAlertAtMillis))
                .setDomain(s.domain)
                .setSeverity(Severity.valueOf(s.severity))
                .setStatus(s.isOpen() ? IncidentStatus.OPEN : IncidentStatus.RESOLVED)
                .setTitle(s.title)
                .setServices(services)
                .setAlertCount(s.members.size())
                .setActiveAlertCount(s.activeCount())
                .setFingerprint(a == null ? null : a.getFingerprint())
                .setAlertName(a == null ? null : a.getLabels().get("alertname"))
                .setAlertService(a == null ? null : a.getService())
                .setRootCauseService(s.rootCause)
                .setEvidence(evidence)
                .setActor(ACTOR)
                .setReason(reason)
                .setRecurrenceOf(s.recurrenceOf)
                .build();
    }

    private static void addNumbers(Map<String, String> evidence, Map<String, String> values) {
        int added = 0;
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(values).entrySet()) {
            if (added >= MAX_ALERT_VALUES) {
                return;
            }
            String v = e.getValue();
            if (v != null && v.length() <= 32 && isNumber(v)) {
                evidence.put(EvidenceKeys.ALERT_VALUE_PREFIX + e.getKey(), v);
                added++;
            }
        }
    }

    private static boolean isNumber(String v) {
        try {
            double d = Double.parseDouble(v);
            return !Double.isNaN(d) && !Double.isInfinite(d);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}

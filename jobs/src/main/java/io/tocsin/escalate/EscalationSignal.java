package io.tocsin.escalate;

import io.tocsin.avro.Severity;
import java.util.Map;
import java.util.TreeMap;

/**
 * A policy trigger's verdict about one incident, computed outside the escalator (the CEP patterns):
 * raise the incident to at least {@link #severity}, and/or move it to its next tier now ({@link
 * #escalate}). The escalator applies it in event-time order with everything else it knows
 * (maintenance holds, current severity) and audits the result; a signal that changes nothing is
 * dropped there, not here.
 */
public class EscalationSignal {

    /** Incident the verdict is about (the escalate stage's key). */
    public String incidentId;

    /** Event time of the last event that completed the pattern, in epoch milliseconds. */
    public long eventTime;

    /**
     * Rule that fired, as it appears in the audit trail's actor: e.g. {@code cep:warning-burst}.
     */
    public String trigger;

    /** Raise to at least this severity; null leaves the severity alone. */
    public Severity severity;

    /** Page the next tier now instead of waiting for the current tier's timeout. */
    public boolean escalate;

    /** Why, in words, for the event's reason. */
    public String reason;

    /** What the pattern saw (event ids, counts, related incidents), copied into the event. */
    public Map<String, String> evidence = new TreeMap<>();

    public EscalationSignal() {}

    public EscalationSignal(
            String incidentId,
            long eventTime,
            String trigger,
            Severity severity,
            boolean escalate,
            String reason,
            Map<String, String> evidence) {
        this.incidentId = incidentId;
        this.eventTime = eventTime;
        this.trigger = trigger;
        this.severity = severity;
        this.escalate = escalate;
        this.reason = reason;
        this.evidence = new TreeMap<>(evidence);
    }

    @Override
    public String toString() {
        return trigger
                + "@"
                + eventTime
                + " "
                + incidentId
                + " severity="
                + severity
                + " escalate="
                + escalate
                + " "
                + evidence;
    }
}

package io.tocsin.escalate.cep;

import io.tocsin.avro.Command;
import io.tocsin.avro.CommandType;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.avro.Severity;
import io.tocsin.correlate.IncidentEvents;

/**
 * What the CEP patterns look at, flattened from an incident event or a command (a Flink POJO): the
 * patterns' conditions stay one-liners and their state holds a few strings, not whole events.
 */
public class PatternEvent {

    /** FIRING (an alert fired: OPENED, ALERT_ADDED, REOPENED), OPENED additionally, DOWNGRADE. */
    public String kind;

    public boolean opened;
    public String incidentId;
    public String eventId;
    public String domain;
    public String service;

    /** Severity rank of the alert (0 = SEV1 ... 3 = SEV4, 4 = unknown). */
    public int alertRank = 4;

    /** Severity rank of the incident. */
    public int incidentRank = 4;

    /** For a DOWNGRADE: the rank it lowers to. */
    public int targetRank = 4;

    public boolean flapping;
    public long time;

    public PatternEvent() {}

    /** The event as the patterns see it, or null when no pattern looks at it. */
    public static PatternEvent of(IncidentEvent e) {
        IncidentEventType t = e.getType();
        if (t != IncidentEventType.OPENED
                && t != IncidentEventType.ALERT_ADDED
                && t != IncidentEventType.REOPENED) {
            return null;
        }
        String alertSeverity = e.getEvidence().get(IncidentEvents.ALERT_SEVERITY);
        PatternEvent p = new PatternEvent();
        p.kind = "FIRING";
        p.opened = t == IncidentEventType.OPENED;
        p.incidentId = e.getIncidentId();
        p.eventId = e.getEventId();
        p.domain = e.getDomain();
        p.service = e.getAlertService() == null ? "" : e.getAlertService();
        p.alertRank =
                rank(alertSeverity == null ? e.getSeverity() : Severity.valueOf(alertSeverity));
        p.incidentRank = rank(e.getSeverity());
        p.flapping = "true".equals(e.getEvidence().get(IncidentEvents.FLAPPING));
        p.time = e.getEventTime().toEpochMilli();
        return p;
    }

    /** A DOWNGRADE command with a target severity, or null. */
    public static PatternEvent of(Command c) {
        if (c.getType() != CommandType.DOWNGRADE || c.getTargetSeverity() == null) {
            return null;
        }
        PatternEvent p = new PatternEvent();
        p.kind = "DOWNGRADE";
        p.incidentId = c.getIncidentId();
        p.eventId = c.getCommandId();
        p.targetRank = rank(c.getTargetSeverity());
        p.time = c.getIssuedAt().toEpochMilli();
        return p;
    }

    public boolean firing() {
        return "FIRING".equals(kind);
    }

    public String serviceKey() {
        return domain + "|" + service;
    }

    public static int rank(Severity s) {
        return s == null || s == Severity.UNKNOWN ? 4 : s.ordinal();
    }

    public static Severity severity(int rank) {
        return rank >= 4 ? Severity.UNKNOWN : Severity.values()[rank];
    }

    @Override
    public String toString() {
        return kind + " " + incidentId + " " + eventId + " " + serviceKey() + " @" + time;
    }
}

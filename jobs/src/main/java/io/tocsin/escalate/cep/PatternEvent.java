package io.tocsin.escalate.cep;

import io.tocsin.avro.Command;
import io.tocsin.avro.CommandType;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.avro.Severity;
import io.tocsin.config.SeverityScale;
import io.tocsin.evidence.EvidenceKeys;

/**
 * One incident event about an alert, or one command, reduced to what the patterns read. The CEP
 * operators buffer these (not whole IncidentEvents with their service lists and evidence) for up to
 * each pattern's window, so keeping them small keeps that state small. A Flink POJO.
 */
public class PatternEvent {

    /** The event's eventId or the command's commandId. */
    public String id;

    public String incidentId;

    /** Event time in epoch milliseconds (eventTime or issuedAt). */
    public long time;

    /** Position in the incident's stream; 0 for commands. */
    public long seq;

    /** Set on incident events, null on commands. */
    public IncidentEventType eventType;

    /** Set on commands, null on incident events. */
    public CommandType commandType;

    public String domain;

    /** Service of the alert concerned; null when the alert has none. */
    public String service;

    public String alertName;

    public String fingerprint;

    /** The alert's own severity (evidence alertSeverity); null when absent or unreadable. */
    public Severity alertSeverity;

    /** The incident's severity after the event. */
    public Severity incidentSeverity;

    /** The alert is flapping (evidence alertFlapping=true). */
    public boolean flapping;

    /** A command's targetSeverity. */
    public Severity targetSeverity;

    /** Who issued a command. */
    public String actor;

    public PatternEvent() {}

    /** The event as the patterns see it, or null when it is not about one alert. */
    public static PatternEvent of(IncidentEvent e) {
        IncidentEventType type = e.getType();
        if (type != IncidentEventType.OPENED
                && type != IncidentEventType.ALERT_ADDED
                && type != IncidentEventType.ALERT_RESOLVED
                && type != IncidentEventType.REOPENED) {
            return null;
        }
        PatternEvent p = new PatternEvent();
        p.id = e.getEventId();
        p.incidentId = e.getIncidentId();
        p.time = e.getEventTime().toEpochMilli();
        p.seq = e.getSeq();
        p.eventType = type;
        p.domain = e.getDomain();
        p.service = blankToNull(e.getAlertService());
        p.alertName = e.getAlertName();
        p.fingerprint = e.getFingerprint();
        p.alertSeverity = SeverityScale.parse(e.getEvidence().get(EvidenceKeys.ALERT_SEVERITY));
        p.incidentSeverity = e.getSeverity();
        p.flapping = "true".equals(e.getEvidence().get(EvidenceKeys.FLAPPING));
        return p;
    }

    public static PatternEvent of(Command c) {
        PatternEvent p = new PatternEvent();
        p.id = c.getCommandId();
        p.incidentId = c.getIncidentId();
        p.time = c.getIssuedAt().toEpochMilli();
        p.commandType = c.getType();
        p.targetSeverity = c.getTargetSeverity();
        p.actor = c.getActor();
        return p;
    }

    /** An alert starting or continuing to fire: OPENED, ALERT_ADDED or REOPENED. */
    public boolean isFiring() {
        return eventType == IncidentEventType.OPENED
                || eventType == IncidentEventType.ALERT_ADDED
                || eventType == IncidentEventType.REOPENED;
    }

    public boolean isCommand(CommandType type) {
        return commandType == type;
    }

    /**
     * The alert for people: its name, else its fingerprint, else the event id. Never null, since
     * evidence values end up in an Avro map of strings.
     */
    public String alertLabel() {
        if (alertName != null) {
            return alertName;
        }
        return fingerprint != null ? fingerprint : id;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    @Override
    public String toString() {
        return (commandType != null ? commandType : eventType) + " " + id + "@" + time;
    }
}

package io.tocsin.config;

import io.tocsin.avro.IncidentEventType;

/** The incident changes that can send a status update. */
public enum StatusTrigger {
    /** The incident opened (or reopened after it had resolved). */
    OPENED,
    SEVERITY_CHANGED,
    ROOT_CAUSE_CHANGED,
    /** Always sent to an audience that was told the incident is open, whatever the rate limit. */
    RESOLVED;

    /** The trigger an incident event is, or null for events that send no update of their own. */
    public static StatusTrigger of(IncidentEventType type) {
        if (type == null) {
            return null;
        }
        return switch (type) {
            case OPENED, REOPENED -> OPENED;
            case SEVERITY_CHANGED -> SEVERITY_CHANGED;
            case ROOT_CAUSE_CHANGED -> ROOT_CAUSE_CHANGED;
            case RESOLVED -> RESOLVED;
            default -> null;
        };
    }
}

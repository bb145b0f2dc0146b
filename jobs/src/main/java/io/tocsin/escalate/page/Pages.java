package io.tocsin.escalate.page;

import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.Severity;
import java.util.Map;
import java.util.Set;

/**
 * Builds {@link Page}s from incident events, and decides which of two pages of an incident wins.
 */
public final class Pages {

    /** PagerDuty's limit on payload.summary. */
    public static final int MAX_SUMMARY = 1024;

    /**
     * Evidence keys under this prefix are the incident's service catalog context (the escalate
     * stage adds them to ESCALATED events): a page carries them as custom details without the
     * prefix (e.g. {@code runbooks}, {@code upstream}, {@code customerTier}).
     */
    public static final String CATALOG_PREFIX = "catalog.";

    /** The incident's customer tier, named in the page summary when there is one. */
    public static final String CUSTOMER_TIER = CATALOG_PREFIX + "customerTier";

    private static final Set<String> ACTIONS = Set.of(Page.TRIGGER, Page.ACKNOWLEDGE, Page.RESOLVE);

    private Pages() {}

    /**
     * A page about {@code e} for {@code routingKey}. {@code extraDetails} go into custom details
     * last, so the caller's keys win over the built-in ones.
     *
     * @throws IllegalArgumentException for a blank routing key or an unknown action
     */
    public static Page of(
            IncidentEvent e, String routingKey, String action, Map<String, String> extraDetails) {
        if (routingKey == null || routingKey.isBlank()) {
            throw new IllegalArgumentException("a page needs a routing key");
        }
        if (!ACTIONS.contains(action)) {
            throw new IllegalArgumentException(
                    "unknown page action '" + action + "' (trigger, acknowledge or resolve)");
        }
        String rootCause = blankToNull(e.getRootCauseService());
        String domain = blankToNull(e.getDomain());
        Page p = new Page();
        p.routingKey = routingKey;
        p.action = action;
        p.dedupKey = e.getIncidentId();
        p.eventTime = e.getEventTime().toEpochMilli();
        p.summary = summary(e, rootCause);
        // Events v2 rejects a trigger without a source; the last resort names the sender.
        p.source = rootCause != null ? rootCause : domain != null ? domain : "tocsin";
        p.severity = severity(e.getSeverity());
        p.component = rootCause;
        p.group = domain;
        p.eventClass = e.getAlertName() != null ? e.getAlertName() : "incident";
        Map<String, String> d = p.customDetails;
        d.put("incidentId", e.getIncidentId());
        d.put("eventType", String.valueOf(e.getType()));
        d.put("severity", String.valueOf(e.getSeverity()));
        d.put("status", String.valueOf(e.getStatus()));
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
        if (e.getEvidence() != null) {
            e.getEvidence()
                    .forEach(
                            (k, v) -> {
                                if (k.startsWith(CATALOG_PREFIX)) {
                                    d.put(k.substring(CATALOG_PREFIX.length()), v);
                                } else {
                                    d.put("evidence." + k, v);
                                }
                            });
        }
        if (extraDetails != null) {
            d.putAll(extraDetails);
        }
        return p;
    }

    /** Events v2 severity for a Tocsin severity. */
    public static String severity(Severity s) {
        if (s == null) {
            return "info";
        }
        return switch (s) {
            case SEV1 -> "critical";
            case SEV2 -> "error";
            case SEV3 -> "warning";
            default -> "info";
        };
    }

    /**
     * Order of actions in an incident's life: trigger, acknowledge, resolve. Breaks ties between
     * pages of one incident at the same event time.
     */
    public static int rank(String action) {
        if (Page.RESOLVE.equals(action)) {
            return 2;
        }
        return Page.ACKNOWLEDGE.equals(action) ? 1 : 0;
    }

    /**
     * Which of two pages for the same dedup key carries the incident's latest state: the later
     * event time, and at equal times the later action (so a late trigger never hides a resolve); at
     * a full tie the one that came last.
     */
    public static Page latest(Page held, Page incoming) {
        if (incoming.eventTime != held.eventTime) {
            return incoming.eventTime > held.eventTime ? incoming : held;
        }
        return rank(incoming.action) >= rank(held.action) ? incoming : held;
    }

    static String summary(IncidentEvent e, String rootCause) {
        String title = blankToNull(e.getTitle());
        StringBuilder s = new StringBuilder();
        s.append('[').append(e.getSeverity()).append(']');
        String customerTier =
                e.getEvidence() == null ? null : blankToNull(e.getEvidence().get(CUSTOMER_TIER));
        if (customerTier != null) {
            s.append('[').append(customerTier).append(']');
        }
        s.append(' ');
        s.append(title != null ? title : "incident " + e.getIncidentId());
        if (rootCause != null) {
            s.append(" (root cause: ").append(rootCause).append(')');
        }
        return truncate(s.toString(), MAX_SUMMARY);
    }

    /** Cuts to at most {@code max} characters, ending in an ellipsis, never splitting a pair. */
    static String truncate(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int cut = max - 1;
        if (Character.isHighSurrogate(s.charAt(cut - 1))) {
            cut--;
        }
        return s.substring(0, cut) + "\u2026";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}

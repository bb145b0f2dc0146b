package io.tocsin.escalate.page;

import java.util.Map;
import java.util.TreeMap;

/**
 * One page for a paging system, shaped as a PagerDuty Events API v2 event (see {@link PageJson} for
 * the wire form). {@link #dedupKey} is the incident id, so trigger, acknowledge and resolve of one
 * incident land on one alert in the paging system.
 */
public class Page {

    public static final String TRIGGER = "trigger";
    public static final String ACKNOWLEDGE = "acknowledge";
    public static final String RESOLVE = "resolve";

    /** Integration key of the escalation target (who is paged). The rate-limit key. */
    public String routingKey;

    /** trigger, acknowledge or resolve. */
    public String action;

    /** The incident id. */
    public String dedupKey;

    /** Event time of the incident event that caused the page, epoch milliseconds. */
    public long eventTime;

    /** One-line summary (Events v2 payload.summary, at most 1024 characters). */
    public String summary;

    /** Where the problem is (payload.source): the root-cause service, else the domain. */
    public String source;

    /** critical, error, warning or info (payload.severity). */
    public String severity;

    public String component;
    public String group;
    public String eventClass;

    /** Incident facts for the responder: incident id, tier, target, services, trigger, ... */
    public Map<String, String> customDetails = new TreeMap<>();

    /** How many superseded pages for this dedup key were folded into this one by rate limiting. */
    public int coalesced;

    public Page() {}

    /**
     * A copy whose details map is its own, so a held page can change without touching its input.
     */
    public Page copy() {
        Page p = new Page();
        p.routingKey = routingKey;
        p.action = action;
        p.dedupKey = dedupKey;
        p.eventTime = eventTime;
        p.summary = summary;
        p.source = source;
        p.severity = severity;
        p.component = component;
        p.group = group;
        p.eventClass = eventClass;
        p.customDetails = customDetails == null ? new TreeMap<>() : new TreeMap<>(customDetails);
        p.coalesced = coalesced;
        return p;
    }

    @Override
    public String toString() {
        return action + " " + dedupKey + " -> " + routingKey + " @" + eventTime + " " + summary;
    }
}

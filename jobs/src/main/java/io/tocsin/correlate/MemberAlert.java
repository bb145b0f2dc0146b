package io.tocsin.correlate;

import java.util.Map;
import java.util.TreeMap;

/** One alert that joined an incident, as the incident remembers it. */
public class MemberAlert {

    public String fingerprint;
    public String alertName;
    public String service;
    public String severity;
    public boolean active;

    /** startsAt of the alert's first episode in this incident, epoch millis. */
    public long startsAtMillis;

    /** Event time the alert last resolved, or -1 while it fires or never resolved. */
    public long resolvedAtMillis = -1;

    /** The alert's labels, for label rules. */
    public Map<String, String> labels = new TreeMap<>();

    public MemberAlert() {}

    /**
     * What a same-service link compares: the service, or for an alert without one its alertname
     * (prefixed so it never equals a service); null when it has neither.
     */
    public static String serviceKey(String service, String alertName) {
        if (service != null) {
            return service;
        }
        return alertName == null ? null : ALERTNAME_KEY + alertName;
    }

    /** Prefix of a {@link #serviceKey} that is an alertname. */
    public static final String ALERTNAME_KEY = "\0alertname:";

    public String serviceKey() {
        return serviceKey(service, alertName);
    }
}

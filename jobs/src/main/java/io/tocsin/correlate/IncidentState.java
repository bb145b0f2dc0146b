package io.tocsin.correlate;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * An incident as the correlator holds it: open, or resolved and remembered for reopening and
 * recurrence links. Members are kept in the order they joined; a member is one alert (fingerprint),
 * so the list is bounded by the alerts of one incident.
 */
public class IncidentState {

    public String incidentId;
    public String domain;
    public long seq;
    public String severity;
    public String title;
    public String rootCause;
    public String recurrenceOf;
    public long openedAtMillis;
    public long firstAlertAtMillis;
    public long lastActivityMillis;

    /** When the last active member resolved, or -1 while some member fires. */
    public long quietSinceMillis = -1;

    /** Event time of RESOLVED, or -1 while open. */
    public long resolvedAtMillis = -1;

    public List<MemberAlert> members = new ArrayList<>();

    public IncidentState() {}

    public boolean isOpen() {
        return resolvedAtMillis < 0;
    }

    public MemberAlert member(String fingerprint) {
        for (MemberAlert m : members) {
            if (m.fingerprint.equals(fingerprint)) {
                return m;
            }
        }
        return null;
    }

    public int activeCount() {
        int n = 0;
        for (MemberAlert m : members) {
            if (m.active) {
                n++;
            }
        }
        return n;
    }

    public List<String> services() {
        TreeSet<String> s = new TreeSet<>();
        for (MemberAlert m : members) {
            if (m.service != null) {
                s.add(m.service);
            }
        }
        return new ArrayList<>(s);
    }
}

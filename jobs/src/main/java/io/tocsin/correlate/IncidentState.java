package io.tocsin.correlate;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * An open incident as the correlator holds it. Members are kept in a list ordered by when they
 * joined (a small incident has a handful; the list is bounded by the alerts of one incident).
 */
public class IncidentState {

    public String incidentId;
    public String domain;
    public String groupKey;
    public long seq;
    public String severity;
    public String title;
    public long openedAtMillis;
    public long firstAlertAtMillis;
    public long lastActivityMillis;

    /** When the last active member resolved, or -1 while some member fires. */
    public long quietSinceMillis = -1;

    public List<MemberAlert> members = new ArrayList<>();

    public IncidentState() {}

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

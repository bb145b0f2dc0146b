package io.tocsin.correlate;

import io.tocsin.avro.Alert;
import io.tocsin.avro.AlertStatus;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.avro.IncidentStatus;
import io.tocsin.avro.Severity;
import io.tocsin.config.CorrelationPolicy;
import io.tocsin.config.Durations;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The foundation's correlation rule, as plain logic with time passed in: alerts that share a group
 * (their service, or their alertname when they name no service) within {@code groupGap} of the
 * incident's last activity belong to one incident. The incident resolves when all its alerts have
 * resolved and {@code quietPeriod} passed with no new activity. The topology-aware correlator
 * replaces the grouping rule; the lifecycle and event shapes stay.
 */
public final class ServiceGrouping {

    static final String ACTOR = "policy:correlation";

    private final CorrelationPolicy policy;

    public ServiceGrouping(CorrelationPolicy policy) {
        this.policy = policy;
    }

    /** The correlation domain of an alert (the key of the correlate stage). */
    public static String domainOf(Alert a, CorrelationPolicy policy) {
        String d = a.getLabels().get(policy.domainLabel());
        return d == null || d.isBlank() ? policy.defaultDomain() : d;
    }

    /** The group an alert belongs to within its domain. */
    public static String groupOf(Alert a) {
        if (a.getService() != null) {
            return "service:" + a.getService();
        }
        String name = a.getLabels().get("alertname");
        return "alertname:" + (name == null ? a.getFingerprint() : name);
    }

    /** Whether an alert at {@code t} may still join {@code s}. */
    public boolean accepts(IncidentState s, long t) {
        return s.activeCount() > 0 || t - s.lastActivityMillis <= policy.groupGap().toMillis();
    }

    /** Opens an incident for a firing alert. */
    public IncidentState open(String domain, Alert a, long t, List<IncidentEvent> out) {
        IncidentState s = new IncidentState();
        s.domain = domain;
        s.groupKey = groupOf(a);
        s.incidentId = IncidentIds.of(domain, s.groupKey, t, a.getFingerprint());
        s.severity = a.getSeverity().name();
        s.openedAtMillis = t;
        s.firstAlertAtMillis = Math.min(t, a.getStartsAt().toEpochMilli());
        s.lastActivityMillis = t;
        MemberAlert m = member(a);
        s.members.add(m);
        s.title = title(s, a);
        Map<String, String> evidence = new TreeMap<>();
        evidence.put("rule", "new-group");
        evidence.put("group", s.groupKey);
        out.add(event(s, IncidentEventType.OPENED, t, a, evidence, "first alert of its group"));
        return s;
    }

    /** A firing alert joins {@code s} (which {@link #accepts} it). */
    public void join(IncidentState s, Alert a, long t, List<IncidentEvent> out) {
        MemberAlert m = s.member(a.getFingerprint());
        if (m != null && m.active) {
            return; // already firing in this incident: nothing changed
        }
        if (m == null) {
            m = member(a);
            s.members.add(m);
        } else {
            m.active = true;
        }
        s.lastActivityMillis = t;
        s.quietSinceMillis = -1;
        s.firstAlertAtMillis = Math.min(s.firstAlertAtMillis, a.getStartsAt().toEpochMilli());
        Map<String, String> evidence = new TreeMap<>();
        evidence.put("rule", "same-group-within-gap");
        evidence.put("group", s.groupKey);
        evidence.put("groupGap", Durations.format(policy.groupGap()));
        out.add(event(s, IncidentEventType.ALERT_ADDED, t, a, evidence, "alert joined its group"));
        Severity before = Severity.valueOf(s.severity);
        if (a.getSeverity().ordinal() < before.ordinal()) {
            s.severity = a.getSeverity().name();
            Map<String, String> ev = new TreeMap<>();
            ev.put("rule", "max-member-severity");
            ev.put("fingerprint", a.getFingerprint());
            IncidentEvent e =
                    event(
                            s,
                            IncidentEventType.SEVERITY_CHANGED,
                            t,
                            a,
                            ev,
                            "a more severe alert joined");
            e.setPreviousSeverity(before);
            out.add(e);
        }
    }

    /** A resolved alert; returns true when it was an active member of {@code s}. */
    public boolean resolve(IncidentState s, Alert a, long t, List<IncidentEvent> out) {
        MemberAlert m = s.member(a.getFingerprint());
        if (m == null || !m.active) {
            return false;
        }
        m.active = false;
        s.lastActivityMillis = t;
        if (s.activeCount() == 0) {
            s.quietSinceMillis = t;
        }
        Map<String, String> evidence = new TreeMap<>();
        evidence.put("rule", "alert-resolved");
        out.add(event(s, IncidentEventType.ALERT_RESOLVED, t, a, evidence, "alert resolved"));
        return true;
    }

    /** Event time at which {@code s} resolves if nothing happens, or -1 while alerts fire. */
    public long resolveDue(IncidentState s) {
        return s.quietSinceMillis < 0 ? -1 : s.quietSinceMillis + policy.quietPeriod().toMillis();
    }

    /** Emits RESOLVED when the quiet period has passed at {@code t}. */
    public boolean maybeResolve(IncidentState s, long t, List<IncidentEvent> out) {
        long due = resolveDue(s);
        if (due < 0 || due > t) {
            return false;
        }
        resolveAt(s, due, out);
        return true;
    }

    /**
     * Emits RESOLVED at {@code t}: the quiet period ended, or a new alert of the group arrived
     * after {@code groupGap} and found this incident no longer accepting.
     */
    public void resolveAt(IncidentState s, long t, List<IncidentEvent> out) {
        Map<String, String> evidence = new TreeMap<>();
        evidence.put("rule", "all-alerts-resolved");
        evidence.put("quietPeriod", Durations.format(policy.quietPeriod()));
        IncidentEvent e =
                event(
                        s,
                        IncidentEventType.RESOLVED,
                        t,
                        null,
                        evidence,
                        "all alerts resolved and quiet since "
                                + java.time.Instant.ofEpochMilli(s.quietSinceMillis));
        e.setStatus(IncidentStatus.RESOLVED);
        out.add(e);
    }

    /** Emits RESOLVED for an incident open longer than the state bound allows. */
    public boolean maybeEvict(IncidentState s, long t, List<IncidentEvent> out) {
        long due = s.openedAtMillis + policy.maxIncidentAge().toMillis();
        if (due > t) {
            return false;
        }
        Map<String, String> evidence = new TreeMap<>();
        evidence.put("rule", "max-incident-age");
        evidence.put("maxIncidentAge", Durations.format(policy.maxIncidentAge()));
        evidence.put("activeAlerts", Integer.toString(s.activeCount()));
        IncidentEvent e =
                event(
                        s,
                        IncidentEventType.RESOLVED,
                        due,
                        null,
                        evidence,
                        "open longer than maxIncidentAge; closed to bound state");
        e.setStatus(IncidentStatus.RESOLVED);
        out.add(e);
        return true;
    }

    private static MemberAlert member(Alert a) {
        MemberAlert m = new MemberAlert();
        m.fingerprint = a.getFingerprint();
        m.alertName = a.getLabels().get("alertname");
        m.service = a.getService();
        m.severity = a.getSeverity().name();
        m.active = a.getStatus() == AlertStatus.FIRING;
        m.startsAtMillis = a.getStartsAt().toEpochMilli();
        return m;
    }

    private static String title(IncidentState s, Alert a) {
        String name = a.getLabels().getOrDefault("alertname", "alert");
        return (a.getService() == null ? "" : a.getService() + ": ") + name;
    }

    private static IncidentEvent event(
            IncidentState s,
            IncidentEventType type,
            long t,
            Alert a,
            Map<String, String> evidence,
            String reason) {
        s.seq++;
        List<String> services = s.services();
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
                .setStatus(IncidentStatus.OPEN)
                .setTitle(s.title)
                .setServices(services)
                .setAlertCount(s.members.size())
                .setActiveAlertCount(s.activeCount())
                .setFingerprint(a == null ? null : a.getFingerprint())
                .setAlertName(a == null ? null : a.getLabels().get("alertname"))
                .setAlertService(a == null ? null : a.getService())
                .setRootCauseService(services.isEmpty() ? null : services.get(0))
                .setEvidence(evidence)
                .setActor(ACTOR)
                .setReason(reason)
                .build();
    }
}

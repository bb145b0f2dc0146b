package io.tocsin.escalate;

import static io.tocsin.escalate.EscalationEvents.event;
import static io.tocsin.escalate.EscalationEvents.passOn;
import static io.tocsin.escalate.EscalationEvents.withPaged;

import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.avro.IncidentStatus;
import io.tocsin.avro.Severity;
import io.tocsin.config.SeverityScale;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The correlator's events, passed on re-sequenced with the severity and status this stage decided:
 * severity rises with the correlator's verdict but never falls by it (a lower verdict is noted), an
 * alert after a person's resolve reopens the incident, and an open incident gets its automatic
 * triggers checked and tier one paged once it is at the paging severity.
 */
final class CorrelatorEvents implements Serializable {

    private final AutomaticTriggers triggers;
    private final TierPager pager;

    CorrelatorEvents(AutomaticTriggers triggers, TierPager pager) {
        this.triggers = triggers;
        this.pager = pager;
    }

    /** Applies one of the correlator's events; returns the state (new for a first event). */
    EscalationState apply(EscalationState st, IncidentEvent e, long t, List<IncidentEvent> out) {
        if (st == null) {
            st = new EscalationState();
            st.incidentId = e.getIncidentId();
            st.severity(e.getSeverity());
            st.openedAt = e.getOpenedAt() == null ? t : e.getOpenedAt().toEpochMilli();
            st.periodStart = t;
        }
        st.lastInputAt = t;
        CatalogContext.remember(st, e.getEvidence());
        st.domain = e.getDomain();
        st.title = e.getTitle();
        st.rootCause = e.getRootCauseService();
        st.services = List.copyOf(e.getServices());
        st.alertCount = e.getAlertCount();
        st.activeAlertCount = e.getActiveAlertCount();
        if (e.getFirstAlertAt() != null) {
            st.firstAlertAt = e.getFirstAlertAt().toEpochMilli();
        }
        Severity computed = e.getSeverity();
        st.computedSeverity(computed);
        IncidentEventType type = e.getType();

        if (type == IncidentEventType.SEVERITY_CHANGED
                && !SeverityScale.moreSevere(computed, st.severity())) {
            // The correlator lowered (or kept) its verdict: the incident keeps its severity.
            if (computed != st.severity()) {
                Map<String, String> ev = new TreeMap<>(e.getEvidence());
                ev.put("computedSeverity", computed.name());
                out.add(
                        event(st, IncidentEventType.NOTE_ADDED, t)
                                .setActor(e.getActor())
                                .setEvidence(ev)
                                .setReason(
                                        "member alerts now say "
                                                + computed
                                                + "; the incident stays "
                                                + st.severity()
                                                + " until a downgrade is approved")
                                .build());
            }
            return st;
        }
        Severity before = st.severity();
        // Only a change of the correlator's verdict raises the severity: after an approved
        // downgrade, the members that were already there do not push it back up.
        if (type == IncidentEventType.SEVERITY_CHANGED
                && SeverityScale.moreSevere(computed, st.severity())) {
            st.severity(computed);
            st.severitySetByPolicy = false;
        }
        switch (type) {
            case RESOLVED -> {
                if (!st.isOpen()) {
                    // Already resolved by a person: the correlator's verdict is recorded as a note.
                    out.add(
                            passOn(st, e, t, IncidentEventType.NOTE_ADDED)
                                    .setReason("all member alerts resolved: " + e.getReason())
                                    .build());
                    return st;
                }
                st.status(IncidentStatus.RESOLVED);
            }
            case REOPENED -> startPeriod(st, t);
            case MERGED -> st.status(IncidentStatus.MERGED);
            default -> {}
        }
        IncidentEvent.Builder passed = passOn(st, e, t, type);
        if (type == IncidentEventType.SEVERITY_CHANGED) {
            passed.setPreviousSeverity(before);
        }
        if (type == IncidentEventType.RESOLVED || type == IncidentEventType.MERGED) {
            Map<String, String> ev = withPaged(st, e.getEvidence());
            if (type == IncidentEventType.RESOLVED) {
                Classifications.withDisposition(st, ev);
            }
            passed.setEvidence(ev);
        }
        out.add(passed.build());
        if (type == IncidentEventType.RESOLVED || type == IncidentEventType.MERGED) {
            TierPager.stopPaging(st);
            return st;
        }
        if (!st.isOpen() && type == IncidentEventType.ALERT_ADDED) {
            // An alert fired on an incident a person resolved: it is back.
            startPeriod(st, t);
            out.add(
                    event(st, IncidentEventType.REOPENED, t)
                            .setActor("policy:alert-after-resolve")
                            .setFingerprint(e.getFingerprint())
                            .setAlertName(e.getAlertName())
                            .setAlertService(e.getAlertService())
                            .setReason("a member alert fired after the incident was resolved")
                            .build());
        }
        if (st.isOpen()) {
            triggers.check(st, e, t, out);
            if (st.tier < 0 && pager.atPagingSeverity(st)) {
                pager.page(st, 0, t, "policy:open", "the incident is " + st.severity(), out);
            }
        }
        return st;
    }

    private void startPeriod(EscalationState st, long t) {
        st.status(IncidentStatus.OPEN);
        st.periodStart = t;
        st.tier = -1;
        st.loop = 0;
        TierPager.stopPaging(st);
        st.pagedKeys = new ArrayList<>();
        st.ackWarned = st.ackBreached = st.resolveWarned = st.resolveBreached = false;
        st.acknowledgedBy = null;
        st.fired = new ArrayList<>();
        st.disposition = null;
    }
}

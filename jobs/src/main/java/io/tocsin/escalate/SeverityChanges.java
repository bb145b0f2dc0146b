package io.tocsin.escalate;

import static io.tocsin.escalate.EscalationEvents.event;
import static io.tocsin.escalate.Escalator.TRIGGER;

import io.tocsin.avro.Command;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.avro.Severity;
import io.tocsin.config.EscalationPolicy;
import io.tocsin.config.LabelMatcher;
import io.tocsin.config.MaintenanceWindow;
import java.io.Serializable;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Changes an incident's severity and audits it (paging tier one when the incident reaches the
 * paging severity); an automatic upgrade is held, and noted, while a maintenance window covers
 * every service of the incident.
 */
final class SeverityChanges implements Serializable {

    private final EscalationPolicy policy;
    private final List<MaintenanceWindow> windows;
    private final String domainLabel;
    private final TierPager pager;

    SeverityChanges(
            EscalationPolicy policy,
            List<MaintenanceWindow> windows,
            String domainLabel,
            TierPager pager) {
        this.policy = policy;
        this.windows = List.copyOf(windows);
        this.domainLabel = domainLabel;
        this.pager = pager;
    }

    TierPager pager() {
        return pager;
    }

    /** An automatic upgrade: held (noted) while a maintenance window covers the incident. */
    void upgrade(
            EscalationState st,
            String trigger,
            Severity to,
            long t,
            String reason,
            Map<String, String> evidence,
            List<IncidentEvent> out) {
        Map<String, String> ev = new TreeMap<>(evidence);
        ev.put(TRIGGER, trigger);
        String window = maintenanceCovering(st, t);
        if (window != null
                && policy.holdUpgradesInMaintenance()
                && !policy.upgradeInMaintenance().contains(trigger)) {
            ev.put("maintenance", window);
            ev.put("heldSeverity", to.name());
            out.add(
                    event(st, IncidentEventType.NOTE_ADDED, t)
                            .setActor(trigger)
                            .setEvidence(ev)
                            .setReason(
                                    "upgrade to "
                                            + to
                                            + " held: maintenance window "
                                            + window
                                            + " ("
                                            + reason
                                            + ")")
                            .build());
            return;
        }
        changeSeverity(st, to, t, trigger, reason, ev, true, out);
    }

    /**
     * A change a person's command made at once (an upgrade, or a downgrade needing no approval).
     */
    void changeByCommand(
            EscalationState st, Severity to, long t, Command c, List<IncidentEvent> out) {
        changeSeverity(
                st,
                to,
                t,
                c.getActor(),
                c.getReason(),
                Map.of(
                        "commandId",
                        c.getCommandId(),
                        "requestedBy",
                        c.getActor(),
                        "role",
                        c.getRole()),
                false,
                out);
    }

    void changeSeverity(
            EscalationState st,
            Severity to,
            long t,
            String actor,
            String reason,
            Map<String, String> evidence,
            boolean byPolicy,
            List<IncidentEvent> out) {
        Severity before = st.severity();
        st.severity(to);
        st.severitySetByPolicy = byPolicy;
        out.add(
                event(st, IncidentEventType.SEVERITY_CHANGED, t)
                        .setPreviousSeverity(before)
                        .setActor(actor)
                        .setReason(reason)
                        .setEvidence(evidence)
                        .build());
        if (st.isOpen() && st.tier < 0 && pager.atPagingSeverity(st)) {
            pager.page(st, 0, t, actor, "the incident is now " + st.severity(), out);
        }
    }

    /** The maintenance window open at {@code t} covering all the incident's services, or null. */
    String maintenanceCovering(EscalationState st, long t) {
        if (st.services.isEmpty()) {
            return null;
        }
        Instant at = Instant.ofEpochMilli(t);
        for (MaintenanceWindow w : windows) {
            if (w.openUntil(at) == null) {
                continue;
            }
            boolean all = true;
            for (String s : st.services) {
                Map<String, String> labels = new HashMap<>();
                labels.put("service", s);
                if (st.domain != null) {
                    labels.put(domainLabel, st.domain);
                }
                if (!LabelMatcher.allMatch(w.matchers(), labels)) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return w.id();
            }
        }
        return null;
    }
}

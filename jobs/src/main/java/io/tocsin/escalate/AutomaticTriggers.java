package io.tocsin.escalate;

import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.Severity;
import io.tocsin.config.EscalationPolicy;
import io.tocsin.config.SeverityScale;
import io.tocsin.config.Topology;
import io.tocsin.evidence.EvidenceKeys;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * The policy's automatic triggers, checked on each correlator event of an open incident: blast
 * radius (too many services), a critical-tier service, and alert-value thresholds. Each raises the
 * severity at most once per response period, and only upwards.
 */
final class AutomaticTriggers implements Serializable {

    private final EscalationPolicy policy;
    private final Topology topology;
    private final SeverityChanges changes;

    AutomaticTriggers(EscalationPolicy policy, Topology topology, SeverityChanges changes) {
        this.policy = policy;
        this.topology = topology;
        this.changes = changes;
    }

    /**
     * Fires the policy's triggers (blast radius, critical tier, thresholds), each once a period.
     */
    void check(EscalationState st, IncidentEvent e, long t, List<IncidentEvent> out) {
        EscalationPolicy.BlastRadius br = policy.blastRadius();
        if (st.services.size() > br.maxServices()) {
            upgradeOnce(
                    st,
                    "policy:blast-radius",
                    br.severity(),
                    t,
                    "the incident spans "
                            + st.services.size()
                            + " services (more than "
                            + br.maxServices()
                            + ")",
                    Map.of("services", String.join(",", st.services)),
                    out);
        }
        if (!br.criticalTiers().isEmpty()) {
            for (String s : st.services) {
                Topology.Service svc = topology.services().get(s);
                if (svc != null && svc.tier() != null && br.criticalTiers().contains(svc.tier())) {
                    upgradeOnce(
                            st,
                            "policy:critical-tier",
                            br.tierSeverity(),
                            t,
                            s + " is a " + svc.tier() + " service",
                            Map.of("service", s, "tier", svc.tier()),
                            out);
                    break;
                }
            }
        }
        for (EscalationPolicy.Threshold th : policy.thresholds()) {
            String v = e.getEvidence().get(EvidenceKeys.ALERT_VALUE_PREFIX + th.key());
            if (v == null) {
                continue;
            }
            double x;
            try {
                x = Double.parseDouble(v);
            } catch (NumberFormatException ex) {
                continue;
            }
            if (x > th.above()) {
                upgradeOnce(
                        st,
                        "policy:threshold:" + th.id(),
                        th.severity(),
                        t,
                        e.getAlertName()
                                + " on "
                                + e.getAlertService()
                                + ": "
                                + th.key()
                                + " = "
                                + v
                                + " > "
                                + th.above(),
                        Map.of(
                                "key",
                                th.key(),
                                "value",
                                v,
                                "fingerprint",
                                String.valueOf(e.getFingerprint())),
                        out);
            }
        }
    }

    private void upgradeOnce(
            EscalationState st,
            String trigger,
            Severity to,
            long t,
            String reason,
            Map<String, String> evidence,
            List<IncidentEvent> out) {
        if (st.fired.contains(trigger) || !SeverityScale.moreSevere(to, st.severity())) {
            return;
        }
        st.fired.add(trigger);
        changes.upgrade(st, trigger, to, t, reason, evidence, out);
    }
}

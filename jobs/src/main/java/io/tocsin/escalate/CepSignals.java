package io.tocsin.escalate;

import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentStatus;
import io.tocsin.config.SeverityScale;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Applies the CEP patterns' signals: raise the severity, and/or page the next tier now. */
final class CepSignals implements Serializable {

    private final SeverityChanges changes;
    private final TierPager pager;

    CepSignals(SeverityChanges changes, TierPager pager) {
        this.changes = changes;
        this.pager = pager;
    }

    /** Applies a CEP pattern's verdict to an open incident; unknown or closed ones ignore it. */
    void apply(EscalationState st, EscalationSignal s, long t, List<IncidentEvent> out) {
        if (st == null || !st.isOpen()) {
            return; // the incident is closed or unknown: nothing to escalate
        }
        st.lastInputAt = t;
        Map<String, String> ev = new TreeMap<>(s.evidence);
        if (s.severity != null && SeverityScale.moreSevere(s.severity, st.severity())) {
            changes.upgrade(st, s.trigger, s.severity, t, s.reason, ev, out);
        }
        if (s.escalate && st.status() == IncidentStatus.OPEN) {
            pager.page(st, st.tier + 1, t, s.trigger, s.reason, out);
        }
    }
}

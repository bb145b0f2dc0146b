package io.tocsin.escalate;

import static io.tocsin.escalate.EscalationEvents.event;
import static io.tocsin.escalate.Escalator.ROUTING_KEY;
import static io.tocsin.escalate.Escalator.TRIGGER;

import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.config.EscalationPolicy;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Shift changes of an open, paged incident: when the rotation of the target its tier paged (or the
 * schedule it was reassigned to) hands over, in event time, a HANDOVER_DUE event pages the incoming
 * person at that target's routing key with the last handover, acknowledged or not (they own it
 * now). One watch per incident ({@link EscalationState#rotationAt}, the operator's one timer),
 * moved on at every handover and cleared when the incident closes.
 */
final class RotationHandovers implements Serializable {

    static final String TRIGGER_NAME = "policy:rotation-handover";

    private final EscalationPolicy policy;
    private final TierPager pager;

    RotationHandovers(EscalationPolicy policy, TierPager pager) {
        this.policy = policy;
        this.pager = pager;
    }

    long nextDue(EscalationState st) {
        return st.isOpen() ? st.rotationAt : Long.MAX_VALUE;
    }

    /** Pages the incoming person if the watched rotation handed over by {@code t}. */
    void onTime(EscalationState st, long t, List<IncidentEvent> out) {
        if (!st.isOpen() || st.rotationAt > t) {
            return;
        }
        EscalationPolicy.Target target =
                st.pagedVia == null ? null : policy.targets().get(st.pagedVia);
        if (target == null || target.schedule() == null || !policy.handover().onRotation()) {
            st.rotationAt = Long.MAX_VALUE; // e.g. a new policy version dropped the target
            return;
        }
        // Nobody on call keeps the last person the owner until someone else comes on.
        Optional<String> incoming = pager.resolve(target, t);
        if (incoming.isPresent() && !incoming.get().equals(st.pagedPerson)) {
            String outgoing = st.pagedPerson;
            st.pagedPerson = incoming.get();
            Map<String, String> ev = new TreeMap<>(Handovers.evidence(st));
            ev.put(TRIGGER, TRIGGER_NAME);
            ev.put(ROUTING_KEY, target.routingKey());
            ev.put("via", target.name());
            ev.put("schedule", target.schedule());
            if (outgoing != null) {
                ev.put("outgoing", outgoing);
            }
            if (!st.pagedKeys.contains(target.routingKey())) {
                st.pagedKeys.add(target.routingKey());
            }
            out.add(
                    event(st, IncidentEventType.HANDOVER_DUE, t)
                            .setActor(TRIGGER_NAME)
                            .setEscalationTier(st.tier < 0 ? null : st.tier)
                            .setTarget(incoming.get())
                            .setEvidence(ev)
                            .setReason(
                                    "the "
                                            + target.schedule()
                                            + " rotation hands over"
                                            + (outgoing == null ? "" : " from " + outgoing)
                                            + " to "
                                            + incoming.get()
                                            + " while the incident is "
                                            + st.status().name().toLowerCase(Locale.ROOT))
                            .build());
        }
        st.rotationAt = pager.nextRotation(target, t);
    }
}

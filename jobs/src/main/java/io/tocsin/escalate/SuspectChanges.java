package io.tocsin.escalate;

import static io.tocsin.escalate.EscalationEvents.event;

import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import java.io.Serializable;
import java.util.List;

/**
 * The changes stage's suspect ranking, placed in the incident's sequence: a CHANGE_SUSPECTED event
 * with the incident's current facts and the ranking as evidence. It decides nothing (no severity,
 * no paging) and does not keep the incident's state alive; a ranking for an incident this stage
 * does not know (already dropped) is ignored.
 */
final class SuspectChanges implements Serializable {

    void apply(EscalationState st, IncidentEvent suspects, long t, List<IncidentEvent> out) {
        if (st == null) {
            return;
        }
        out.add(
                event(st, IncidentEventType.CHANGE_SUSPECTED, t)
                        .setActor(suspects.getActor())
                        .setReason(suspects.getReason())
                        .setEvidence(suspects.getEvidence())
                        .build());
    }
}

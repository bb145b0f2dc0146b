package io.tocsin.escalate;

import static io.tocsin.escalate.EscalationEvents.byPerson;
import static io.tocsin.escalate.EscalationEvents.event;
import static io.tocsin.escalate.Escalator.PAGED_KEYS;

import io.tocsin.avro.Command;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the escalate stage's output events: its own (carrying the incident's current facts), the
 * correlator's passed on and re-sequenced, and those answering a person's command.
 */
final class EscalationEvents {

    private EscalationEvents() {}

    /** A new event of this stage, carrying the incident's current facts. */
    static IncidentEvent.Builder event(EscalationState st, IncidentEventType type, long t) {
        st.seq++;
        return IncidentEvent.newBuilder()
                .setEventId(st.incidentId + "/" + st.seq)
                .setIncidentId(st.incidentId)
                .setSeq(st.seq)
                .setType(type)
                .setEventTime(Instant.ofEpochMilli(t))
                .setOpenedAt(Instant.ofEpochMilli(st.openedAt))
                .setFirstAlertAt(
                        st.firstAlertAt == 0 ? null : Instant.ofEpochMilli(st.firstAlertAt))
                .setDomain(st.domain == null ? "" : st.domain)
                .setSeverity(st.severity())
                .setStatus(st.status())
                .setTitle(st.title)
                .setServices(st.services)
                .setAlertCount(st.alertCount)
                .setActiveAlertCount(st.activeAlertCount)
                .setRootCauseService(st.rootCause)
                .setEvidence(Map.of());
    }

    static IncidentEvent.Builder passOn(
            EscalationState st, IncidentEvent e, long t, IncidentEventType type) {
        st.seq++;
        return IncidentEvent.newBuilder(e)
                .setType(type)
                .setSeq(st.seq)
                .setEventId(st.incidentId + "/" + st.seq)
                .setSeverity(st.severity())
                .setStatus(st.status());
    }

    static Map<String, String> withPaged(EscalationState st, Map<String, String> evidence) {
        Map<String, String> ev = new TreeMap<>(evidence);
        if (!st.pagedKeys.isEmpty()) {
            ev.put(PAGED_KEYS, String.join(",", st.pagedKeys));
        }
        return ev;
    }

    static IncidentEvent.Builder byPerson(
            EscalationState st, IncidentEventType type, Command c, long t) {
        return event(st, type, t)
                .setActor(c.getActor())
                .setReason(c.getReason())
                .setEvidence(Map.of("commandId", c.getCommandId(), "role", c.getRole()));
    }

    static void reject(EscalationState st, Command c, long t, String why, List<IncidentEvent> out) {
        Map<String, String> ev = new TreeMap<>();
        ev.put("commandId", c.getCommandId());
        ev.put("command", c.getType().name());
        ev.put("role", c.getRole());
        if (c.getReason() != null) {
            ev.put("commandReason", c.getReason());
        }
        out.add(
                byPerson(st, IncidentEventType.COMMAND_REJECTED, c, t)
                        .setEvidence(ev)
                        .setReason(why)
                        .build());
    }
}

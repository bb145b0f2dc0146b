package io.tocsin.escalate;

import static io.tocsin.escalate.EscalationEvents.byPerson;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.avro.Command;
import io.tocsin.avro.CommandType;
import io.tocsin.avro.Handover;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.config.Durations;
import io.tocsin.config.EscalationPolicy;
import io.tocsin.ingest.HandoverFields;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Handovers on an incident: a HANDOVER command (or a handover carried inline by another command) is
 * recorded as the incident's last handover and audited as a HANDOVER event; a command the policy's
 * {@code escalation.handover} names needs one. The last handover rides on the events that page a
 * new owner (REASSIGNED, HANDOVER_DUE) as evidence: {@code handover.by}, {@code handover.at},
 * {@code handover.commandId} and one key per field ({@code handover.hypotheses}, ...) holding a
 * JSON array of strings; or {@code handover} = {@value #NONE}.
 *
 * <p>Evidence keys, not new IncidentEvent fields: the evidence map already reaches the pages'
 * custom details, the incidents table and the timeline, so no consumer needs a schema change, and a
 * JSON array keeps every item intact whatever it contains.
 */
final class Handovers implements Serializable {

    static final String NONE = "no handover recorded";
    static final String PREFIX = "handover.";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final EscalationPolicy policy;

    Handovers(EscalationPolicy policy) {
        this.policy = policy;
    }

    /**
     * Why {@code c} may not be applied at {@code t} for lack of a handover, or null. A recorded
     * HANDOVER counts when it is at most {@code within} older than the command ({@code t - within
     * <= at <= t}) and was applied before it (commands of one instant apply in command-id order).
     */
    String missing(EscalationState st, Command c, long t) {
        EscalationPolicy.HandoverRules rules = policy.handover();
        CommandType type = c.getType();
        if (type == CommandType.HANDOVER
                || c.getHandover() != null
                || !rules.required(type, c.getTargetSeverity())) {
            return null;
        }
        long within = rules.within().toMillis();
        if (st.handover != null && st.handover.at >= t - within && st.handover.at <= t) {
            return null;
        }
        String what =
                type.name().toLowerCase(Locale.ROOT)
                        + (type == CommandType.UPGRADE ? " to " + c.getTargetSeverity() : "");
        return what
                + " needs a handover ("
                + String.join(", ", HandoverFields.FIELDS)
                + "): none inline, and "
                + (st.handover == null
                        ? "none recorded on the incident"
                        : "the last one (at "
                                + Instant.ofEpochMilli(st.handover.at)
                                + ") is more than "
                                + Durations.format(rules.within())
                                + " old");
    }

    /** Records the command's handover as the incident's last, with a HANDOVER event. */
    void record(EscalationState st, Command c, long t, List<IncidentEvent> out) {
        Handover h = c.getHandover();
        EscalationState.RecordedHandover r = new EscalationState.RecordedHandover();
        r.by = c.getActor();
        r.commandId = c.getCommandId();
        r.at = t;
        r.hypotheses = new ArrayList<>(h.getHypotheses());
        r.actionsTaken = new ArrayList<>(h.getActionsTaken());
        r.knownDependencies = new ArrayList<>(h.getKnownDependencies());
        r.nextSteps = new ArrayList<>(h.getNextSteps());
        st.handover = r;
        Map<String, String> ev = new TreeMap<>();
        ev.put("commandId", c.getCommandId());
        ev.put("role", c.getRole());
        ev.putAll(evidence(st));
        out.add(byPerson(st, IncidentEventType.HANDOVER, c, t).setEvidence(ev).build());
    }

    /** The last handover as evidence keys (see the class comment). */
    static Map<String, String> evidence(EscalationState st) {
        Map<String, String> ev = new TreeMap<>();
        EscalationState.RecordedHandover h = st.handover;
        if (h == null) {
            ev.put("handover", NONE);
            return ev;
        }
        ev.put(PREFIX + "by", h.by);
        ev.put(PREFIX + "commandId", h.commandId);
        ev.put(PREFIX + "at", Instant.ofEpochMilli(h.at).toString());
        ev.put(PREFIX + "hypotheses", json(h.hypotheses));
        ev.put(PREFIX + "actionsTaken", json(h.actionsTaken));
        ev.put(PREFIX + "knownDependencies", json(h.knownDependencies));
        ev.put(PREFIX + "nextSteps", json(h.nextSteps));
        return ev;
    }

    private static String json(List<String> items) {
        try {
            return JSON.writeValueAsString(items == null ? List.of() : items);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // a list of strings always writes
        }
    }
}

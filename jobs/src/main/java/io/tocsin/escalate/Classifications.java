package io.tocsin.escalate;

import static io.tocsin.escalate.EscalationEvents.byPerson;
import static io.tocsin.escalate.EscalationEvents.reject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.avro.Command;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.avro.IncidentStatus;
import io.tocsin.evidence.EvidenceKeys;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What kind of incident it was: its disposition (from a RESOLVE or a CLASSIFY), impact class and
 * tags (from a CLASSIFY). The incident keeps the latest of each; every RESOLVED and CLASSIFIED
 * event carries the disposition known then ({@link EvidenceKeys#DISPOSITION}), and a CLASSIFIED the
 * whole classification, so the last of those events is the incident's classification. A reopen
 * clears the disposition (the incident was not what it was said to be), not the impact or tags.
 *
 * <p>A CLASSIFY is accepted on an open or a resolved incident, for as long as the stage keeps its
 * state ({@code stateTtl} after its last input): an incident that resolved by itself gets its
 * disposition afterwards, and a wrong one is corrected the same way. A merged incident is refused:
 * the surviving incident is the one to classify.
 */
final class Classifications implements Serializable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Classifications() {}

    /** Takes a RESOLVE's disposition (if any) and adds the incident's to the RESOLVED evidence. */
    static void onResolve(EscalationState st, Command c, Map<String, String> evidence) {
        if (c.getDisposition() != null) {
            st.disposition = c.getDisposition();
        }
        withDisposition(st, evidence);
    }

    /** Puts the incident's disposition, when known, into {@code evidence}. */
    static void withDisposition(EscalationState st, Map<String, String> evidence) {
        if (st.disposition != null) {
            evidence.put(EvidenceKeys.DISPOSITION, st.disposition);
        }
    }

    /** Applies a CLASSIFY (its fields are checked by the decoder): a CLASSIFIED event. */
    static void classify(EscalationState st, Command c, long t, List<IncidentEvent> out) {
        if (st.status() == IncidentStatus.MERGED) {
            reject(st, c, t, "the incident is merged; classify the incident it merged into", out);
            return;
        }
        if (c.getDisposition() != null) {
            st.disposition = c.getDisposition();
        }
        if (c.getImpact() != null) {
            st.impact = c.getImpact();
        }
        if (c.getTags() != null) {
            st.tags = new ArrayList<>(new TreeSet<>(c.getTags()));
        }
        Map<String, String> ev = new TreeMap<>();
        ev.put("commandId", c.getCommandId());
        ev.put("role", c.getRole());
        withDisposition(st, ev);
        if (st.impact != null) {
            ev.put(EvidenceKeys.IMPACT, st.impact);
        }
        if (!st.tags.isEmpty()) {
            ev.put(EvidenceKeys.TAGS, json(st.tags));
        }
        out.add(byPerson(st, IncidentEventType.CLASSIFIED, c, t).setEvidence(ev).build());
    }

    private static String json(List<String> items) {
        try {
            return JSON.writeValueAsString(items);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // a list of strings always writes
        }
    }
}

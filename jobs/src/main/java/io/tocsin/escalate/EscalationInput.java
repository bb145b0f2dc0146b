package io.tocsin.escalate;

import io.tocsin.avro.Command;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import java.util.Comparator;

/**
 * One input of the escalate stage, keyed by incident id: a correlator event, a command or a CEP
 * signal (exactly one is set); the changes stage's CHANGE_SUSPECTED carriers come as events. The
 * three streams are unioned into this type so that one keyed operator sees them in a single
 * event-time order.
 */
public class EscalationInput {

    public IncidentEvent event;
    public Command command;
    public EscalationSignal signal;

    public EscalationInput() {}

    public static EscalationInput of(IncidentEvent e) {
        EscalationInput in = new EscalationInput();
        in.event = e;
        return in;
    }

    public static EscalationInput of(Command c) {
        EscalationInput in = new EscalationInput();
        in.command = c;
        return in;
    }

    public static EscalationInput of(EscalationSignal s) {
        EscalationInput in = new EscalationInput();
        in.signal = s;
        return in;
    }

    public String incidentId() {
        return event != null
                ? event.getIncidentId()
                : command != null ? command.getIncidentId() : signal.incidentId;
    }

    /** A CHANGE_SUSPECTED carrier from the changes stage (not a correlator fact). */
    public boolean isChangeSuspects() {
        return event != null && event.getType() == IncidentEventType.CHANGE_SUSPECTED;
    }

    public long time() {
        return event != null
                ? event.getEventTime().toEpochMilli()
                : command != null ? command.getIssuedAt().toEpochMilli() : signal.eventTime;
    }

    /**
     * Total order of inputs with the same timestamp: the correlator's facts first (by seq), then
     * commands (by id), then signals, then the changes stage's suspects (by content); so output
     * never depends on arrival order.
     */
    public static final Comparator<EscalationInput> TIE_BREAK = new TieBreak();

    private static final class TieBreak
            implements Comparator<EscalationInput>, java.io.Serializable {
        @Override
        public int compare(EscalationInput a, EscalationInput b) {
            int k = Integer.compare(a.kind(), b.kind());
            return k != 0 ? k : a.tieKey().compareTo(b.tieKey());
        }
    }

    private int kind() {
        if (isChangeSuspects()) {
            return 3;
        }
        return event != null ? 0 : command != null ? 1 : 2;
    }

    private String tieKey() {
        if (isChangeSuspects()) {
            return new java.util.TreeMap<>(event.getEvidence()).toString();
        }
        if (event != null) {
            return String.format("%020d", event.getSeq());
        }
        if (command != null) {
            return command.getCommandId() + "/" + command.getActor();
        }
        return signal.trigger
                + "/"
                + signal.severity
                + "/"
                + signal.escalate
                + "/"
                + signal.evidence;
    }

    @Override
    public String toString() {
        return event != null
                ? "event " + event
                : command != null ? "command " + command : "signal " + signal;
    }
}

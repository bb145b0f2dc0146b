package io.tocsin.escalate;

import io.tocsin.avro.DeadLetter;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.time.EventTimeOrderedFunction;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The escalate stage as a Flink operator: keyed by incident id, inputs in event-time order, one
 * {@link EscalationState} per incident, and one event-time timer at the incident's next due time
 * (tier timeout, SLA warning or breach, approval expiry, state expiry). Timers run on event time,
 * so a backtest fires them at the same instants the live job does; live, the sources' clock-aware
 * watermarks keep event time moving when nothing arrives. Commands that cannot reach an incident go
 * to {@link #REJECTED_COMMANDS} as dead letters.
 */
public final class EscalationFunction
        extends EventTimeOrderedFunction<String, EscalationInput, IncidentEvent> {

    public static final OutputTag<DeadLetter> REJECTED_COMMANDS =
            new OutputTag<>("rejected-commands") {};

    private final Escalator escalator;

    private transient ValueState<EscalationState> state;
    private transient ValueState<Long> armed;
    private transient Counter escalations;
    private transient Counter rejected;

    public EscalationFunction(Escalator escalator) {
        super(TypeInformation.of(EscalationInput.class), EscalationInput.TIE_BREAK);
        this.escalator = escalator;
    }

    @Override
    public void open(OpenContext ctx) throws Exception {
        super.open(ctx);
        state =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "escalation", TypeInformation.of(EscalationState.class)));
        armed = getRuntimeContext().getState(new ValueStateDescriptor<>("armed", Long.class));
        escalations = getRuntimeContext().getMetricGroup().counter("tocsin_escalations");
        rejected = getRuntimeContext().getMetricGroup().counter("tocsin_commands_rejected");
    }

    @Override
    protected void processInOrder(
            EscalationInput in,
            long t,
            TimerService timers,
            String key,
            Collector<IncidentEvent> out)
            throws Exception {
        EscalationState st = state.value();
        List<IncidentEvent> events = new ArrayList<>();
        if (in.event != null) {
            st = escalator.onEvent(st, in.event, t, events);
        } else if (in.command != null) {
            String refused = escalator.onCommand(st, in.command, t, events);
            if (refused != null) {
                rejected.inc();
                sideOutput(REJECTED_COMMANDS, deadLetter(in, refused, t));
            }
        } else {
            escalator.onSignal(st, in.signal, t, events);
        }
        emit(events, out);
        if (st != null) {
            state.update(st);
            arm(st, timers);
        }
    }

    @Override
    protected void onEventTime(
            long time, TimerService timers, String key, Collector<IncidentEvent> out)
            throws Exception {
        EscalationState st = state.value();
        Long due = armed.value();
        if (st == null || due == null || due > time) {
            return; // a buffer timer, or one superseded by a later arm
        }
        List<IncidentEvent> events = new ArrayList<>();
        boolean keep = escalator.onTime(st, time, events);
        emit(events, out);
        if (keep) {
            state.update(st);
            armed.clear();
            arm(st, timers);
        } else {
            state.clear();
            armed.clear();
        }
    }

    private void emit(List<IncidentEvent> events, Collector<IncidentEvent> out) {
        for (IncidentEvent e : events) {
            if (e.getType() == io.tocsin.avro.IncidentEventType.ESCALATED) {
                escalations.inc();
            }
            out.collect(e);
        }
    }

    /** Keeps exactly one timer armed at the next due time (timers are never deleted). */
    private void arm(EscalationState st, TimerService timers) throws Exception {
        long due = escalator.nextDue(st);
        Long current = armed.value();
        if (current != null && current == due) {
            return;
        }
        armed.update(due);
        timers.registerEventTimeTimer(due);
    }

    private static DeadLetter deadLetter(EscalationInput in, String why, long t) {
        return DeadLetter.newBuilder()
                .setOriginal(
                        ByteBuffer.wrap(in.command.toString().getBytes(StandardCharsets.UTF_8)))
                .setTopic("commands")
                .setStage("escalate")
                .setReasonCode("UNKNOWN_INCIDENT")
                .setError(why)
                .setReceivedAt(Instant.ofEpochMilli(t))
                .build();
    }
}

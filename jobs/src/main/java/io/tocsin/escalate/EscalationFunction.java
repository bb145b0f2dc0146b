package io.tocsin.escalate;

import io.tocsin.avro.DeadLetter;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.config.Catalog;
import io.tocsin.config.EscalationPolicy;
import io.tocsin.config.MaintenanceWindow;
import io.tocsin.config.Topology;
import io.tocsin.control.CatalogVersion;
import io.tocsin.control.ControlUpdate;
import io.tocsin.control.EscalationPolicyVersion;
import io.tocsin.metrics.LabelledCounters;
import io.tocsin.metrics.MetricNames;
import io.tocsin.time.EventTimeBuffer;
import io.tocsin.time.VersionsInForce;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The escalate stage as a Flink operator: keyed by incident id, inputs in event-time order (ties
 * broken on content, so the output never depends on arrival order), one {@link EscalationState} per
 * incident and one event-time timer at its next due time (tier timeout, SLA warning or breach,
 * approval expiry, the paged rotation's next handover, state expiry). Timers run on event time, so
 * a backtest fires them at the instants the live job would; live, the sources' clock-aware
 * watermarks keep event time moving when nothing arrives.
 *
 * <p>The escalation policy can change at run time: a control message {@code {"op": "escalation",
 * "at": ..., "escalation": {...}}} (the policy file's section as JSON) is in force from its event
 * time {@code at}; versions are broadcast state, so every incident switches at the same instant.
 * Commands that cannot reach an incident go to {@link #REJECTED_COMMANDS} as dead letters.
 */
public final class EscalationFunction
        extends KeyedBroadcastProcessFunction<
                String, EscalationInput, ControlUpdate, IncidentEvent> {

    public static final OutputTag<DeadLetter> REJECTED_COMMANDS =
            new OutputTag<>("rejected-commands") {};

    /** Escalation policy versions from the control topic, by the event time they start. */
    public static final MapStateDescriptor<Long, String> POLICIES =
            new MapStateDescriptor<>("escalation-policy-versions", Types.LONG, Types.STRING);

    /** Service catalog versions from the control topic, by the event time they start. */
    public static final MapStateDescriptor<Long, String> CATALOGS =
            new MapStateDescriptor<>("service-catalog-versions", Types.LONG, Types.STRING);

    private final EscalationPolicy initialPolicy;
    private final Catalog initialCatalog;
    private final List<MaintenanceWindow> windows;
    private final Topology topology;
    private final String domainLabel;

    private transient VersionsInForce<EscalationPolicy> policyVersions;
    private transient VersionsInForce<Catalog> catalogVersions;

    /** One escalator per policy and catalog in force (few: one per control change). */
    private transient Map<EscalationPolicy, Map<Catalog, Escalator>> escalators;

    private transient EventTimeBuffer<EscalationInput> buffer;
    private transient ValueState<EscalationState> state;
    private transient ValueState<Long> armed;
    private transient Counter escalations;
    private transient LabelledCounters escalationsByTrigger;
    private transient Histogram latency;
    private transient Counter rejected;
    private transient Counter late;

    public EscalationFunction(
            EscalationPolicy policy,
            List<MaintenanceWindow> windows,
            Topology topology,
            String domainLabel) {
        this(policy, windows, topology, Catalog.empty(), domainLabel);
    }

    public EscalationFunction(
            EscalationPolicy policy,
            List<MaintenanceWindow> windows,
            Topology topology,
            Catalog catalog,
            String domainLabel) {
        this.initialCatalog = catalog;
        this.initialPolicy = policy;
        this.windows = List.copyOf(windows);
        this.topology = topology;
        this.domainLabel = domainLabel;
    }

    @Override
    public void open(OpenContext ctx) {
        policyVersions = new VersionsInForce<>(initialPolicy, EscalationPolicyVersion::policyOf);
        catalogVersions = new VersionsInForce<>(initialCatalog, CatalogVersion::catalogOf);
        escalators = new IdentityHashMap<>();
        buffer =
                new EventTimeBuffer<>(
                        getRuntimeContext(),
                        TypeInformation.of(EscalationInput.class),
                        EscalationInput.TIE_BREAK);
        state =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "escalation", TypeInformation.of(EscalationState.class)));
        armed = getRuntimeContext().getState(new ValueStateDescriptor<>("armed", Types.LONG));
        escalations = getRuntimeContext().getMetricGroup().counter(MetricNames.ESCALATIONS);
        escalationsByTrigger =
                new LabelledCounters(
                        getRuntimeContext().getMetricGroup(),
                        MetricNames.TRIGGER,
                        MetricNames.ESCALATIONS);
        latency =
                getRuntimeContext()
                        .getMetricGroup()
                        .histogram(
                                MetricNames.END_TO_END_LATENCY,
                                new DescriptiveStatisticsHistogram(1024));
        rejected = getRuntimeContext().getMetricGroup().counter(MetricNames.COMMANDS_REJECTED);
        late = getRuntimeContext().getMetricGroup().counter(MetricNames.LATE_RECORDS);
    }

    @Override
    public void processElement(
            EscalationInput in, ReadOnlyContext ctx, Collector<IncidentEvent> out)
            throws Exception {
        if (!buffer.add(in, ctx.timestamp(), ctx.timerService())) {
            late.inc();
            // A late change's suspects carry the time they were found, not the change's time.
            long t = ctx.timestamp() == null || in.isChangeSuspects() ? in.time() : ctx.timestamp();
            Escalator e = escalatorAt(ctx, t);
            handle(in, t, e, ctx.timerService(), out, d -> ctx.output(REJECTED_COMMANDS, d));
        }
    }

    @Override
    public void onTimer(long t, OnTimerContext ctx, Collector<IncidentEvent> out) throws Exception {
        Escalator e = escalatorAt(ctx, t);
        for (EscalationInput in : buffer.drain(t)) {
            handle(in, t, e, ctx.timerService(), out, d -> ctx.output(REJECTED_COMMANDS, d));
        }
        EscalationState st = state.value();
        Long due = armed.value();
        if (st == null || due == null || due > t) {
            return; // a buffer timer, or one superseded by a later arm
        }
        List<IncidentEvent> events = new ArrayList<>();
        boolean keep = e.onTime(st, t, events);
        emit(events, out);
        armed.clear();
        if (keep) {
            state.update(st);
            arm(st, e, ctx.timerService());
        } else {
            state.clear();
        }
    }

    @Override
    public void processBroadcastElement(ControlUpdate u, Context ctx, Collector<IncidentEvent> out)
            throws Exception {
        if (u instanceof EscalationPolicyVersion v) {
            ctx.getBroadcastState(POLICIES).put(v.at(), v.json());
        } else if (u instanceof CatalogVersion v) {
            ctx.getBroadcastState(CATALOGS).put(v.at(), v.json());
        }
    }

    private void handle(
            EscalationInput in,
            long t,
            Escalator escalator,
            TimerService timers,
            Collector<IncidentEvent> out,
            java.util.function.Consumer<DeadLetter> dead)
            throws Exception {
        EscalationState st = state.value();
        List<IncidentEvent> events = new ArrayList<>();
        if (in.isChangeSuspects()) {
            escalator.onSuspects(st, in.event, t, events);
        } else if (in.event != null) {
            st = escalator.onEvent(st, in.event, t, events);
        } else if (in.command != null) {
            String refused = escalator.onCommand(st, in.command, t, events);
            if (refused != null) {
                rejected.inc();
                dead.accept(deadLetter(in, refused, t));
            }
        } else {
            escalator.onSignal(st, in.signal, t, events);
        }
        emit(events, out);
        if (st != null) {
            state.update(st);
            arm(st, escalator, timers);
        }
    }

    private Escalator escalatorAt(ReadOnlyContext ctx, long t) throws Exception {
        EscalationPolicy p =
                policyVersions.at(ctx.getBroadcastState(POLICIES).immutableEntries(), t);
        Catalog c = catalogVersions.at(ctx.getBroadcastState(CATALOGS).immutableEntries(), t);
        return escalators
                .computeIfAbsent(p, k -> new IdentityHashMap<>())
                .computeIfAbsent(c, k -> new Escalator(p, windows, topology, k, domainLabel));
    }

    private void emit(List<IncidentEvent> events, Collector<IncidentEvent> out) {
        for (IncidentEvent e : events) {
            if (e.getType() == IncidentEventType.ESCALATED) {
                escalations.inc();
                escalationsByTrigger.inc(MetricNames.triggerOf(e.getActor()));
            }
            if (e.getEventTime() != null) {
                latency.update(System.currentTimeMillis() - e.getEventTime().toEpochMilli());
            }
            out.collect(e);
        }
    }

    /** Keeps exactly one timer armed at the next due time (timers are never deleted). */
    private void arm(EscalationState st, Escalator escalator, TimerService timers)
            throws Exception {
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

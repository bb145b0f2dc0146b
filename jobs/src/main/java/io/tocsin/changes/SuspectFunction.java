package io.tocsin.changes;

import io.tocsin.avro.Change;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.config.ChangesPolicy;
import io.tocsin.config.Topology;
import io.tocsin.control.TopologyVersion;
import io.tocsin.metrics.MetricNames;
import io.tocsin.time.EventTimeBuffer;
import io.tocsin.time.VersionsInForce;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The changes stage as a Flink operator: the correlator's events keyed by incident id, the recent
 * changes (and topology versions) broadcast. Incident events are buffered until the watermark
 * passes them and handled in event-time order (ties by seq); the watermark is the minimum of both
 * inputs, so by then every change dated at or before the event has arrived, unless it is late. Only
 * changes dated at or before the incident's first alert can be suspects, so which later changes a
 * subtask happens to have already received never matters: the ranking is the same at any
 * parallelism. A change that arrives late (dated at or behind the watermark) re-ranks every open
 * incident of the subtask at once: a deploy reported after the incident opened still becomes its
 * suspect.
 *
 * <p>Out come CHANGE_SUSPECTED carrier events (seq 0) whenever an incident's ranking differs from
 * the one it last announced; the escalate stage gives them their place in the incident's sequence.
 *
 * <p>State: per incident {@link IncidentSuspects} (under 1 KB), dropped keepFor after its last
 * event; the recent changes are broadcast state, at most maxChanges (about 400 bytes each: 4 MB at
 * the default 10,000), those older than keepFor behind the watermark dropped.
 */
public final class SuspectFunction
        extends KeyedBroadcastProcessFunction<String, IncidentEvent, ChangeFeed, IncidentEvent> {

    /** Recent changes by change id. */
    public static final MapStateDescriptor<String, Change> CHANGES =
            new MapStateDescriptor<>(
                    "recent-changes", Types.STRING, TypeInformation.of(Change.class));

    /** Topology versions from the control topic, by the event time they start. */
    public static final MapStateDescriptor<Long, String> TOPOLOGIES =
            new MapStateDescriptor<>("change-topology-versions", Types.LONG, Types.STRING);

    static final ValueStateDescriptor<IncidentSuspects> STATE =
            new ValueStateDescriptor<>(
                    "incident-suspects", TypeInformation.of(IncidentSuspects.class));

    /** The actor of CHANGE_SUSPECTED events. */
    public static final String ACTOR = "policy:change-suspects";

    private final ChangesPolicy policy;
    private final Topology topology;

    private transient SuspectRanker ranker;
    private transient VersionsInForce<Topology> topologies;
    private transient EventTimeBuffer<IncidentEvent> buffer;
    private transient ValueState<IncidentSuspects> state;
    private transient Counter late;

    public SuspectFunction(ChangesPolicy policy, Topology topology) {
        this.policy = policy;
        this.topology = topology;
    }

    @Override
    public void open(OpenContext ctx) {
        ranker = new SuspectRanker(policy);
        topologies = new VersionsInForce<>(topology, TopologyVersion::topologyOf);
        buffer =
                new EventTimeBuffer<>(
                        getRuntimeContext(), TypeInformation.of(IncidentEvent.class), new BySeq());
        state = getRuntimeContext().getState(STATE);
        late = getRuntimeContext().getMetricGroup().counter(MetricNames.LATE_RECORDS);
    }

    @Override
    public void processElement(IncidentEvent e, ReadOnlyContext ctx, Collector<IncidentEvent> out)
            throws Exception {
        if (!buffer.add(e, ctx.timestamp(), ctx.timerService())) {
            late.inc();
            long t = ctx.timestamp() == null ? e.getEventTime().toEpochMilli() : ctx.timestamp();
            handle(e, t, ctx, out);
        }
    }

    @Override
    public void onTimer(long t, OnTimerContext ctx, Collector<IncidentEvent> out) throws Exception {
        for (IncidentEvent e : buffer.drain(t)) {
            handle(e, t, ctx, out);
        }
        IncidentSuspects st = state.value();
        if (st != null && st.expiresAt <= t) {
            state.clear();
        }
    }

    private void handle(IncidentEvent e, long t, ReadOnlyContext ctx, Collector<IncidentEvent> out)
            throws Exception {
        IncidentSuspects st = state.value();
        if (st == null) {
            st = new IncidentSuspects();
        }
        st.services = new ArrayList<>(e.getServices());
        st.firstAlertAt = firstAlert(e, t);
        st.lastEventAt = t;
        IncidentEventType type = e.getType();
        if (type == IncidentEventType.RESOLVED || type == IncidentEventType.MERGED) {
            st.open = false;
        } else if (type == IncidentEventType.REOPENED || type == IncidentEventType.OPENED) {
            st.open = true;
        }
        if (st.open) {
            List<Suspect> ranking =
                    ranker.rank(
                            st.services,
                            st.firstAlertAt,
                            t,
                            changes(ctx.getBroadcastState(CHANGES).immutableEntries()),
                            topologies.at(ctx.getBroadcastState(TOPOLOGIES).immutableEntries(), t));
            announce(e.getIncidentId(), st, ranking, t, out);
        }
        long expires = t + policy.keepFor().toMillis();
        if (expires != st.expiresAt) {
            st.expiresAt = expires;
            ctx.timerService().registerEventTimeTimer(expires);
        }
        state.update(st);
    }

    @Override
    public void processBroadcastElement(ChangeFeed f, Context ctx, Collector<IncidentEvent> out)
            throws Exception {
        if (f.topology != null) {
            ctx.getBroadcastState(TOPOLOGIES).put(f.topology.at(), f.topology.json());
            return;
        }
        Change c = f.change;
        BroadcastState<String, Change> changes = ctx.getBroadcastState(CHANGES);
        Change before = changes.get(c.getChangeId());
        if (before == null || later(c, before)) {
            changes.put(c.getChangeId(), c);
        }
        long watermark = ctx.currentWatermark();
        evict(changes, watermark);
        if (c.getTime().toEpochMilli() > watermark) {
            return; // no incident handled so far can have it as a suspect
        }
        late.inc();
        List<Change> all = changes(changes.immutableEntries());
        ctx.applyToKeyedState(
                STATE,
                (incidentId, s) -> {
                    IncidentSuspects st = s.value();
                    if (st == null || !st.open) {
                        return;
                    }
                    long t = Math.max(st.lastEventAt, watermark);
                    Topology in = topologies.at(ctx.getBroadcastState(TOPOLOGIES).entries(), t);
                    List<Suspect> ranking = ranker.rank(st.services, st.firstAlertAt, t, all, in);
                    if (announce(incidentId, st, ranking, t, out)) {
                        s.update(st);
                    }
                });
    }

    /** Emits the ranking if it differs from the one last announced; true if it did. */
    private static boolean announce(
            String incidentId,
            IncidentSuspects st,
            List<Suspect> ranking,
            long t,
            Collector<IncidentEvent> out) {
        String signature = SuspectEvidence.signature(ranking);
        if (signature.equals(st.signature)) {
            return false;
        }
        st.signature = signature;
        out.collect(
                IncidentEvent.newBuilder()
                        .setEventId(incidentId + "/changes")
                        .setIncidentId(incidentId)
                        .setSeq(0)
                        .setType(IncidentEventType.CHANGE_SUSPECTED)
                        .setEventTime(Instant.ofEpochMilli(t))
                        .setServices(List.copyOf(st.services))
                        .setEvidence(SuspectEvidence.of(ranking))
                        .setActor(ACTOR)
                        .setReason(SuspectEvidence.reason(ranking))
                        .build());
        return true;
    }

    /** The incident's first alert: its firstAlertAt, else when it opened, else now. */
    private static long firstAlert(IncidentEvent e, long t) {
        if (e.getFirstAlertAt() != null) {
            return e.getFirstAlertAt().toEpochMilli();
        }
        return e.getOpenedAt() != null ? e.getOpenedAt().toEpochMilli() : t;
    }

    /** Of two records of one change id, the one kept: the later, then the larger (any order). */
    private static boolean later(Change a, Change b) {
        int byTime = a.getTime().compareTo(b.getTime());
        return byTime != 0 ? byTime > 0 : a.toString().compareTo(b.toString()) > 0;
    }

    private void evict(BroadcastState<String, Change> changes, long watermark) throws Exception {
        long horizon =
                watermark == Long.MIN_VALUE
                        ? Long.MIN_VALUE
                        : watermark - policy.keepFor().toMillis();
        List<Change> kept = new ArrayList<>();
        List<String> drop = new ArrayList<>();
        for (Map.Entry<String, Change> e : changes.entries()) {
            if (e.getValue().getTime().toEpochMilli() < horizon) {
                drop.add(e.getKey());
            } else {
                kept.add(e.getValue());
            }
        }
        if (kept.size() > policy.maxChanges()) {
            kept.sort(Comparator.comparing(Change::getTime).thenComparing(Change::getChangeId));
            for (int i = 0; i < kept.size() - policy.maxChanges(); i++) {
                drop.add(kept.get(i).getChangeId());
            }
        }
        for (String id : drop) {
            changes.remove(id);
        }
    }

    private static List<Change> changes(Iterable<Map.Entry<String, Change>> entries) {
        List<Change> out = new ArrayList<>();
        for (Map.Entry<String, Change> e : entries) {
            out.add(e.getValue());
        }
        return out;
    }

    /** The correlator's order of one incident's events at the same time. */
    private static final class BySeq implements Comparator<IncidentEvent>, java.io.Serializable {
        @Override
        public int compare(IncidentEvent a, IncidentEvent b) {
            return Long.compare(a.getSeq(), b.getSeq());
        }
    }
}

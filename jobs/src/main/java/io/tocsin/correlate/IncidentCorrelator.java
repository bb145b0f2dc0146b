package io.tocsin.correlate;

import io.tocsin.avro.Alert;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.config.CorrelationPolicy;
import io.tocsin.config.Topology;
import io.tocsin.control.TopologyVersion;
import io.tocsin.metrics.MetricNames;
import io.tocsin.time.AlertOrder;
import io.tocsin.time.EventTimeBuffer;
import io.tocsin.time.VersionsInForce;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by partition ({@link CorrelationKey}): turns alert transitions into incident lifecycle
 * events with the {@link Correlator}, in event-time order. The calls it follows come from the
 * topology file at start and {@code topology} control messages (each version in force from its
 * event time), from service-mesh calls seen in telemetry ({@link MeshCalls}, broadcast, each in
 * force from the event time it was first seen) and from what the partition learned from its own
 * alerts ({@link LinkMemory}).
 *
 * <p>State per partition: the open incidents, and resolved ones for {@code max(reopenWindow,
 * recurrenceRetention)} after they resolved (then evicted), with an index from member fingerprint
 * to the latest resolved incident (an incident open longer than {@code maxIncidentAge} is closed,
 * so this is bounded by the incidents of the retention period); and the learned links, bounded as
 * {@link LinkMemory} says (about 1.2 MB at the default 10,000 pairs, plus about 100 bytes per
 * service and domain). Broadcast: at most {@link #MAX_MESH_CALLS} mesh calls (about 100 bytes each,
 * 5 MB per parallel instance at most; later calls are ignored and counted).
 */
public class IncidentCorrelator
        extends KeyedBroadcastProcessFunction<String, Alert, TopologyInput, IncidentEvent>
        implements CheckpointedFunction {

    /** Topology versions by the event time they take effect (epoch millis), as JSON. */
    public static final MapStateDescriptor<Long, String> TOPOLOGY =
            new MapStateDescriptor<>("topology-versions", Types.LONG, Types.STRING);

    /** Mesh calls ("caller SEP callee") by the event time they were first seen (epoch millis). */
    public static final MapStateDescriptor<String, Long> MESH_CALLS =
            new MapStateDescriptor<>("mesh-calls", Types.STRING, Types.LONG);

    /** Bound on the mesh calls kept. */
    public static final int MAX_MESH_CALLS = 50_000;

    private final CorrelationPolicy policy;
    private final Topology initialTopology;

    private transient Correlator correlator;
    private transient EventTimeBuffer<Alert> buffer;
    private transient MapState<String, IncidentState> open;
    private transient MapState<String, IncidentState> resolved;
    private transient MapState<String, String> resolvedByFingerprint;
    private transient LearnedLinksStore memory;
    private transient MeshView meshView;
    private transient Counter meshCallsDropped;
    private transient VersionsInForce<TopologyIndex> topologies;
    private transient Counter opened;
    private transient OpenIncidentCache cache;
    private transient TypeSerializer<IncidentState> incidents;

    /**
     * Open incidents held by this subtask, for the {@link MetricNames#INCIDENTS_OPEN} gauge. Kept
     * in operator state so it survives restarts; on rescaling the stored counts are redistributed
     * whole, so the sum over subtasks stays exact (the per-subtask values do not).
     */
    private transient ListState<Long> openCountState;

    private transient AtomicLong openCount;
    private transient Counter late;

    public IncidentCorrelator(CorrelationPolicy policy, Topology topology) {
        this.policy = policy;
        this.initialTopology = topology;
    }

    @Override
    public void open(OpenContext ctx) {
        correlator = new Correlator(policy);
        buffer =
                new EventTimeBuffer<>(
                        getRuntimeContext(), TypeInformation.of(Alert.class), AlertOrder.INSTANCE);
        TypeInformation<IncidentState> type = TypeInformation.of(IncidentState.class);
        incidents = getRuntimeContext().createSerializer(type);
        open =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>("open-incidents", Types.STRING, type));
        resolved =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>("resolved-incidents", Types.STRING, type));
        resolvedByFingerprint =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "resolved-by-fingerprint", Types.STRING, Types.STRING));
        memory = new LearnedLinksStore(getRuntimeContext());
        meshView = new MeshView();
        cache = new OpenIncidentCache(correlator::dueAt);
        meshCallsDropped =
                getRuntimeContext().getMetricGroup().counter(MetricNames.MESH_CALLS_DROPPED);
        topologies =
                new VersionsInForce<>(
                        new TopologyIndex(initialTopology),
                        json -> new TopologyIndex(TopologyVersion.topologyOf(json)));
        opened = getRuntimeContext().getMetricGroup().counter(MetricNames.INCIDENTS_OPENED);
        if (openCount == null) {
            openCount = new AtomicLong(); // run without operator state (some test harnesses)
        }
        AtomicLong count = openCount;
        getRuntimeContext()
                .getMetricGroup()
                .gauge(MetricNames.INCIDENTS_OPEN, (Gauge<Long>) count::get);
        late = getRuntimeContext().getMetricGroup().counter(MetricNames.LATE_RECORDS);
    }

    /** The open-incidents gauge's value (for tests). */
    long openIncidents() {
        return openCount.get();
    }

    @Override
    public void initializeState(FunctionInitializationContext ctx) throws Exception {
        openCountState =
                ctx.getOperatorStateStore()
                        .getListState(new ListStateDescriptor<>("open-incident-count", Types.LONG));
        long sum = 0;
        for (Long v : openCountState.get()) {
            sum += v;
        }
        openCount = new AtomicLong(sum);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext ctx) throws Exception {
        openCountState.update(List.of(openCount.get()));
    }

    @Override
    public void processElement(Alert alert, ReadOnlyContext ctx, Collector<IncidentEvent> out)
            throws Exception {
        if (alert.getSuppressed()) {
            return; // muted by policy: counted by analysts, not correlated
        }
        if (!buffer.add(alert, ctx.timestamp(), ctx.timerService())) {
            late.inc();
            long t =
                    ctx.timestamp() == null
                            ? alert.getReceivedAt().toEpochMilli()
                            : ctx.timestamp();
            handle(
                    alert,
                    t,
                    topologyAt(ctx.getBroadcastState(TOPOLOGY), t),
                    meshView.at(ctx.getBroadcastState(MESH_CALLS), t),
                    ctx.getCurrentKey(),
                    ctx.timerService(),
                    out);
        }
    }

    @Override
    public void onTimer(long t, OnTimerContext ctx, Collector<IncidentEvent> out) throws Exception {
        TopologyIndex topology = topologyAt(ctx.getBroadcastState(TOPOLOGY), t);
        Map<String, java.util.TreeSet<String>> mesh =
                meshView.at(ctx.getBroadcastState(MESH_CALLS), t);
        String key = ctx.getCurrentKey();
        for (Alert a : buffer.drain(t)) {
            handle(a, t, topology, mesh, key, ctx.timerService(), out);
        }
        List<IncidentEvent> events = new ArrayList<>();
        TimerService timers = ctx.timerService();
        correlator.onTime(store(key), t, timers::registerEventTimeTimer, events);
        events.forEach(out::collect);
    }

    @Override
    public void processBroadcastElement(TopologyInput in, Context ctx, Collector<IncidentEvent> out)
            throws Exception {
        MeshCalls.Call call = in.call;
        if (call != null) {
            BroadcastState<String, Long> calls = ctx.getBroadcastState(MESH_CALLS);
            String key = call.caller() + LinkMemory.SEP + call.callee();
            Long seen = calls.get(key);
            if (seen == null && meshView.size >= MAX_MESH_CALLS) {
                meshCallsDropped.inc();
            } else if (seen == null || call.at() < seen) {
                meshView.size += seen == null ? 1 : 0;
                calls.put(key, call.at());
                meshView.invalidate();
            }
            return;
        }
        TopologyVersion v = in.version;
        if (v != null) {
            ctx.getBroadcastState(TOPOLOGY).put(v.at(), v.json());
        }
    }

    private void handle(
            Alert a,
            long t,
            TopologyIndex topology,
            Map<String, java.util.TreeSet<String>> mesh,
            String key,
            TimerService timers,
            Collector<IncidentEvent> out)
            throws Exception {
        List<IncidentEvent> events = new ArrayList<>(3);
        LinkMemory learned = memory.get(key);
        correlator.onAlert(
                store(key),
                new DependencyLinks(topology, mesh, learned),
                a,
                t,
                timers::registerEventTimeTimer,
                events);
        memory.written(key, learned);
        for (IncidentEvent e : events) {
            if (e.getType() == io.tocsin.avro.IncidentEventType.OPENED) {
                opened.inc();
            }
            out.collect(e);
        }
    }

    /** The topology version in force at {@code t}. */
    private TopologyIndex topologyAt(ReadOnlyBroadcastState<Long, String> versions, long t)
            throws Exception {
        return topologies.at(versions.immutableEntries(), t);
    }

    /**
     * The mesh calls in force at an event time, rebuilt only when the broadcast state changed or
     * more of its calls are in force (time only moves forward per instance, bar late records).
     */
    private static final class MeshView {
        private long[] firstSeen = new long[0];
        private String[] keys = new String[0];
        private boolean stale = true;
        private int inForce = -1;
        private Map<String, java.util.TreeSet<String>> view = Map.of();
        int size;

        void invalidate() {
            stale = true;
        }

        Map<String, java.util.TreeSet<String>> at(
                ReadOnlyBroadcastState<String, Long> calls, long t) throws Exception {
            if (stale) {
                List<Map.Entry<String, Long>> all = new ArrayList<>();
                for (Map.Entry<String, Long> e : calls.immutableEntries()) {
                    all.add(Map.entry(e.getKey(), e.getValue()));
                }
                all.sort(
                        Map.Entry.<String, Long>comparingByValue()
                                .thenComparing(Map.Entry.comparingByKey()));
                firstSeen = new long[all.size()];
                keys = new String[all.size()];
                for (int i = 0; i < all.size(); i++) {
                    firstSeen[i] = all.get(i).getValue();
                    keys[i] = all.get(i).getKey();
                }
                size = all.size();
                stale = false;
                inForce = -1;
            }
            int n = 0;
            while (n < firstSeen.length && firstSeen[n] <= t) {
                n++;
            }
            if (n != inForce) {
                Map<String, java.util.TreeSet<String>> m = new HashMap<>();
                for (int i = 0; i < n; i++) {
                    String[] cc = keys[i].split(LinkMemory.SEP, 2);
                    m.computeIfAbsent(cc[0], k -> new java.util.TreeSet<>()).add(cc[1]);
                }
                view = m;
                inForce = n;
            }
            return view;
        }
    }

    /**
     * The store of partition {@code key}: open incidents from the heap cache (loaded from state on
     * a miss), every change written through to state. State and cache never share an object: the
     * cache's are mutated in place, and the heap state backend's asynchronous snapshot may be
     * serializing the state's at that moment (it protects only objects read back through state).
     */
    private IncidentStore store(String key) throws Exception {
        OpenIncidentCache.Partition cached =
                cache.partition(
                        key,
                        () -> {
                            List<IncidentState> all = new ArrayList<>();
                            for (IncidentState s : open.values()) {
                                all.add(incidents.copy(s));
                            }
                            return all;
                        });
        return new IncidentStore() {
            @Override
            public Collection<IncidentState> open() {
                return new ArrayList<>(cached.open());
            }

            @Override
            public Collection<IncidentState> openTouching(
                    java.util.function.Predicate<String> keys) {
                return cached.touching(keys);
            }

            @Override
            public Collection<IncidentState> openWithMember(String fingerprint) {
                return cached.withMember(fingerprint);
            }

            @Override
            public Collection<IncidentState> openDueBy(
                    long t, java.util.function.ToLongFunction<IncidentState> due) {
                return cached.dueBy(t); // indexed by the correlator's own due time
            }

            @Override
            public IncidentState resolvedWith(String fingerprint) throws Exception {
                String id = resolvedByFingerprint.get(fingerprint);
                return id == null ? null : resolved.get(id);
            }

            @Override
            public void save(IncidentState s) throws Exception {
                if (s.isOpen()) {
                    if (resolved.contains(s.incidentId)) {
                        resolved.remove(s.incidentId); // reopened
                    }
                    if (!open.contains(s.incidentId)) {
                        openCount.incrementAndGet();
                    }
                    open.put(s.incidentId, incidents.copy(s));
                    cached.put(s);
                } else {
                    if (open.contains(s.incidentId)) {
                        openCount.decrementAndGet();
                    }
                    open.remove(s.incidentId);
                    cached.remove(s.incidentId);
                    resolved.put(s.incidentId, incidents.copy(s));
                    if (cached.earliestResolved != OpenIncidentCache.UNKNOWN) {
                        cached.earliestResolved =
                                Math.min(cached.earliestResolved, s.resolvedAtMillis);
                    }
                    for (MemberAlert m : s.members) {
                        resolvedByFingerprint.put(m.fingerprint, s.incidentId);
                    }
                }
            }

            @Override
            public void delete(IncidentState s) throws Exception {
                if (open.contains(s.incidentId)) {
                    openCount.decrementAndGet();
                }
                open.remove(s.incidentId);
                cached.remove(s.incidentId);
                resolved.remove(s.incidentId);
                for (MemberAlert m : s.members) {
                    if (s.incidentId.equals(resolvedByFingerprint.get(m.fingerprint))) {
                        resolvedByFingerprint.remove(m.fingerprint);
                    }
                }
            }

            @Override
            public void evictResolvedBefore(long before) throws Exception {
                if (cached.earliestResolved != OpenIncidentCache.UNKNOWN
                        && cached.earliestResolved > before) {
                    return; // nothing resolved early enough: no scan
                }
                List<IncidentState> old = new ArrayList<>();
                long earliest = Long.MAX_VALUE;
                for (IncidentState s : resolved.values()) {
                    if (s.resolvedAtMillis <= before) {
                        old.add(s);
                    } else {
                        earliest = Math.min(earliest, s.resolvedAtMillis);
                    }
                }
                for (IncidentState s : old) {
                    delete(s);
                }
                cached.earliestResolved = earliest;
            }
        };
    }
}

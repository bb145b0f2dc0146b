package io.tocsin.correlate;

import io.tocsin.avro.Alert;
import io.tocsin.avro.AlertStatus;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.config.CorrelationPolicy;
import io.tocsin.metrics.MetricNames;
import io.tocsin.time.AlertOrder;
import io.tocsin.time.EventTimeOrderedFunction;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.util.Collector;

/**
 * Keyed by correlation domain: turns alert transitions into incident lifecycle events, in
 * event-time order. Holds the open incidents of its domain by group; an incident leaves state when
 * it resolves, or after {@code maxIncidentAge} at the latest, so state per domain is bounded by the
 * incidents open at once.
 */
public class IncidentCorrelator extends EventTimeOrderedFunction<String, Alert, IncidentEvent> {

    private final CorrelationPolicy policy;

    private transient ServiceGrouping grouping;
    private transient MapState<String, IncidentState> open;
    private transient Counter opened;

    public IncidentCorrelator(CorrelationPolicy policy) {
        super(TypeInformation.of(Alert.class), AlertOrder.INSTANCE);
        this.policy = policy;
    }

    @Override
    public void open(OpenContext ctx) throws Exception {
        super.open(ctx);
        grouping = new ServiceGrouping(policy);
        open =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "open-incidents",
                                        Types.STRING,
                                        TypeInformation.of(IncidentState.class)));
        opened = getRuntimeContext().getMetricGroup().counter(MetricNames.INCIDENTS_OPENED);
    }

    @Override
    protected void processInOrder(
            Alert alert, long t, TimerService timers, String domain, Collector<IncidentEvent> out)
            throws Exception {
        if (alert.getSuppressed()) {
            return; // muted by policy: counted by analysts, not correlated
        }
        String group = ServiceGrouping.groupOf(alert);
        IncidentState s = open.get(group);
        List<IncidentEvent> events = new ArrayList<>(2);
        if (alert.getStatus() == AlertStatus.FIRING) {
            if (s != null && !grouping.accepts(s, t)) {
                // The previous incident of this group went quiet: it resolves first.
                grouping.resolveAt(
                        s,
                        Math.min(t, Math.max(grouping.resolveDue(s), s.lastActivityMillis)),
                        events);
                open.remove(group);
                s = null;
            }
            if (s == null) {
                s = grouping.open(domain, alert, t, events);
                opened.inc();
                timers.registerEventTimeTimer(
                        s.openedAtMillis + policy.maxIncidentAge().toMillis());
            } else {
                grouping.join(s, alert, t, events);
            }
            open.put(group, s);
        } else if (s != null && grouping.resolve(s, alert, t, events)) {
            long due = grouping.resolveDue(s);
            if (due >= 0) {
                timers.registerEventTimeTimer(due);
            }
            open.put(group, s);
        }
        for (IncidentEvent e : events) {
            out.collect(e);
        }
    }

    @Override
    protected void onEventTime(
            long time, TimerService timers, String domain, Collector<IncidentEvent> out)
            throws Exception {
        List<IncidentEvent> events = new ArrayList<>();
        Iterator<Map.Entry<String, IncidentState>> it = open.iterator();
        List<String> closed = new ArrayList<>();
        while (it.hasNext()) {
            Map.Entry<String, IncidentState> e = it.next();
            IncidentState s = e.getValue();
            if (grouping.maybeResolve(s, time, events) || grouping.maybeEvict(s, time, events)) {
                closed.add(e.getKey());
            }
        }
        for (String g : closed) {
            open.remove(g);
        }
        events.sort(
                (a, b) -> {
                    int c = a.getEventTime().compareTo(b.getEventTime());
                    return c != 0 ? c : a.getIncidentId().compareTo(b.getIncidentId());
                });
        for (IncidentEvent e : events) {
            out.collect(e);
        }
    }
}

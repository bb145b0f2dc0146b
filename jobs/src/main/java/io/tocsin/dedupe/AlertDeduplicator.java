package io.tocsin.dedupe;

import io.tocsin.avro.Alert;
import io.tocsin.config.DedupePolicy;
import io.tocsin.metrics.MetricNames;
import io.tocsin.time.AlertOrder;
import io.tocsin.time.EventTimeOrderedFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.util.Collector;

/**
 * Keyed by fingerprint: passes on state transitions only (see {@link TransitionTracker}), in
 * event-time order. One timer per key is kept for whatever falls due first (resolve timeout,
 * flapping release, state expiry) and re-armed lazily, so re-sends every minute do not pile up
 * timers. State is dropped once {@code stateTtl} of event time passes with nothing pending.
 */
public class AlertDeduplicator extends EventTimeOrderedFunction<String, Alert, Alert> {

    private final DedupePolicy policy;

    private transient TransitionTracker tracker;
    private transient ValueState<DedupeEntry> state;
    private transient Counter dropped;
    private transient Counter passed;
    private transient Counter flapping;
    private transient Counter timedOut;

    public AlertDeduplicator(DedupePolicy policy) {
        super(TypeInformation.of(Alert.class), AlertOrder.INSTANCE);
        this.policy = policy;
    }

    @Override
    public void open(OpenContext ctx) throws Exception {
        super.open(ctx);
        tracker = new TransitionTracker(policy);
        state =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("dedupe", DedupeEntry.class));
        dropped = getRuntimeContext().getMetricGroup().counter(MetricNames.DUPLICATES_DROPPED);
        passed = getRuntimeContext().getMetricGroup().counter(MetricNames.TRANSITIONS);
        flapping = getRuntimeContext().getMetricGroup().counter(MetricNames.FLAPPING_STARTED);
        timedOut = getRuntimeContext().getMetricGroup().counter(MetricNames.RESOLVED_BY_TIMEOUT);
    }

    @Override
    protected void processInOrder(
            Alert alert, long t, TimerService timers, String key, Collector<Alert> out)
            throws Exception {
        DedupeEntry e = state.value();
        if (e == null) {
            e = new DedupeEntry();
        }
        TransitionTracker.Step step = tracker.onNotification(e, alert, t);
        if (step.transition() == null) {
            dropped.inc();
        }
        emit(step, out);
        arm(e, timers);
        state.update(e);
    }

    @Override
    protected void onEventTime(long t, TimerService timers, String key, Collector<Alert> out)
            throws Exception {
        DedupeEntry e = state.value();
        if (e == null) {
            return;
        }
        if (t == e.timerMillis) {
            e.timerMillis = 0;
        }
        for (TransitionTracker.Step step : tracker.onTime(e, t)) {
            emit(step, out);
        }
        if (tracker.expired(e, t)) {
            state.clear(); // a later timer of this key, if any, finds no state and does nothing
            return;
        }
        arm(e, timers);
        state.update(e);
    }

    private void emit(TransitionTracker.Step step, Collector<Alert> out) {
        if (step.flappingStarted()) {
            flapping.inc();
        }
        if (step.resolvedByTimeout()) {
            timedOut.inc();
        }
        if (step.transition() != null) {
            passed.inc();
            out.collect(step.transition());
        }
    }

    /**
     * Keeps a timer at the next due time. Timers are never deleted (the ordered buffer may share a
     * timestamp); a timer that fires early finds nothing due and sets the next one.
     */
    private void arm(DedupeEntry e, TimerService timers) {
        long due = tracker.nextDue(e);
        if (e.timerMillis == 0 || due < e.timerMillis) {
            e.timerMillis = due;
            timers.registerEventTimeTimer(due);
        }
    }
}

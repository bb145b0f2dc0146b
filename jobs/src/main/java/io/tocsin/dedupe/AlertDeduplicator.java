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
 * Keyed by fingerprint: drops re-sends and duplicate deliveries and passes on state transitions
 * only (FIRING to RESOLVED and back), in event-time order. State per fingerprint is evicted once
 * {@code stateTtl} of event time passes with no notification; a single timer per key is kept and
 * re-armed lazily, so re-sends every minute do not pile up timers.
 */
public class AlertDeduplicator extends EventTimeOrderedFunction<String, Alert, Alert> {

    private final long ttlMillis;

    private transient ValueState<DedupeEntry> last;
    private transient Counter dropped;
    private transient Counter passed;

    public AlertDeduplicator(DedupePolicy policy) {
        super(TypeInformation.of(Alert.class), AlertOrder.INSTANCE);
        this.ttlMillis = policy.stateTtl().toMillis();
    }

    @Override
    public void open(OpenContext ctx) throws Exception {
        super.open(ctx);
        last = getRuntimeContext().getState(new ValueStateDescriptor<>("last", DedupeEntry.class));
        dropped = getRuntimeContext().getMetricGroup().counter(MetricNames.DUPLICATES_DROPPED);
        passed = getRuntimeContext().getMetricGroup().counter(MetricNames.TRANSITIONS);
    }

    @Override
    protected void processInOrder(
            Alert alert, long eventTime, TimerService timers, String key, Collector<Alert> out)
            throws Exception {
        DedupeEntry entry = last.value();
        if (TransitionFilter.isTransition(entry, alert)) {
            passed.inc();
            out.collect(alert);
            if (entry == null) {
                entry = new DedupeEntry();
            }
            entry.status = alert.getStatus().name();
            entry.startsAtMillis = alert.getStartsAt().toEpochMilli();
        } else {
            dropped.inc();
        }
        entry.lastSeenMillis = Math.max(entry.lastSeenMillis, eventTime);
        if (entry.expiryTimerMillis == 0) {
            entry.expiryTimerMillis = entry.lastSeenMillis + ttlMillis;
            timers.registerEventTimeTimer(entry.expiryTimerMillis);
        }
        last.update(entry);
    }

    @Override
    protected void onEventTime(long time, TimerService timers, String key, Collector<Alert> out)
            throws Exception {
        DedupeEntry entry = last.value();
        if (entry == null || time != entry.expiryTimerMillis) {
            return;
        }
        long due = entry.lastSeenMillis + ttlMillis;
        if (due <= time) {
            last.clear();
        } else {
            entry.expiryTimerMillis = due;
            timers.registerEventTimeTimer(due);
            last.update(entry);
        }
    }
}

package io.tocsin.time;

import io.tocsin.metrics.MetricNames;
import java.util.Comparator;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Base for keyed stages whose result depends on the order of their input: it buffers each record
 * until the watermark passes its timestamp and then hands records over in event-time order, ties
 * broken by a total order on content. Records from several upstream partitions interleave
 * differently on every run; sorting here is what makes a backtest give the same output whatever the
 * parallelism. The price is latency: up to the watermark's out-of-orderness bound.
 *
 * <p>A record that arrives behind the watermark is handled at once (never dropped) and counted in
 * {@link MetricNames#LATE_RECORDS}. The buffer holds only records ahead of the watermark, so its
 * size is bounded by the input rate times the out-of-orderness bound.
 *
 * <p>Timers: subclasses register their own event-time timers freely; {@link #onEventTime} is called
 * for every timer, after any buffered records of that timestamp, and must decide from its own state
 * whether anything is due (timers are coalesced per timestamp).
 */
public abstract class EventTimeOrderedFunction<K, T, O> extends KeyedProcessFunction<K, T, O> {

    private final TypeInformation<T> type;
    private final Comparator<T> tieBreak;

    private transient EventTimeBuffer<T> buffer;
    private transient Counter late;
    private transient Context current;

    protected EventTimeOrderedFunction(TypeInformation<T> type, Comparator<T> tieBreak) {
        this.type = type;
        this.tieBreak = tieBreak;
    }

    @Override
    public void open(OpenContext ctx) throws Exception {
        buffer = new EventTimeBuffer<>(getRuntimeContext(), type, tieBreak);
        late = getRuntimeContext().getMetricGroup().counter(MetricNames.LATE_RECORDS);
    }

    @Override
    public final void processElement(T value, Context ctx, Collector<O> out) throws Exception {
        current = ctx;
        if (!buffer.add(value, ctx.timestamp(), ctx.timerService())) {
            late.inc();
            Long ts = ctx.timestamp();
            processInOrder(
                    value,
                    ts == null ? Long.MIN_VALUE : ts,
                    ctx.timerService(),
                    ctx.getCurrentKey(),
                    out);
        }
    }

    @Override
    public final void onTimer(long timestamp, OnTimerContext ctx, Collector<O> out)
            throws Exception {
        current = ctx;
        for (T v : buffer.drain(timestamp)) {
            processInOrder(v, timestamp, ctx.timerService(), ctx.getCurrentKey(), out);
        }
        onEventTime(timestamp, ctx.timerService(), ctx.getCurrentKey(), out);
    }

    /** Emits to a side output from {@link #processInOrder} or {@link #onEventTime}. */
    protected final <X> void sideOutput(org.apache.flink.util.OutputTag<X> tag, X value) {
        current.output(tag, value);
    }

    /** Called once per record, in event-time order per key. */
    protected abstract void processInOrder(
            T value,
            long eventTime,
            org.apache.flink.streaming.api.TimerService timers,
            K key,
            Collector<O> out)
            throws Exception;

    /** Called for every event-time timer of this key, after the records of that time. */
    protected abstract void onEventTime(
            long time, org.apache.flink.streaming.api.TimerService timers, K key, Collector<O> out)
            throws Exception;
}

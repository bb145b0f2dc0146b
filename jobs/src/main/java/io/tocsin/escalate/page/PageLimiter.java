package io.tocsin.escalate.page;

import io.tocsin.config.PageRateLimit;
import io.tocsin.time.EventTimeOrderedFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.util.Collector;

/**
 * Keyed by routing key: lets at most {@code maxPages} pages leave in any half-open interval of
 * {@code per} event time (a sliding window over the last maxPages send times, so a burst gets
 * maxPages pages at once and the rest as the oldest sends age out). A page over the limit is held,
 * never dropped; a later page of a held incident (same dedup key) replaces it in place, keeping its
 * queue position and counting {@link Page#coalesced}, and the one with the latest state wins (see
 * {@link Pages#latest}). Held pages leave in first-held order at the event time the window allows,
 * on an event-time timer, so a backtest pages exactly as the live job would.
 *
 * <p>Pages are taken in event-time order (ties by {@link PageOrder}) once the watermark passes
 * them, so the outcome does not depend on how upstream partitions interleave.
 *
 * <p>State per routing key: one held page per held dedup key, one queue entry each, the send times
 * of the last maxPages pages, plus pages waiting for the watermark. All of it is cleared once
 * nothing is held and the newest send is {@code per} old (before that the history still limits).
 */
public class PageLimiter extends EventTimeOrderedFunction<String, Page, Page> {

    private final PageRateLimit limit;

    private transient ValueState<PageLimiterState> state;
    private transient MapState<String, Page> held; // dedup key -> the page to send for it
    private transient MapState<Long, String> queue; // queue position -> dedup key
    private transient Counter coalesced;
    private transient Counter heldPages;
    private transient Counter sent;
    private transient io.tocsin.metrics.LabelledCounters byTrigger;

    public PageLimiter(PageRateLimit limit) {
        super(TypeInformation.of(Page.class), PageOrder.INSTANCE);
        this.limit = limit;
    }

    /** Keys pages by routing key, limits them, and names the operator with a stable uid. */
    public static DataStream<Page> apply(DataStream<Page> pages, PageRateLimit limit) {
        return pages.keyBy(new ByRoutingKey())
                .process(new PageLimiter(limit), TypeInformation.of(Page.class))
                .name("page rate limit")
                .uid("page-limiter");
    }

    /** The limiter's key: the routing key a page goes to. */
    public static final class ByRoutingKey implements KeySelector<Page, String> {
        @Override
        public String getKey(Page p) {
            return p.routingKey;
        }
    }

    @Override
    public void open(OpenContext ctx) throws Exception {
        super.open(ctx);
        state =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "page-limit", TypeInformation.of(PageLimiterState.class)));
        held =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "held-pages",
                                        Types.STRING,
                                        TypeInformation.of(Page.class)));
        queue =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>("held-order", Types.LONG, Types.STRING));
        var metrics = getRuntimeContext().getMetricGroup();
        coalesced = metrics.counter(PageMetrics.COALESCED);
        heldPages = metrics.counter(PageMetrics.HELD);
        sent = metrics.counter(PageMetrics.SENT);
        byTrigger =
                new io.tocsin.metrics.LabelledCounters(
                        metrics,
                        io.tocsin.metrics.MetricNames.TRIGGER,
                        io.tocsin.metrics.MetricNames.PAGES_BY_TRIGGER);
    }

    @Override
    protected void processInOrder(
            Page page, long t, TimerService timers, String key, Collector<Page> out)
            throws Exception {
        PageLimiterState s = state.value();
        if (s == null) {
            s = new PageLimiterState();
        }
        long now = s.advance(t);
        // Held pages due by now go first: a new page never overtakes the queue.
        release(s, now, out);
        if (s.held() == 0 && s.allows(now, limit)) {
            send(s, now, page, out);
        } else {
            hold(s, page);
        }
        arm(s, now, timers);
        state.update(s);
    }

    @Override
    protected void onEventTime(long t, TimerService timers, String key, Collector<Page> out)
            throws Exception {
        PageLimiterState s = state.value();
        if (s == null) {
            return; // a timer of a key already cleared, or an ordering-buffer timer
        }
        if (t >= s.timerAt) {
            s.timerAt = PageLimiterState.NONE;
        }
        long now = s.advance(t);
        release(s, now, out);
        if (s.idle(now, limit)) {
            // Later timers of this key, if any, find no state and do nothing.
            state.clear();
            held.clear();
            queue.clear();
            return;
        }
        arm(s, now, timers);
        state.update(s);
    }

    private void release(PageLimiterState s, long now, Collector<Page> out) throws Exception {
        while (s.held() > 0 && s.allows(now, limit)) {
            String dedupKey = queue.get(s.head);
            queue.remove(s.head);
            s.head++;
            Page p = held.get(dedupKey);
            held.remove(dedupKey);
            send(s, now, p, out);
        }
    }

    private void send(PageLimiterState s, long now, Page p, Collector<Page> out) {
        s.recordSend(now, limit);
        sent.inc();
        byTrigger.inc(io.tocsin.metrics.MetricNames.triggerOf(p.customDetails.get("actor")));
        out.collect(p);
    }

    private void hold(PageLimiterState s, Page page) throws Exception {
        Page before = held.get(page.dedupKey);
        if (before == null) {
            held.put(page.dedupKey, page.copy());
            queue.put(s.tail, page.dedupKey);
            s.tail++;
            heldPages.inc();
            return;
        }
        Page kept = Pages.latest(before, page).copy();
        kept.coalesced = before.coalesced + page.coalesced + 1;
        held.put(page.dedupKey, kept);
        coalesced.inc();
    }

    /**
     * Keeps a timer at the next time something is due: the next release while pages are held, else
     * the time the history can be forgotten. Timers are never deleted (the ordering buffer may
     * share a timestamp); one that fires early finds nothing due and sets the next.
     */
    private void arm(PageLimiterState s, long now, TimerService timers) {
        long due = s.held() > 0 ? s.nextAllowed(limit) : s.quietAt(limit);
        if (due <= now || due == Long.MAX_VALUE) {
            // Nothing due later. (A timer at or before now would fire again at once, forever.)
            return;
        }
        if (s.timerAt == PageLimiterState.NONE || due < s.timerAt) {
            s.timerAt = due;
            timers.registerEventTimeTimer(due);
        }
    }
}

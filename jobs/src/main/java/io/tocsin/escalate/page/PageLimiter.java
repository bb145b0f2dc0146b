package io.tocsin.escalate.page;

import io.tocsin.time.EventTimeOrderedFunction;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.util.Collector;

/**
 * Rate-limits pages per routing key (the key of this operator), in event time so a backtest pages
 * exactly what the live job would: at most {@link PageRateLimit#maxPages()} pages leave in any
 * sliding window of {@link PageRateLimit#per()}. A page over the limit is held; held pages are
 * coalesced per dedup key (the newest replaces the held one in its queue position and counts the
 * replaced in {@link Page#coalesced}, so an acknowledge or resolve is never lost behind an older
 * trigger) and released in first-held order as soon as the window allows. Nothing is dropped.
 *
 * <p>State bound per routing key: the send times of the last maxPages pages, plus at most one held
 * page per incident; both empty when the key is quiet.
 */
public final class PageLimiter extends EventTimeOrderedFunction<String, Page, Page> {

    private final PageRateLimit limit;

    private transient ValueState<List<Long>> sent;
    private transient ValueState<List<Page>> held;
    private transient Counter coalesced;
    private transient Counter heldPages;

    public PageLimiter(PageRateLimit limit) {
        super(TypeInformation.of(Page.class), new ByContent());
        this.limit = limit;
    }

    @Override
    public void open(OpenContext ctx) throws Exception {
        super.open(ctx);
        sent =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "sent", TypeInformation.of(new TypeHint<List<Long>>() {})));
        held =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "held", TypeInformation.of(new TypeHint<List<Page>>() {})));
        coalesced = getRuntimeContext().getMetricGroup().counter("tocsin_pages_coalesced");
        heldPages = getRuntimeContext().getMetricGroup().counter("tocsin_pages_held");
    }

    @Override
    protected void processInOrder(
            Page page, long t, TimerService timers, String key, Collector<Page> out)
            throws Exception {
        List<Page> queue = held.value();
        if ((queue == null || queue.isEmpty()) && free(t)) {
            send(page, t, out);
            return;
        }
        queue = queue == null ? new ArrayList<>() : queue;
        boolean replaced = false;
        for (int i = 0; i < queue.size(); i++) {
            Page old = queue.get(i);
            if (old.dedupKey.equals(page.dedupKey)) {
                page.coalesced = old.coalesced + 1;
                queue.set(i, page);
                replaced = true;
                coalesced.inc();
                break;
            }
        }
        if (!replaced) {
            queue.add(page);
            heldPages.inc();
        }
        held.update(queue);
        timers.registerEventTimeTimer(nextFree());
    }

    @Override
    protected void onEventTime(long t, TimerService timers, String key, Collector<Page> out)
            throws Exception {
        List<Page> queue = held.value();
        if (queue == null || queue.isEmpty()) {
            return;
        }
        while (!queue.isEmpty() && free(t)) {
            send(queue.remove(0), t, out);
        }
        if (queue.isEmpty()) {
            held.clear();
        } else {
            held.update(queue);
            timers.registerEventTimeTimer(nextFree());
        }
    }

    /** True when fewer than maxPages pages left in the window ending at {@code t}. */
    private boolean free(long t) throws Exception {
        List<Long> times = sent.value();
        if (times == null) {
            return true;
        }
        long from = t - limit.per().toMillis();
        return times.stream().filter(s -> s > from).count() < limit.maxPages();
    }

    /** When the oldest of the last maxPages sends leaves the window. */
    private long nextFree() throws Exception {
        List<Long> times = sent.value();
        return times.get(0) + limit.per().toMillis() + 1;
    }

    private void send(Page page, long t, Collector<Page> out) throws Exception {
        List<Long> times = sent.value();
        times = times == null ? new ArrayList<>() : times;
        times.add(t);
        while (times.size() > limit.maxPages()) {
            times.remove(0);
        }
        sent.update(times);
        out.collect(page);
    }

    /** Same-time pages leave in a content order, never in arrival order. */
    static final class ByContent implements Comparator<Page>, java.io.Serializable {
        @Override
        public int compare(Page a, Page b) {
            int c = a.dedupKey.compareTo(b.dedupKey);
            if (c != 0) {
                return c;
            }
            c = a.action.compareTo(b.action);
            return c != 0 ? c : String.valueOf(a.summary).compareTo(String.valueOf(b.summary));
        }
    }
}

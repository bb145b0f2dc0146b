package io.tocsin.escalate.page;

import io.tocsin.config.PageRateLimit;
import java.util.Arrays;

/**
 * What {@link PageLimiter} keeps per routing key besides the held pages themselves: the send times
 * of the last {@code maxPages} pages (oldest first), the positions of the held-page queue and the
 * timer it has armed. The rate decisions live here, with time as a parameter.
 */
public class PageLimiterState {

    public static final long NONE = Long.MIN_VALUE;

    /** Send times of the most recent pages, oldest first; never more than maxPages. */
    public long[] sends = new long[0];

    /** Queue position of the first held page; {@code tail - head} pages are held. */
    public long head;

    /** Queue position the next held page gets. */
    public long tail;

    /** Latest event time this key has seen; keeps the send history in order for late pages. */
    public long clock = NONE;

    /** Earliest limiter timer registered and not yet fired, or {@link #NONE}. */
    public long timerAt = NONE;

    public PageLimiterState() {}

    public int held() {
        return (int) (tail - head);
    }

    /** True when one more page may leave at {@code now}: fewer than maxPages sent in the window. */
    public boolean allows(long now, PageRateLimit limit) {
        return now >= nextAllowed(limit);
    }

    /**
     * The earliest time the next page may leave: once the maxPages-th latest send is {@code per}
     * old. {@link #NONE} when fewer than maxPages pages were ever sent.
     */
    public long nextAllowed(PageRateLimit limit) {
        int n = limit.maxPages();
        if (sends.length < n) {
            return NONE;
        }
        return plus(sends[sends.length - n], limit.perMillis());
    }

    /** From this time on the history can no longer hold back a page, so it may be forgotten. */
    public long quietAt(PageRateLimit limit) {
        return sends.length == 0 ? NONE : plus(sends[sends.length - 1], limit.perMillis());
    }

    /** Nothing held and the history no longer matters: the key's state can go. */
    public boolean idle(long now, PageRateLimit limit) {
        return held() == 0 && now >= quietAt(limit);
    }

    /** Records a page leaving at {@code now}, keeping only the last maxPages send times. */
    public void recordSend(long now, PageRateLimit limit) {
        int keep = Math.min(sends.length, limit.maxPages() - 1);
        long[] next = Arrays.copyOfRange(sends, sends.length - keep, sends.length + 1);
        next[keep] = now;
        sends = next;
    }

    /** Advances the clock and returns the time to decide at (never behind an earlier decision). */
    public long advance(long eventTime) {
        clock = Math.max(clock, eventTime);
        return clock;
    }

    private static long plus(long t, long d) {
        long r = t + d;
        return ((t ^ r) & (d ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}

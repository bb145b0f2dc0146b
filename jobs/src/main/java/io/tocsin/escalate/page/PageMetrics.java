package io.tocsin.escalate.page;

/** Metric names of the page rate limiter, declared once. */
public final class PageMetrics {

    private PageMetrics() {}

    /** Pages folded into a held page of the same dedup key (never dropped: the newest is sent). */
    public static final String COALESCED = "tocsin_pages_coalesced";

    /** Pages that had to wait for the rate limit instead of leaving at once. */
    public static final String HELD = "tocsin_pages_held";

    /** Pages that left the limiter (at once or released later). */
    public static final String SENT = "tocsin_pages_sent";
}

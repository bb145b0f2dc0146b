package io.tocsin.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * How many pages one routing key may receive: at most {@code maxPages} in any {@code per} of event
 * time (see {@link PageLimiter} for the exact window).
 */
public record PageRateLimit(int maxPages, Duration per) implements Serializable {

    /** Upper bound on maxPages: the limiter keeps one send time per allowed page in state. */
    public static final int MAX_PAGES = 10_000;

    private static final long serialVersionUID = 1L;

    public PageRateLimit {
        if (maxPages < 1 || maxPages > MAX_PAGES) {
            throw new IllegalArgumentException(
                    "maxPages must be between 1 and " + MAX_PAGES + ", got " + maxPages);
        }
        if (per == null || per.toMillis() < 1) {
            throw new IllegalArgumentException(
                    "per must be at least 1ms, got " + (per == null ? "nothing" : per));
        }
    }

    public long perMillis() {
        return per.toMillis();
    }
}

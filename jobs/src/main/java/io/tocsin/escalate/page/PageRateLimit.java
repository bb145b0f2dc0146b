package io.tocsin.escalate.page;

import java.io.Serializable;
import java.time.Duration;

/** At most {@code maxPages} pages per routing key in any window of length {@code per}. */
public record PageRateLimit(int maxPages, Duration per) implements Serializable {

    public PageRateLimit {
        if (maxPages < 1 || per.isNegative() || per.isZero()) {
            throw new IllegalArgumentException("need maxPages >= 1 and per > 0");
        }
    }
}

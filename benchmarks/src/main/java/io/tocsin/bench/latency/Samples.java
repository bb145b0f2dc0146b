package io.tocsin.bench.latency;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Latency samples of one kind of probe, in milliseconds, and their percentiles. */
final class Samples {

    private final List<Double> millis = new ArrayList<>();
    private int missing;

    synchronized void add(double ms) {
        millis.add(ms);
    }

    /** A probe whose answer never came within the wait. */
    synchronized void missed() {
        missing++;
    }

    synchronized int count() {
        return millis.size();
    }

    synchronized int missing() {
        return missing;
    }

    /** The nearest-rank percentile (q in 0..1); NaN without samples. */
    synchronized double percentile(double q) {
        if (millis.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    /**
     * p50, p99, p99.9 and max in ms, the sample count and the missing probes: a table row's cells.
     */
    String cells() {
        return String.format(
                Locale.ROOT,
                "%s | %s | %s | %s | %d | %d",
                ms(percentile(0.50)),
                ms(percentile(0.99)),
                ms(percentile(0.999)),
                ms(percentile(1.0)),
                count(),
                missing());
    }

    static String ms(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.0f", v);
    }
}

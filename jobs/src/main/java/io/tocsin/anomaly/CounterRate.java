package io.tocsin.anomaly;

import java.nio.ByteBuffer;

/**
 * Recognises a counter (a series that only goes up, such as Prometheus' {@code _total} series) and
 * turns it into its rate, so the detector judges requests per interval rather than an ever-growing
 * total, and a counter that drops (the process restarted and counts from zero again) is a reset,
 * not an anomaly. Until its first {@link #PROBE_POINTS} points have been seen a series is a gauge;
 * it is a counter if none of them went down and most went up. A counter that later drops to more
 * than half its last value was not one (a reset starts near zero): it is a gauge from then on.
 */
final class CounterRate {

    /** Points seen before a series is taken for a counter. */
    static final int PROBE_POINTS = 30;

    /** What to do with a point. */
    enum Verdict {
        /** A gauge: judge the value as it is. */
        VALUE,
        /** A counter: judge {@link #rate()}. */
        RATE,
        /** A counter reset, or the first point of a counter: nothing to judge. */
        SKIP,
        /** The series' kind changed: forget what was learned, then judge the point as returned. */
        RESTART_AS_COUNTER,
        RESTART_AS_GAUGE
    }

    private static final byte PROBING = 0;
    private static final byte GAUGE = 1;
    private static final byte COUNTER = 2;

    private byte kind = PROBING;
    private int seen;
    private int increases;
    private double previous;
    private double rate;

    /** True once the series has been taken for a counter. */
    boolean isCounter() {
        return kind == COUNTER;
    }

    /** The rate of the last point judged a counter's, per {@code typicalInterval}. */
    double rate() {
        return rate;
    }

    /**
     * Classifies {@code value}, which came {@code dt} ms after the previous point ({@code 0} for
     * the first); {@code typicalInterval} is the series' usual spacing.
     */
    Verdict accept(double value, long dt, double typicalInterval) {
        double before = previous;
        previous = value;
        seen = Math.min(seen + 1, Integer.MAX_VALUE - 1);
        if (kind == GAUGE) {
            return Verdict.VALUE;
        }
        if (kind == PROBING) {
            if (seen > 1 && value < before) {
                kind = GAUGE;
                return Verdict.VALUE;
            }
            if (seen > 1 && value > before) {
                increases++;
            }
            if (seen < PROBE_POINTS) {
                return Verdict.VALUE;
            }
            if (increases >= (PROBE_POINTS - 1) * 2 / 3) {
                kind = COUNTER;
                return Verdict.RESTART_AS_COUNTER;
            }
            kind = GAUGE;
            return Verdict.VALUE;
        }
        if (value < before) {
            if (value > before / 2) {
                kind = GAUGE;
                return Verdict.RESTART_AS_GAUGE;
            }
            return Verdict.SKIP; // a reset: the increase since the restart is partial
        }
        // Per typical interval, so missed scrapes do not look like a burst.
        double scale = dt > 0 && typicalInterval > 0 ? typicalInterval / dt : 1;
        rate = (value - before) * scale;
        return Verdict.RATE;
    }

    void write(ByteBuffer out) {
        out.put(kind);
        out.put((byte) Math.min(seen, PROBE_POINTS));
        out.put((byte) increases);
        out.putDouble(previous);
    }

    void read(ByteBuffer in) {
        kind = in.get();
        seen = in.get();
        increases = in.get();
        previous = in.getDouble();
    }
}

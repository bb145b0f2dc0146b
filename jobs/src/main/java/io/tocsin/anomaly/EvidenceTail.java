package io.tocsin.anomaly;

import io.tocsin.config.DetectorSettings;
import java.nio.ByteBuffer;

/**
 * How extreme a non-negative statistic is for this series, as evidence {@code -log10 p}: a
 * streaming peaks-over-threshold estimate (threshold at the {@code 1 - q} quantile, exponential
 * excess above it) kept at two speeds. The statistic must be extreme for both the recent and the
 * longer past: the fast tail forgets a regime within about a thousand points, the slow one keeps
 * the memory of rare large excursions, so a series whose bursts are routine stops alarming on them.
 */
final class EvidenceTail {

    private static final int INIT_POINTS = 30;
    private static final double LN10 = Math.log(10);

    private int seen;
    private double initMean;
    private double initDev;
    private double fastThreshold;
    private double fastExcess;
    private double slowThreshold;
    private double slowExcess;

    /** Learns {@code q} and returns its evidence; 0 until the tail has its first estimate. */
    double update(double q, DetectorSettings s) {
        if (seen < INIT_POINTS) {
            seen++;
            double a = 1.0 / seen;
            double e = q - initMean;
            initMean += a * e;
            initDev += a * (Math.abs(e) - initDev);
            fastThreshold = slowThreshold = initMean + 2 * initDev;
            fastExcess = slowExcess = Math.max(initDev, 1e-9);
            return 0;
        }
        double fast = evidence(q, fastThreshold, fastExcess, s.tailQuantile());
        double slow = evidence(q, slowThreshold, slowExcess, s.tailQuantile());
        if (q > fastThreshold) {
            fastExcess += s.tailExcessRate() * ((q - fastThreshold) - fastExcess);
            fastThreshold += s.tailStep() * fastExcess * (1 - s.tailQuantile());
        } else {
            fastThreshold =
                    Math.max(0, fastThreshold - s.tailStep() * fastExcess * s.tailQuantile());
        }
        double f = s.slowTailFactor();
        if (q > slowThreshold) {
            slowExcess += f * s.tailExcessRate() * ((q - slowThreshold) - slowExcess);
            slowThreshold += f * s.tailStep() * slowExcess * (1 - s.tailQuantile());
        } else {
            slowThreshold =
                    Math.max(0, slowThreshold - f * s.tailStep() * slowExcess * s.tailQuantile());
        }
        return Math.min(fast, slow);
    }

    private static double evidence(double q, double threshold, double excess, double quantile) {
        double atThreshold = -Math.log10(quantile);
        if (q > threshold) {
            return atThreshold + (q - threshold) / (Math.max(excess, 1e-12) * LN10);
        }
        // Below the threshold the tail says little; scale down so ordinary points rank low.
        return atThreshold * Math.min(1, q / Math.max(threshold, 1e-12));
    }

    void write(ByteBuffer out) {
        out.putInt(seen);
        if (seen < INIT_POINTS) {
            out.putDouble(initMean);
            out.putDouble(initDev);
        }
        out.putDouble(fastThreshold);
        out.putDouble(fastExcess);
        out.putDouble(slowThreshold);
        out.putDouble(slowExcess);
    }

    void read(ByteBuffer in) {
        seen = in.getInt();
        if (seen < INIT_POINTS) {
            initMean = in.getDouble();
            initDev = in.getDouble();
        }
        fastThreshold = in.getDouble();
        fastExcess = in.getDouble();
        slowThreshold = in.getDouble();
        slowExcess = in.getDouble();
    }
}

package io.tocsin.anomaly;

import io.tocsin.config.DetectorSettings;
import java.nio.ByteBuffer;

/**
 * Turns a stream of novelty values in [0, 1] into evidence ({@code -log10 p}) that novelty is
 * currently unusually frequent for this series: the average over the last few points against the
 * long-run mean and deviation of that average (a normal tail). One novel point in a series that is
 * often novel means little; a burst of them in a series that has settled means a lot.
 */
final class NoveltyLikelihood {

    private static final int SETTLE_POINTS = 100;

    private final float[] window;
    private int next;
    private long seen;
    private double mean;
    private double variance;

    NoveltyLikelihood(int window) {
        this.window = new float[window];
    }

    double update(double novelty, DetectorSettings s) {
        window[next] = (float) novelty;
        next = (next + 1) % window.length;
        double average = 0;
        for (float v : window) {
            average += v;
        }
        average /= window.length;
        seen++;
        double a = Math.max(s.likelihoodAlpha(), 1.0 / seen);
        double z = (average - mean) / Math.max(Math.sqrt(variance), s.likelihoodMinStd());
        double d = average - mean;
        mean += a * d;
        variance = (1 - a) * (variance + a * d * d);
        if (seen <= SETTLE_POINTS) {
            return 0;
        }
        return -Math.log10(Math.max(Gaussian.upperTail(z), 1e-12));
    }

    void write(ByteBuffer out) {
        out.putLong(seen);
        out.put((byte) next);
        for (float v : window) {
            out.putFloat(v);
        }
        out.putDouble(mean);
        out.putDouble(variance);
    }

    void read(ByteBuffer in) {
        seen = in.getLong();
        next = Byte.toUnsignedInt(in.get());
        for (int i = 0; i < window.length; i++) {
            window[i] = in.getFloat();
        }
        mean = in.getDouble();
        variance = in.getDouble();
    }
}

package io.tocsin.bench.nab;

/**
 * The simplest honest baseline: an exponentially weighted mean and variance of the series, the
 * score a monotone map of the point's distance from the mean in deviations ({@code z / (1 + z)}, so
 * that large deviations still rank against each other instead of all saturating at 1).
 */
public final class EwmaBaseline implements SeriesScorer {

    private final double alpha;
    private long n;
    private double mean;
    private double variance;

    public EwmaBaseline(double alpha) {
        this.alpha = alpha;
    }

    @Override
    public double score(long timeMillis, double value) {
        n++;
        if (n == 1) {
            mean = value;
            return 0;
        }
        double d = value - mean;
        double score = zScore(Math.abs(d), Math.sqrt(variance));
        // Plain averages at first, so the first value does not dominate for long.
        double a = Math.max(alpha, 1.0 / n);
        mean += a * d;
        variance = (1 - a) * (variance + a * d * d);
        return score;
    }

    /** {@code z / (1 + z)} of a distance in deviations; a change from a constant series is 1. */
    static double zScore(double distance, double deviation) {
        if (distance == 0) {
            return 0;
        }
        if (!(deviation > 0)) {
            return 1;
        }
        double z = distance / deviation;
        return z / (1 + z);
    }
}

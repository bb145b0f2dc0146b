package io.tocsin.bench.nab;

/**
 * A seasonal baseline: the expected value of each slot of a period (an hour of the day, or of the
 * week) is an exponentially weighted mean of the values seen in that slot; the residual from it is
 * judged like {@link EwmaBaseline} judges a value. A slot not seen yet expects the overall level.
 */
public final class SeasonalBaseline implements SeriesScorer {

    private final long periodMillis;
    private final double slotWeight;
    private final double alpha;
    private final double[] expected;
    private final boolean[] seen;
    private long n;
    private double level;
    private double residualMean;
    private double residualVariance;

    /**
     * @param periodMillis the season: a day or a week
     * @param slots slots per period
     * @param slotWeight weight of a new value in its slot's expected value
     * @param alpha weight of a new point in the level and the residual's mean and variance
     */
    public SeasonalBaseline(long periodMillis, int slots, double slotWeight, double alpha) {
        this.periodMillis = periodMillis;
        this.slotWeight = slotWeight;
        this.alpha = alpha;
        this.expected = new double[slots];
        this.seen = new boolean[slots];
    }

    @Override
    public double score(long timeMillis, double value) {
        n++;
        int slot = (int) (Math.floorMod(timeMillis, periodMillis) * expected.length / periodMillis);
        if (n == 1) {
            level = value;
        }
        double expect = seen[slot] ? expected[slot] : level;
        double r = value - expect;
        double d = r - residualMean;
        double score = n < 3 ? 0 : EwmaBaseline.zScore(Math.abs(d), Math.sqrt(residualVariance));
        double a = Math.max(alpha, 1.0 / n);
        residualMean += a * d;
        residualVariance = (1 - a) * (residualVariance + a * d * d);
        level += a * (value - level);
        expected[slot] =
                seen[slot] ? expected[slot] + slotWeight * (value - expected[slot]) : value;
        seen[slot] = true;
        return score;
    }
}

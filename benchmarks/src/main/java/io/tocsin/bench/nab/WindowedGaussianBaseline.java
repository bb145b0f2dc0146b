package io.tocsin.bench.nab;

/**
 * NAB's windowed Gaussian detector, as NAB defines it: the mean and standard deviation of a window
 * of the last {@code windowSize} points, recomputed every {@code stepSize} points once the window
 * is full; the score is {@code 1 - Q(|z|)} (Q the normal tail). NAB runs it with 6400 and 100.
 */
public final class WindowedGaussianBaseline implements SeriesScorer {

    private final double[] window;
    private final double[] step;
    private int filled;
    private int next;
    private int stepped;
    private double mean;
    private double std = 1;

    public WindowedGaussianBaseline(int windowSize, int stepSize) {
        this.window = new double[windowSize];
        this.step = new double[stepSize];
    }

    @Override
    public double score(long timeMillis, double value) {
        double score = filled > 0 ? 1 - upperTail(Math.abs(value - mean) / std) : 0;
        if (filled < window.length) {
            window[filled++] = value;
            update();
        } else {
            step[stepped++] = value;
            if (stepped == step.length) {
                // Slide the window forward by the whole step.
                for (double v : step) {
                    window[next] = v;
                    next = (next + 1) % window.length;
                }
                stepped = 0;
                update();
            }
        }
        return score;
    }

    private void update() {
        double sum = 0;
        for (int i = 0; i < filled; i++) {
            sum += window[i];
        }
        mean = sum / filled;
        double squares = 0;
        for (int i = 0; i < filled; i++) {
            squares += (window[i] - mean) * (window[i] - mean);
        }
        std = Math.sqrt(squares / filled);
        if (std == 0) {
            std = 1e-6;
        }
    }

    /** Numerical Recipes' erfc coefficients (relative error below 1.2e-7). */
    private static final double[] ERFC = {
        -1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806,
        0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277
    };

    /** P(Z > z) for a standard normal Z. */
    static double upperTail(double z) {
        double x = z / Math.sqrt(2);
        double t = 1 / (1 + 0.5 * Math.abs(x));
        double poly = ERFC[ERFC.length - 1];
        for (int i = ERFC.length - 2; i >= 0; i--) {
            poly = ERFC[i] + t * poly;
        }
        double erfc = t * Math.exp(-x * x + poly);
        return 0.5 * (x >= 0 ? erfc : 2 - erfc);
    }
}

package io.tocsin.anomaly;

/** The standard normal upper tail, without a statistics library. */
final class Gaussian {

    /** Chebyshev fit of erfc (Numerical Recipes erfcc), relative error below 1.2e-7. */
    private static final double[] ERFC = {
        -1.26551223,
        1.00002368,
        0.37409196,
        0.09678418,
        -0.18628806,
        0.27886807,
        -1.13520398,
        1.48851587,
        -0.82215223,
        0.17087277
    };

    private Gaussian() {}

    /** P(Z > z) for a standard normal Z. */
    static double upperTail(double z) {
        return 0.5 * erfc(z / Math.sqrt(2));
    }

    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double poly = ERFC[ERFC.length - 1];
        for (int i = ERFC.length - 2; i >= 0; i--) {
            poly = ERFC[i] + t * poly;
        }
        double r = t * Math.exp(-z * z + poly);
        return x >= 0 ? r : 2 - r;
    }
}

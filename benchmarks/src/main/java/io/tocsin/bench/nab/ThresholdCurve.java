package io.tocsin.bench.nab;

import java.util.Arrays;
import java.util.List;

/**
 * A detector's corpus total under one profile at every distinct threshold, highest threshold first,
 * and the two ways of choosing a threshold from it: the best of all ({@link #best()}) and the local
 * search NAB used for its published scoreboard ({@link #nabTwiddle()}).
 */
public final class ThresholdCurve {

    private final NabScorer scorer;
    private final CostProfile profile;
    private final int scorableWindows;
    private final double[] thresholds;
    private final double[] totals;
    private final int[] detected;
    private final int[] falsePositives;

    private ThresholdCurve(Builder b) {
        this.scorer = b.scorer;
        this.profile = b.profile;
        this.scorableWindows = b.scorableWindows;
        this.thresholds = Arrays.copyOf(b.thresholds, b.size);
        this.totals = Arrays.copyOf(b.totals, b.size);
        this.detected = Arrays.copyOf(b.detected, b.size);
        this.falsePositives = Arrays.copyOf(b.falsePositives, b.size);
    }

    /** The result at the threshold with the highest total (the highest such threshold on ties). */
    public ProfileScore best() {
        int arg = 0;
        for (int i = 1; i < totals.length; i++) {
            if (totals[i] > totals[arg]) {
                arg = i;
            }
        }
        return at(arg, thresholds[arg]);
    }

    /**
     * The threshold that maximises the summed total of several curves (parts of a corpus scored
     * separately, as if scored together) and that total: {@code {threshold, total}}, the highest
     * such threshold on ties.
     */
    static double[] bestOfSum(List<ThresholdCurve> curves) {
        int size = 0;
        for (ThresholdCurve c : curves) {
            size += c.thresholds.length;
        }
        double[] all = new double[size];
        int k = 0;
        for (ThresholdCurve c : curves) {
            System.arraycopy(c.thresholds, 0, all, k, c.thresholds.length);
            k += c.thresholds.length;
        }
        Arrays.sort(all);
        int[] at = new int[curves.size()];
        double bestTotal = Double.NEGATIVE_INFINITY;
        double bestThreshold = Double.POSITIVE_INFINITY;
        for (int i = all.length - 1; i >= 0; i--) {
            double t = all[i];
            if (i < all.length - 1 && all[i + 1] == t) {
                continue;
            }
            double total = 0;
            for (int c = 0; c < at.length; c++) {
                double[] th = curves.get(c).thresholds;
                while (at[c] + 1 < th.length && th[at[c] + 1] >= t) {
                    at[c]++;
                }
                total += curves.get(c).totals[at[c]];
            }
            if (total > bestTotal) {
                bestTotal = total;
                bestThreshold = t;
            }
        }
        return new double[] {bestThreshold, bestTotal};
    }

    /** The result when every row scoring at least {@code threshold} is a detection. */
    public ProfileScore at(double threshold) {
        return at(indexOf(threshold), threshold);
    }

    /**
     * The result at the threshold NAB's own optimiser settles on: a hill climb on the total from
     * 0.5 with a first step of 0.1, doubling the step after an improvement and halving it
     * otherwise, until the step is below 1e-7. It can stop at a local maximum, which is why NAB's
     * published reward_low_FP scores sit slightly below what the best threshold gives; scoring the
     * same way makes a result comparable with the published scoreboard.
     */
    public ProfileScore nabTwiddle() {
        java.util.Map<Double, Double> calls = new java.util.LinkedHashMap<>();
        double x = 0.5;
        double delta = 0.1;
        double bestScore = objective(x, calls);
        while (delta > 1e-7) {
            x += delta;
            double score = objective(x, calls);
            if (score > bestScore) {
                bestScore = score;
                delta *= 2;
            } else {
                x -= 2 * delta;
                score = objective(x, calls);
                if (score > bestScore) {
                    bestScore = score;
                    delta *= 2;
                } else {
                    x += delta;
                    delta *= 0.5;
                }
            }
        }
        double bestX = x;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (var e : calls.entrySet()) {
            if (e.getValue() > bestValue) {
                bestValue = e.getValue();
                bestX = e.getKey();
            }
        }
        return at(bestX);
    }

    private double objective(double threshold, java.util.Map<Double, Double> calls) {
        return calls.computeIfAbsent(
                threshold, t -> t < 0 || t > 1 ? Double.NEGATIVE_INFINITY : totals[indexOf(t)]);
    }

    /** The last entry whose threshold is at or above {@code threshold}. */
    private int indexOf(double threshold) {
        int lo = 0;
        int hi = thresholds.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (thresholds[mid] >= threshold) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    private ProfileScore at(int i, double threshold) {
        return new ProfileScore(
                profile,
                threshold,
                totals[i],
                scorer.normalize(totals[i], profile),
                detected[i],
                scorableWindows - detected[i],
                falsePositives[i]);
    }

    static final class Builder {
        private final NabScorer scorer;
        private final CostProfile profile;
        private final int scorableWindows;
        private double[] thresholds = new double[1024];
        private double[] totals = new double[1024];
        private int[] detected = new int[1024];
        private int[] falsePositives = new int[1024];
        private int size;

        Builder(NabScorer scorer, CostProfile profile, int scorableWindows) {
            this.scorer = scorer;
            this.profile = profile;
            this.scorableWindows = scorableWindows;
        }

        void add(double threshold, double total, int windowsDetected, int fps) {
            if (size == thresholds.length) {
                thresholds = Arrays.copyOf(thresholds, size * 2);
                totals = Arrays.copyOf(totals, size * 2);
                detected = Arrays.copyOf(detected, size * 2);
                falsePositives = Arrays.copyOf(falsePositives, size * 2);
            }
            thresholds[size] = threshold;
            totals[size] = total;
            detected[size] = windowsDetected;
            falsePositives[size] = fps;
            size++;
        }

        ThresholdCurve build() {
            return new ThresholdCurve(this);
        }
    }
}

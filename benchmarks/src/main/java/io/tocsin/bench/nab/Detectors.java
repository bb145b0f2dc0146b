package io.tocsin.bench.nab;

import io.tocsin.anomaly.SeriesDetector;
import io.tocsin.config.DetectorSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The detectors the benchmark compares, each with its explicit tuning grid: Tocsin's detector and
 * the baselines (EWMA of mean and variance, NAB's windowed Gaussian, a seasonal residual). Every
 * grid point is one parameter set for every file.
 */
public final class Detectors {

    private static final long DAY = 86_400_000L;
    private static final long WEEK = 7 * DAY;

    private Detectors() {}

    /** Tocsin's detector at its defaults: what the job runs. */
    public static DetectorFamily tocsinDefaults() {
        return new DetectorFamily(
                "Tocsin (defaults)", List.of(tocsin("defaults", DetectorSettings.DEFAULTS)));
    }

    /**
     * Tocsin's detector over its tuning grid: the hold-off after an alarm (how long one anomaly
     * keeps later points from alarming) and the speed of the local level.
     */
    public static DetectorFamily tocsinGrid() {
        List<DetectorFamily.Setting> grid = new ArrayList<>();
        DetectorSettings d = DetectorSettings.DEFAULTS;
        for (int holdOff : new int[] {50, 100, 200}) {
            for (double fast : new double[] {0.05, 0.09, 0.15}) {
                DetectorSettings s = d.withHoldOffPoints(holdOff).withFastAlpha(fast);
                grid.add(
                        tocsin(
                                String.format(Locale.ROOT, "holdOff=%d fast=%.2f", holdOff, fast),
                                s));
            }
        }
        return new DetectorFamily("Tocsin", grid);
    }

    private static DetectorFamily.Setting tocsin(String label, DetectorSettings s) {
        return new DetectorFamily.Setting(
                label,
                () -> {
                    SeriesDetector d = new SeriesDetector(s);
                    return (t, v) -> d.update(t, v).score();
                });
    }

    /** EWMA of mean and variance at alpha 0.01, untuned. */
    public static DetectorFamily ewmaUntuned() {
        return new DetectorFamily("EWMA a=0.01", List.of(ewma(0.01)));
    }

    /** EWMA of mean and variance over a grid of alphas. */
    public static DetectorFamily ewmaTuned() {
        List<DetectorFamily.Setting> grid = new ArrayList<>();
        for (double a : new double[] {0.001, 0.003, 0.01, 0.03, 0.1, 0.3}) {
            grid.add(ewma(a));
        }
        return new DetectorFamily("EWMA tuned", grid);
    }

    private static DetectorFamily.Setting ewma(double alpha) {
        return new DetectorFamily.Setting(
                String.format(Locale.ROOT, "alpha=%s", alpha), () -> new EwmaBaseline(alpha));
    }

    /** NAB's windowed Gaussian with NAB's parameters (window 6400, step 100). */
    public static DetectorFamily windowedGaussian() {
        return new DetectorFamily("Windowed Gaussian (NAB)", List.of(gaussian(6400, 100)));
    }

    /** The windowed Gaussian over a grid of window and step sizes. */
    public static DetectorFamily windowedGaussianTuned() {
        List<DetectorFamily.Setting> grid = new ArrayList<>();
        for (int w : new int[] {100, 400, 1600, 6400}) {
            for (int step : new int[] {10, 100}) {
                if (step < w) {
                    grid.add(gaussian(w, step));
                }
            }
        }
        return new DetectorFamily("Windowed Gaussian tuned", grid);
    }

    private static DetectorFamily.Setting gaussian(int window, int step) {
        return new DetectorFamily.Setting(
                "window=" + window + " step=" + step,
                () -> new WindowedGaussianBaseline(window, step));
    }

    /** Same-time-of-day or -week residuals (hourly slots) over a small grid. */
    public static DetectorFamily seasonal() {
        List<DetectorFamily.Setting> grid = new ArrayList<>();
        for (long period : new long[] {DAY, WEEK}) {
            int slots = (int) (period / 3_600_000L);
            for (double slotWeight : new double[] {0.1, 0.3}) {
                for (double alpha : new double[] {0.003, 0.01, 0.03}) {
                    grid.add(
                            new DetectorFamily.Setting(
                                    String.format(
                                            Locale.ROOT,
                                            "%s slot=%.1f alpha=%s",
                                            period == DAY ? "daily" : "weekly",
                                            slotWeight,
                                            alpha),
                                    () -> new SeasonalBaseline(period, slots, slotWeight, alpha)));
                }
            }
        }
        return new DetectorFamily("Seasonal residual", grid);
    }

    /** Every family, Tocsin first. */
    public static List<DetectorFamily> all() {
        return List.of(
                tocsinGrid(),
                ewmaUntuned(),
                ewmaTuned(),
                windowedGaussian(),
                windowedGaussianTuned(),
                seasonal());
    }
}

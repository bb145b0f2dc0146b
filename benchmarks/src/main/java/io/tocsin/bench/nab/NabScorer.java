package io.tocsin.bench.nab;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Scores anomaly detector output the way the Numenta Anomaly Benchmark does: per-row weights from
 * the labelled windows (probation, scaled sigmoid inside a window, false positives discounted right
 * after a window), then one threshold per profile swept over every distinct score of the corpus,
 * keeping the best total, normalised between the null and the perfect detector.
 *
 * <p>Rows are scored, not timestamps: positions in and after a window are counted in rows. Only the
 * earliest detection of a window counts, which, as the weight falls across a window, is the best
 * weight among its detections.
 */
public final class NabScorer {

    /** Share of each file's rows, capped at {@link #PROBATION_CAP} rows, that is never scored. */
    public static final double PROBATION_FRACTION = 0.15;

    public static final double PROBATION_CAP = PROBATION_FRACTION * 5000;

    private static final int OUTSIDE = -1;
    private static final int PROBATION = -2;

    private final NabLabels labels;

    public NabScorer(NabLabels labels) {
        this.labels = labels;
    }

    /** Rows at the start of a file of {@code rows} rows that are never scored. */
    public static double probationRows(int rows) {
        return Math.min(Math.floor(PROBATION_FRACTION * rows), PROBATION_CAP);
    }

    /**
     * NAB's weight of a relative position: about 1 at a window's left edge (-1), 0 at its right
     * edge, towards -1 past it; -1 from 3 window lengths past.
     */
    public static double scaledSigmoid(double position) {
        if (position >= 3.0) {
            return -1.0;
        }
        return 2.0 / (1.0 + Math.exp(5.0 * position)) - 1.0;
    }

    /**
     * Scores a whole corpus under one profile at the threshold that maximises the total: the best
     * of every distinct score.
     */
    public ProfileScore score(List<ScoredFile> files, CostProfile profile) {
        return curve(files, profile).best();
    }

    /**
     * The corpus total at every distinct threshold; {@code files} must cover every labelled file.
     */
    public ThresholdCurve curve(List<ScoredFile> files, CostProfile profile) {
        List<Row> rows = new ArrayList<>();
        int windowBase = 0;
        for (ScoredFile f : files) {
            windowBase += weigh(f, profile, windowBase, rows);
        }
        if (files.size() != labels.files().size()) {
            throw new IllegalArgumentException(
                    files.size() + " files scored but " + labels.files().size() + " are labelled");
        }
        Row[] sorted = rows.toArray(new Row[0]);
        Arrays.sort(sorted, (a, b) -> Double.compare(b.score, a.score));
        return sweep(sorted, windowBase, profile);
    }

    /** The total raw score at a fixed threshold, summed per file: to explain a result. */
    public double rawScore(ScoredFile file, CostProfile profile, double threshold) {
        List<Row> rows = new ArrayList<>();
        int windows = weigh(file, profile, 0, rows);
        double[] best = new double[windows];
        boolean[] scorable = new boolean[windows];
        double fp = 0;
        Arrays.fill(best, -profile.fnWeight());
        for (Row r : rows) {
            if (r.window >= 0) {
                scorable[r.window] = true;
            }
            if (r.score < threshold) {
                continue;
            }
            if (r.window == OUTSIDE) {
                fp += r.weight;
            } else {
                best[r.window] = Math.max(best[r.window], r.weight);
            }
        }
        double total = fp;
        for (int w = 0; w < windows; w++) {
            total += scorable[w] ? best[w] : 0;
        }
        return total;
    }

    /** Normalised score of a raw score: 0 for the null detector, 100 for the perfect one. */
    public double normalize(double raw, CostProfile profile) {
        int n = labels.windowCount();
        double perfect = profile.tpWeight() * n;
        double nul = -profile.fnWeight() * n;
        return 100.0 * (raw - nul) / (perfect - nul);
    }

    /**
     * Appends the scorable rows of one file with their weights; window ids start at {@code base}.
     *
     * @return the number of windows of the file
     */
    private int weigh(ScoredFile file, CostProfile profile, int base, List<Row> out) {
        List<AnomalyWindow> windows = labels.windows(file.relativePath());
        List<LocalDateTime> ts = file.timestamps();
        int n = ts.size();
        int[] left = new int[windows.size()];
        int[] right = new int[windows.size()];
        for (int w = 0; w < windows.size(); w++) {
            left[w] = firstAtOrAfter(ts, windows.get(w).start());
            right[w] = firstAtOrAfter(ts, windows.get(w).end().plusNanos(1)) - 1;
        }
        double maxTp = scaledSigmoid(-1.0);
        double probation = probationRows(n);
        int next = 0;
        int prevRight = -1;
        double prevWidth = 0;
        for (int i = 0; i < n; i++) {
            while (next < windows.size() && right[next] < i) {
                if (right[next] >= left[next]) {
                    prevRight = right[next];
                    prevWidth = right[next] - left[next] + 1;
                }
                next++;
            }
            boolean inside = next < windows.size() && left[next] <= i && i <= right[next];
            double weight;
            int window;
            if (inside) {
                double width = right[next] - left[next] + 1;
                weight = scaledSigmoid(-(right[next] - i + 1) / width) * profile.tpWeight() / maxTp;
                window = base + next;
            } else {
                double position =
                        prevRight < 0 || prevWidth <= 1
                                ? 3.0
                                : Math.abs(prevRight - i) / (prevWidth - 1);
                weight = scaledSigmoid(position) * profile.fpWeight();
                window = OUTSIDE;
            }
            if (i < probation) {
                window = PROBATION;
            }
            if (window != PROBATION) {
                out.add(new Row(file.scores()[i], weight, window));
            }
        }
        return windows.size();
    }

    private ThresholdCurve sweep(Row[] sorted, int windows, CostProfile profile) {
        double[] best = new double[windows];
        boolean[] scorable = new boolean[windows];
        double windowTotal = 0;
        for (Row r : sorted) {
            if (r.window >= 0 && !scorable[r.window]) {
                scorable[r.window] = true;
                best[r.window] = -profile.fnWeight();
                windowTotal -= profile.fnWeight();
            }
        }
        int scorableWindows = 0;
        for (boolean s : scorable) {
            scorableWindows += s ? 1 : 0;
        }
        boolean[] detected = new boolean[windows];
        ThresholdCurve.Builder curve = new ThresholdCurve.Builder(this, profile, scorableWindows);
        // Above every score nothing is detected.
        curve.add(Double.POSITIVE_INFINITY, windowTotal, 0, 0);
        double fpTotal = 0;
        int fpCount = 0;
        int detectedCount = 0;
        for (int i = 0; i < sorted.length; i++) {
            Row r = sorted[i];
            if (r.window == OUTSIDE) {
                fpTotal += r.weight;
                fpCount++;
            } else {
                if (!detected[r.window]) {
                    detected[r.window] = true;
                    detectedCount++;
                }
                if (r.weight > best[r.window]) {
                    windowTotal += r.weight - best[r.window];
                    best[r.window] = r.weight;
                }
            }
            if (i + 1 == sorted.length || sorted[i + 1].score != r.score) {
                curve.add(r.score, fpTotal + windowTotal, detectedCount, fpCount);
            }
        }
        return curve.build();
    }

    private static int firstAtOrAfter(List<LocalDateTime> ts, LocalDateTime t) {
        int lo = 0;
        int hi = ts.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ts.get(mid).isBefore(t)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private record Row(double score, double weight, int window) {}
}

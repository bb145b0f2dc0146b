package io.tocsin.bench.nab;

import io.tocsin.anomaly.CsvDetection;
import io.tocsin.anomaly.DetectorSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Tocsin's anomaly detector on the Numenta Anomaly Benchmark: runs the job's detector classes over
 * every NAB data file (what {@code tocsin detect} does), scores the results with {@link NabScorer}
 * under the three profiles, and prints the scores, the runtime, the detector's throughput and its
 * state per series. Usage: {@code ./tocsin bench nab [--help]}.
 */
public final class NabBenchmark {

    static final String USAGE =
            """
            Usage: ./tocsin bench nab [OPTIONS]

              --nab DIR       NAB root with data/, labels/ and config/   (default ../shared/nab)
              --out DIR       where the detector's results files go      (default a temp dir)
              --results DIR   score existing results (NAB layout, e.g. DIR=reference/numenta)
                              instead of running the detector

            Scores follow NAB: probation, scaled sigmoid in windows, FP discount after a window,
            one corpus threshold per profile found by NAB's own optimiser (what the published
            scoreboard used; also shown: the best threshold over all distinct scores).
            """;

    private NabBenchmark() {}

    /** One benchmark run's numbers. */
    public record Report(
            List<ProfileScore> nab,
            List<ProfileScore> best,
            CsvDetection.Result detection,
            double detectSeconds,
            double scoreSeconds) {

        public ProfileScore nab(String profile) {
            return nab.stream()
                    .filter(p -> p.profile().name().equals(profile))
                    .findFirst()
                    .orElseThrow();
        }
    }

    public static void main(String[] args) throws Exception {
        Path nab = Path.of("../shared/nab");
        Path out = null;
        Path results = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--nab" -> nab = Path.of(value(args, ++i));
                case "--out" -> out = Path.of(value(args, ++i));
                case "--results" -> results = Path.of(value(args, ++i));
                case "--help", "-h" -> {
                    System.out.print(USAGE);
                    return;
                }
                default -> {
                    System.err.print("bench nab: unknown option " + args[i] + "\n" + USAGE);
                    System.exit(2);
                }
            }
        }
        if (!Files.isDirectory(nab.resolve("data"))) {
            System.err.println("bench nab: " + nab + " has no data/ directory (see --nab)");
            System.exit(2);
        }
        if (results == null && out == null) {
            out = Files.createTempDirectory("tocsin-nab-");
        }
        Report r = run(nab, results != null ? results : out, results == null);
        print(r, nab, results != null ? results : out, System.out);
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    /** Runs the detector into {@code results} (when {@code detect}) and scores {@code results}. */
    public static Report run(Path nab, Path results, boolean detect) throws IOException {
        CsvDetection.Result detection = null;
        double detectSeconds = 0;
        if (detect) {
            long start = System.nanoTime();
            detection = CsvDetection.run(nab.resolve("data"), results, DetectorSettings.DEFAULTS);
            detectSeconds = (System.nanoTime() - start) / 1e9;
        }
        long start = System.nanoTime();
        NabLabels labels = NabLabels.load(nab.resolve("labels/combined_windows.json"));
        List<ScoredFile> files = NabResults.read(results, labels);
        NabScorer scorer = new NabScorer(labels);
        List<ProfileScore> nabScores = new ArrayList<>();
        List<ProfileScore> bestScores = new ArrayList<>();
        for (CostProfile p : CostProfile.load(nab.resolve("config/profiles.json"))) {
            ThresholdCurve curve = scorer.curve(files, p);
            nabScores.add(curve.nabTwiddle());
            bestScores.add(curve.best());
        }
        double scoreSeconds = (System.nanoTime() - start) / 1e9;
        return new Report(nabScores, bestScores, detection, detectSeconds, scoreSeconds);
    }

    static void print(Report r, Path nab, Path results, PrintStream out) {
        out.printf(Locale.ROOT, "NAB %s, results in %s%n", nab, results);
        out.printf(
                Locale.ROOT,
                "%-20s %8s %10s %9s %6s   %s%n",
                "profile",
                "score",
                "threshold",
                "windows",
                "FPs",
                "best threshold: score");
        for (int i = 0; i < r.nab().size(); i++) {
            ProfileScore p = r.nab().get(i);
            ProfileScore b = r.best().get(i);
            out.printf(
                    Locale.ROOT,
                    "%-20s %8.2f %10.4f %5d/%-3d %6d   %.2f%n",
                    p.profile().name(),
                    p.normalized(),
                    p.threshold(),
                    p.windowsDetected(),
                    p.windowsDetected() + p.windowsMissed(),
                    p.falsePositives(),
                    b.normalized());
        }
        CsvDetection.Result d = r.detection();
        if (d != null) {
            out.printf(
                    Locale.ROOT,
                    "runtime: detect %.1f s (%d files, %d points; detector alone %.2f s = %,.0f"
                            + " points/s on one core), score %.1f s%n",
                    r.detectSeconds(),
                    d.files(),
                    d.points(),
                    d.detectNanos() / 1e9,
                    d.points() / (d.detectNanos() / 1e9),
                    r.scoreSeconds());
            out.printf(
                    Locale.ROOT,
                    "state: %.0f bytes per series on average, %d at most (detector state at the end"
                            + " of each file)%n",
                    d.meanStateBytes(),
                    d.maxStateBytes());
        } else {
            out.printf(Locale.ROOT, "runtime: score %.1f s%n", r.scoreSeconds());
        }
    }
}

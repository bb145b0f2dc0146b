package io.tocsin.bench.nab;

import io.tocsin.anomaly.CsvDetection;
import io.tocsin.config.DetectorSettings;
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
              --no-cv         skip the cross-validation (detector and baselines, ~1 min)

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
        boolean cv = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--nab" -> nab = Path.of(value(args, ++i));
                case "--out" -> out = Path.of(value(args, ++i));
                case "--results" -> results = Path.of(value(args, ++i));
                case "--no-cv" -> cv = false;
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
        if (results == null) {
            System.out.println(detectorSpeed(nab));
        }
        if (cv && results == null) {
            System.out.println();
            printCrossValidation(crossValidate(nab, Detectors.all()), System.out);
        }
    }

    /**
     * The detector alone on one core, warmed up: the best of five passes over the corpus in memory
     * (the first pass of {@link #run} includes the JIT's warm-up).
     */
    static String detectorSpeed(Path nab) throws IOException {
        NabCorpus corpus =
                NabCorpus.load(
                        nab.resolve("data"),
                        NabLabels.load(nab.resolve("labels/combined_windows.json")));
        double best = 0;
        long points = 0;
        for (int pass = 0; pass < 5; pass++) {
            long start = System.nanoTime();
            List<ScoredFile> files =
                    corpus.score(Detectors.tocsinDefaults().grid().get(0).scorers());
            double seconds = (System.nanoTime() - start) / 1e9;
            points = files.stream().mapToLong(f -> f.scores().length).sum();
            best = Math.max(best, points / seconds);
        }
        return String.format(
                Locale.ROOT,
                "speed: detector alone, warmed up, best of 5 passes: %,.0f points/s on one core",
                best);
    }

    /** Cross-validates every family under the standard profile (see {@link CrossValidation}). */
    public static List<CrossValidation.Result> crossValidate(
            Path nab, List<DetectorFamily> families) throws IOException {
        NabLabels labels = NabLabels.load(nab.resolve("labels/combined_windows.json"));
        NabCorpus corpus = NabCorpus.load(nab.resolve("data"), labels);
        CostProfile standard =
                CostProfile.load(nab.resolve("config/profiles.json")).stream()
                        .filter(p -> p.name().equals("standard"))
                        .findFirst()
                        .orElseThrow();
        CrossValidation cv = new CrossValidation(corpus, labels, standard);
        List<CrossValidation.Result> out = new ArrayList<>();
        for (DetectorFamily f : families) {
            out.add(cv.run(f));
        }
        return out;
    }

    static void printCrossValidation(List<CrossValidation.Result> results, PrintStream out) {
        out.println(
                "Leave-one-category-out cross-validation, standard profile: setting and threshold"
                        + " chosen on the other six categories, scored on the held-out one"
                        + " (normalised over its windows; artificialNoAnomaly has none: its raw"
                        + " score, 0 = no false positive).");
        List<String> categories =
                results.get(0).folds().stream().map(CrossValidation.Fold::category).toList();
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-22s", "held out"));
        for (CrossValidation.Result r : results) {
            header.append(String.format(Locale.ROOT, " %13s", abbreviate(r.family())));
        }
        out.println(header);
        for (String c : categories) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-22s", c));
            for (CrossValidation.Result r : results) {
                ProfileScore p = r.fold(c).score();
                line.append(
                        Double.isNaN(p.normalized())
                                ? String.format(
                                        Locale.ROOT, " %8.3f (%2d)", p.raw(), p.falsePositives())
                                : String.format(Locale.ROOT, " %13.2f", p.normalized()));
            }
            out.println(line);
        }
        StringBuilder overall =
                new StringBuilder(String.format(Locale.ROOT, "%-22s", "overall (CV)"));
        StringBuilder inSample =
                new StringBuilder(String.format(Locale.ROOT, "%-22s", "in-sample (best)"));
        StringBuilder counts =
                new StringBuilder(String.format(Locale.ROOT, "%-22s", "CV windows / FPs"));
        for (CrossValidation.Result r : results) {
            overall.append(String.format(Locale.ROOT, " %13.2f", r.normalized()));
            inSample.append(String.format(Locale.ROOT, " %13.2f", r.inSample().normalized()));
            counts.append(
                    String.format(
                            Locale.ROOT,
                            " %13s",
                            r.windowsDetected() + "/116 " + r.falsePositives()));
        }
        out.println(overall);
        out.println(inSample);
        out.println(counts);
        out.println("(raw score (false positives) for a category without windows)");
        for (CrossValidation.Result r : results) {
            out.printf(
                    Locale.ROOT,
                    "%s: in-sample setting %s; per fold:",
                    r.family(),
                    r.inSampleSetting());
            for (CrossValidation.Fold f : r.folds()) {
                out.printf(
                        Locale.ROOT,
                        " %s=[%s @%.4f]",
                        shortCategory(f.category()),
                        f.setting(),
                        f.threshold());
            }
            out.printf(
                    Locale.ROOT,
                    "; %,.0f points/s%n",
                    r.points() * (double) r.settings() / (r.nanos() / 1e9));
        }
    }

    private static String abbreviate(String family) {
        return family.length() <= 13 ? family : family.substring(0, 13);
    }

    private static String shortCategory(String c) {
        return c.replace("artificial", "art").replace("real", "");
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

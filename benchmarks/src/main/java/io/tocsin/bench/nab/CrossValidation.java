package io.tocsin.bench.nab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Leave-one-category-out cross-validation on NAB: for each of its categories, a detector's setting
 * (a point of its {@link DetectorFamily#grid()}) and its threshold are chosen by the total score on
 * the other categories, then the held-out category is scored with them. The held-out results added
 * up over every category give the detector's cross-validated score, which no choice made on the
 * scored data can inflate; the in-sample score (setting and threshold chosen on everything) is
 * reported beside it.
 */
public final class CrossValidation {

    /**
     * One held-out category.
     *
     * @param category the category scored
     * @param setting the setting chosen on the other categories
     * @param threshold the threshold chosen on the other categories
     * @param score the category's result with them (normalised over its own windows; NaN for a
     *     category without windows, whose raw score is its false positives' cost)
     */
    public record Fold(String category, String setting, double threshold, ProfileScore score) {}

    /**
     * A detector's results.
     *
     * @param family the detector's name
     * @param folds one per category, in category order
     * @param raw the held-out raw scores added up
     * @param normalized {@code raw} normalised over the whole corpus
     * @param windowsDetected held-out windows detected, over all folds
     * @param falsePositives held-out false positives, over all folds
     * @param inSampleSetting the setting with the best total on the whole corpus
     * @param inSample the whole corpus at that setting and its best threshold
     * @param points points scored per setting (every file once)
     * @param settings settings run
     * @param nanos time spent scoring, over all settings
     */
    public record Result(
            String family,
            List<Fold> folds,
            double raw,
            double normalized,
            int windowsDetected,
            int falsePositives,
            String inSampleSetting,
            ProfileScore inSample,
            long points,
            int settings,
            long nanos) {

        public Fold fold(String category) {
            return folds.stream()
                    .filter(f -> f.category().equals(category))
                    .findFirst()
                    .orElseThrow();
        }
    }

    private final NabCorpus corpus;
    private final NabLabels labels;
    private final CostProfile profile;
    private final List<String> categories;
    private final Map<String, NabScorer> categoryScorers = new LinkedHashMap<>();

    public CrossValidation(NabCorpus corpus, NabLabels labels, CostProfile profile) {
        this.corpus = corpus;
        this.labels = labels;
        this.profile = profile;
        this.categories = corpus.categories();
        for (String c : categories) {
            List<String> files = new ArrayList<>();
            corpus.series().stream()
                    .filter(s -> s.category().equals(c))
                    .forEach(s -> files.add(s.relativePath()));
            categoryScorers.put(c, new NabScorer(labels.only(files)));
        }
    }

    public List<String> categories() {
        return categories;
    }

    /** Runs every setting of {@code family} over the corpus and cross-validates the choice. */
    public Result run(DetectorFamily family) {
        int n = family.grid().size();
        int k = categories.size();
        double[][] trainTotal = new double[n][k];
        double[][] trainThreshold = new double[n][k];
        ProfileScore[][] heldOut = new ProfileScore[n][k];
        double[] allTotal = new double[n];
        double[] allThreshold = new double[n];
        int[][] allCounts = new int[n][3];
        long points = 0;
        long nanos = 0;
        NabScorer whole = new NabScorer(labels);
        for (int s = 0; s < n; s++) {
            long start = System.nanoTime();
            List<ScoredFile> files = corpus.score(family.grid().get(s).scorers());
            nanos += System.nanoTime() - start;
            points = files.stream().mapToLong(f -> f.scores().length).sum();
            List<ThresholdCurve> curves = new ArrayList<>();
            for (String c : categories) {
                List<ScoredFile> part =
                        files.stream()
                                .filter(f -> NabCorpus.categoryOf(f.relativePath()).equals(c))
                                .toList();
                curves.add(categoryScorers.get(c).curve(part, profile));
            }
            double[] all = ThresholdCurve.bestOfSum(curves);
            allThreshold[s] = all[0];
            allTotal[s] = all[1];
            for (ThresholdCurve c : curves) {
                ProfileScore p = c.at(all[0]);
                allCounts[s][0] += p.windowsDetected();
                allCounts[s][1] += p.windowsMissed();
                allCounts[s][2] += p.falsePositives();
            }
            for (int c = 0; c < k; c++) {
                List<ThresholdCurve> train = new ArrayList<>(curves);
                train.remove(c);
                double[] best = ThresholdCurve.bestOfSum(train);
                trainThreshold[s][c] = best[0];
                trainTotal[s][c] = best[1];
                heldOut[s][c] = curves.get(c).at(best[0]);
            }
        }
        List<Fold> folds = new ArrayList<>();
        double raw = 0;
        int detected = 0;
        int fps = 0;
        for (int c = 0; c < k; c++) {
            int chosen = 0;
            for (int s = 1; s < n; s++) {
                if (trainTotal[s][c] > trainTotal[chosen][c]) {
                    chosen = s;
                }
            }
            ProfileScore p = heldOut[chosen][c];
            folds.add(
                    new Fold(
                            categories.get(c),
                            family.grid().get(chosen).label(),
                            trainThreshold[chosen][c],
                            p));
            raw += p.raw();
            detected += p.windowsDetected();
            fps += p.falsePositives();
        }
        int best = 0;
        for (int s = 1; s < n; s++) {
            if (allTotal[s] > allTotal[best]) {
                best = s;
            }
        }
        ProfileScore inSample =
                new ProfileScore(
                        profile,
                        allThreshold[best],
                        allTotal[best],
                        whole.normalize(allTotal[best], profile),
                        allCounts[best][0],
                        allCounts[best][1],
                        allCounts[best][2]);
        return new Result(
                family.name(),
                folds,
                raw,
                whole.normalize(raw, profile),
                detected,
                fps,
                family.grid().get(best).label(),
                inSample,
                points,
                n,
                nanos);
    }
}

package io.tocsin.bench.nab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scorer against the published result (what makes every other number trustworthy), then its
 * rules one by one on a tiny corpus.
 */
class NabScorerTest {

    private static final CostProfile STANDARD = new CostProfile("standard", 1, 0.11, 1);

    @Test
    void reproducesThePublishedNumentaHtmResult() throws IOException {
        Path nab = NabData.root();
        NabLabels labels = NabLabels.load(nab.resolve("labels/combined_windows.json"));
        List<ScoredFile> files = NabResults.read(nab.resolve("reference/numenta"), labels);
        NabScorer scorer = new NabScorer(labels);
        Map<String, Double> published =
                Map.of("standard", 70.10, "reward_low_FP_rate", 63.12, "reward_low_FN_rate", 74.32);
        List<CostProfile> profiles = CostProfile.load(nab.resolve("config/profiles.json"));
        assertThat(profiles)
                .extracting(CostProfile::name)
                .containsExactlyInAnyOrderElementsOf(published.keySet());
        for (CostProfile p : profiles) {
            ProfileScore nabScore = scorer.curve(files, p).nabTwiddle();
            assertThat(nabScore.normalized())
                    .as(p.name())
                    .isCloseTo(published.get(p.name()), within(0.005));
        }
        ProfileScore standard = scorer.curve(files, profiles.get(0)).nabTwiddle();
        assertThat(labels.windowCount()).isEqualTo(116);
        assertThat(standard.raw())
                .as("published raw standard score")
                .isCloseTo(46.63, within(0.005));
        assertThat(standard.threshold()).isCloseTo(0.5421876907348634, within(1e-6));
    }

    @Test
    void theBestThresholdFindsSlightlyMoreThanNabsOwnSearchOnLowFp() throws IOException {
        // NAB's hill climb stops at a local maximum for reward_low_FP; the exhaustive sweep
        // does not. Standard and low-FN agree.
        Path nab = NabData.root();
        NabLabels labels = NabLabels.load(nab.resolve("labels/combined_windows.json"));
        List<ScoredFile> files = NabResults.read(nab.resolve("reference/numenta"), labels);
        NabScorer scorer = new NabScorer(labels);
        List<Double> best = new ArrayList<>();
        for (CostProfile p : CostProfile.load(nab.resolve("config/profiles.json"))) {
            best.add(Math.round(scorer.score(files, p).normalized() * 100) / 100.0);
        }
        assertThat(best).containsExactly(70.10, 63.21, 74.32);
    }

    // The tiny corpus: one file of 100 rows, one minute apart; probation is its first 15 rows.

    private static final DateTimeFormatter LABEL_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    @TempDir Path dir;

    private static LocalDateTime row(int i) {
        return LocalDateTime.of(2020, 1, 1, 0, 0).plusMinutes(i);
    }

    private NabScorer scorerWithWindows(int... bounds) throws IOException {
        StringBuilder json = new StringBuilder("{\"c/f.csv\": [");
        for (int w = 0; w < bounds.length; w += 2) {
            json.append(w == 0 ? "" : ",")
                    .append("[\"")
                    .append(LABEL_TIME.format(row(bounds[w])))
                    .append("\", \"")
                    .append(LABEL_TIME.format(row(bounds[w + 1])))
                    .append("\"]");
        }
        json.append("]}");
        Path f = dir.resolve("windows.json");
        Files.writeString(f, json);
        return new NabScorer(NabLabels.load(f));
    }

    private static ScoredFile detections(int... rows) {
        List<LocalDateTime> ts = new ArrayList<>();
        double[] scores = new double[100];
        for (int i = 0; i < 100; i++) {
            ts.add(row(i));
        }
        for (int r : rows) {
            scores[r] = 1;
        }
        return new ScoredFile("c/f.csv", ts, scores);
    }

    private static double raw(NabScorer scorer, int... detectedRows) {
        return scorer.rawScore(detections(detectedRows), STANDARD, 0.5);
    }

    @Test
    void aMissedWindowCostsOneAndADetectionAtItsLeftEdgeEarnsOne() throws IOException {
        NabScorer s = scorerWithWindows(40, 59);
        assertThat(raw(s)).isEqualTo(-1.0);
        assertThat(raw(s, 40)).isCloseTo(1.0, within(1e-12));
        assertThat(raw(s, 59))
                .as("at the right edge: sigmoid of -1/20, scaled")
                .isCloseTo(
                        (2 / (1 + Math.exp(-5.0 / 20)) - 1) / (2 / (1 + Math.exp(-5)) - 1),
                        within(1e-12));
    }

    @Test
    void onlyTheEarliestDetectionInAWindowCounts() throws IOException {
        NabScorer s = scorerWithWindows(40, 59);
        assertThat(raw(s, 45, 50, 55)).isEqualTo(raw(s, 45));
    }

    @Test
    void windowEndsAreInclusiveAndRowsJustOutsideAreFalsePositives() throws IOException {
        NabScorer s = scorerWithWindows(40, 59);
        assertThat(raw(s, 39))
                .as("before any window: full A_FP")
                .isCloseTo(-1 - 0.11, within(1e-12));
        double justAfter = raw(s, 60) + 1;
        assertThat(justAfter)
                .as("right after the window: discounted by the sigmoid of 1/19")
                .isCloseTo(0.11 * (2 / (1 + Math.exp(5.0 / 19)) - 1), within(1e-12));
        assertThat(raw(s, 99) + 1).as("far after: nearly full A_FP").isCloseTo(-0.11, within(1e-3));
    }

    @Test
    void probationRowsAreNeverScored() throws IOException {
        NabScorer s = scorerWithWindows(40, 59);
        assertThat(NabScorer.probationRows(100)).isEqualTo(15);
        assertThat(NabScorer.probationRows(10_000)).isEqualTo(750);
        assertThat(raw(s, 3, 14)).isEqualTo(-1.0);
        assertThat(raw(s, 15)).isCloseTo(-1.11, within(1e-12));
    }

    @Test
    void theSweepKeepsTheBestThresholdAndNormalisesBetweenNullAndPerfect() throws IOException {
        NabScorer s = scorerWithWindows(40, 59);
        double[] scores = new double[100];
        scores[20] = 0.9; // a false positive, scored above the true detection
        scores[41] = 0.7;
        List<LocalDateTime> ts = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ts.add(row(i));
        }
        ScoredFile f = new ScoredFile("c/f.csv", ts, scores);
        ThresholdCurve curve = s.curve(List.of(f), STANDARD);
        ProfileScore best = curve.best();
        assertThat(best.threshold()).isEqualTo(0.7);
        assertThat(best.windowsDetected()).isEqualTo(1);
        assertThat(best.falsePositives()).isEqualTo(1);
        assertThat(best.raw()).isCloseTo(raw(s, 20, 41), within(1e-12));
        assertThat(best.normalized()).isCloseTo(100 * (best.raw() + 1) / 2, within(1e-12));
        assertThat(curve.at(0.95).raw()).as("nothing detected: the null score").isEqualTo(-1.0);
        assertThat(curve.at(0.95).normalized()).isZero();
    }

    @Test
    void resultsFilesAreFoundWithOrWithoutADetectorPrefix() throws IOException {
        Files.createDirectories(dir.resolve("c"));
        Files.writeString(dir.resolve("c/numenta_f.csv"), "timestamp,value,anomaly_score\n");
        assertThat(NabResults.find(dir, "c/f.csv")).isEqualTo(dir.resolve("c/numenta_f.csv"));
        Files.writeString(dir.resolve("c/f.csv"), "timestamp,value,anomaly_score\n");
        assertThat(NabResults.find(dir, "c/f.csv")).isEqualTo(dir.resolve("c/f.csv"));
    }
}

package io.tocsin.bench.nab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The honest protocol on NAB: the detector at its defaults against the untuned baselines, each
 * category scored with the threshold chosen on the other six. The detector must beat EWMA and NAB's
 * windowed Gaussian on every held-out category and overall (benchmarks/nab/README.md has the full
 * table with the tuned grids, from {@code ./tocsin bench nab}).
 */
class CrossValidationTest {

    @Test
    void theDetectorBeatsTheBaselinesOnEveryHeldOutCategory() throws Exception {
        Path nab = NabData.root();
        List<CrossValidation.Result> r =
                NabBenchmark.crossValidate(
                        nab,
                        List.of(
                                Detectors.tocsinDefaults(),
                                Detectors.ewmaUntuned(),
                                Detectors.windowedGaussian()));
        CrossValidation.Result tocsin = r.get(0);
        assertThat(tocsin.folds()).hasSize(7);
        for (CrossValidation.Result baseline : r.subList(1, 3)) {
            for (CrossValidation.Fold f : tocsin.folds()) {
                ProfileScore mine = f.score();
                ProfileScore theirs = baseline.fold(f.category()).score();
                // A category without windows has no normalised score: compare raw (FP cost).
                assertThat(mine.raw())
                        .as("%s against %s", f.category(), baseline.family())
                        .isGreaterThanOrEqualTo(theirs.raw());
            }
            assertThat(tocsin.normalized())
                    .as("overall against " + baseline.family())
                    .isGreaterThan(baseline.normalized() + 20);
        }
        assertThat(tocsin.normalized()).as("cross-validated overall").isGreaterThan(72);
    }
}

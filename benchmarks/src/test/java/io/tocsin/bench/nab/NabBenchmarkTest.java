package io.tocsin.bench.nab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job's detector over the whole NAB corpus (a few seconds): its scores must not fall below
 * where they stand (benchmarks/nab/README.md), so a change that costs detection quality fails here.
 */
class NabBenchmarkTest {

    @TempDir Path results;

    @Test
    void theDetectorStaysAboveItsFloorOnEveryProfile() throws Exception {
        NabBenchmark.Report r = NabBenchmark.run(NabData.root(), results, true);
        assertThat(r.detection().files()).isEqualTo(58);
        assertThat(r.nab("standard").normalized()).as("standard").isGreaterThan(73.0);
        assertThat(r.nab("reward_low_FP_rate").normalized()).as("low FP").isGreaterThan(66.0);
        assertThat(r.nab("reward_low_FN_rate").normalized()).as("low FN").isGreaterThan(77.2);
        assertThat(r.detection().maxStateBytes()).as("bytes per series").isLessThan(800);
    }
}

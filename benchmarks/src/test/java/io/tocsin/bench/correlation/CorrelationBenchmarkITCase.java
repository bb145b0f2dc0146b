package io.tocsin.bench.correlation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.config.Policy;
import io.tocsin.pipeline.BacktestSinks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness end to end: Tocsin's backtest runs in-process over the generated files and sees the
 * same alerts the truth names (same fingerprints), both methods score, and on one small fixed
 * scenario per family the quality stays above floors set a little under what the current correlator
 * measures there (so a regression in correlation fails the build; the benchmark itself reports the
 * full figures).
 */
class CorrelationBenchmarkITCase {

    // Measured at the commit that set them: layered 1.000 / 1.000, mesh 0.667 / 1.000, platform
    // 0.800 / 1.000 (F1 / RC@1); Alertmanager by service 0.474, 0.286, 0.286.
    static final double LAYERED_F1 = 0.95;
    static final double LAYERED_RC = 0.9;
    static final double MESH_F1 = 0.6;
    static final double MESH_RC = 0.9;
    static final double PLATFORM_F1 = 0.75;
    static final double PLATFORM_RC = 0.9;

    /**
     * One fixed scenario and the floors it must clear.
     *
     * @param minF1 pairwise F1 at least
     * @param minRootCause root-cause top-1 at least
     */
    record Floor(
            ScenarioFamily family,
            long seed,
            int size,
            Duration hours,
            Duration warmup,
            double minF1,
            double minRootCause) {}

    static final List<Floor> FLOORS =
            List.of(
                    new Floor(
                            ScenarioFamily.LAYERED,
                            4,
                            40,
                            Duration.ofHours(1),
                            Duration.ZERO,
                            LAYERED_F1,
                            LAYERED_RC),
                    new Floor(
                            ScenarioFamily.MESH,
                            2,
                            48,
                            Duration.ofHours(1),
                            Duration.ofHours(2),
                            MESH_F1,
                            MESH_RC),
                    new Floor(
                            ScenarioFamily.PLATFORM,
                            2,
                            48,
                            Duration.ofHours(1),
                            Duration.ofHours(2),
                            PLATFORM_F1,
                            PLATFORM_RC));

    @Test
    void qualityOnOneFixedScenarioPerFamilyStaysAboveItsFloor(@TempDir Path root) throws Exception {
        for (Floor f : FLOORS) {
            Scenario s = f.family().generate(f.seed(), f.size(), f.hours(), f.warmup());
            Path dir = root.resolve(f.family().id());
            s.write(dir);
            Path out = dir.resolve("tocsin");
            CorrelationBenchmark.backtest(dir, out, Policy.defaults(), 2);
            List<EpisodeKey> keys =
                    s.truth().episodes().stream().map(GroundTruth.Episode::key).toList();
            Scorer.Score tocsin =
                    Scorer.score(
                            s.truth(),
                            IncidentEventsReader.read(
                                    out.resolve(BacktestSinks.INCIDENT_EVENTS), keys));
            Scorer.Score am =
                    Scorer.score(
                            s.truth(),
                            AlertmanagerBaseline.group(
                                    s.alertLines(),
                                    AlertmanagerBaseline.Options.groupBy(
                                            List.of("cluster", "service"))));
            System.err.printf(
                    "%s: tocsin F1 %.3f RC %.3f lost %d; am[cluster,service] F1 %.3f%n",
                    f.family().id(), tocsin.f1(), tocsin.rootCauseTop1(), tocsin.lost(), am.f1());
            assertThat(tocsin.lost()).as(f.family().id() + ": lost episodes").isZero();
            assertThat(tocsin.f1()).as(f.family().id() + ": F1").isGreaterThanOrEqualTo(f.minF1());
            assertThat(tocsin.rootCauseTop1())
                    .as(f.family().id() + ": root cause top-1")
                    .isGreaterThanOrEqualTo(f.minRootCause());
            assertThat(tocsin.f1())
                    .as(f.family().id() + ": better than Alertmanager grouping by service")
                    .isGreaterThan(am.f1());
        }
    }

    @Test
    void tocsinAndTheBaselineScoreOnTheSameEpisodes(@TempDir Path dir) throws Exception {
        Scenario s =
                ScenarioGenerator.generate(
                        4, ScenarioGenerator.Settings.forSize(15).withHorizon(Duration.ofHours(1)));
        s.write(dir);
        Path out = dir.resolve("tocsin");
        CorrelationBenchmark.backtest(dir, out, Policy.defaults(), 2);

        Set<String> truthFingerprints = new HashSet<>();
        for (GroundTruth.Episode e : s.truth().episodes()) {
            truthFingerprints.add(e.fingerprint());
        }
        Set<String> transitions = new HashSet<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(out.resolve(BacktestSinks.TRANSITIONS))) {
            transitions.add(json.readTree(line).get("fingerprint").asText());
        }
        assertThat(transitions).isEqualTo(truthFingerprints);
        assertThat(Files.readAllLines(out.resolve(BacktestSinks.DEAD_LETTERS))).isEmpty();

        List<EpisodeKey> keys =
                s.truth().episodes().stream().map(GroundTruth.Episode::key).toList();
        Assignment tocsin =
                IncidentEventsReader.read(out.resolve(BacktestSinks.INCIDENT_EVENTS), keys);
        Assignment am =
                AlertmanagerBaseline.group(
                        s.alertLines(),
                        AlertmanagerBaseline.Options.groupBy(List.of("cluster", "alertname")));
        assertThat(tocsin.placements()).isNotEmpty();
        assertThat(tocsin.incidents()).isPositive();
        assertThat(am.placements().keySet()).containsExactlyInAnyOrderElementsOf(keys);
        for (Assignment a : List.of(tocsin, am)) {
            Scorer.Score score = Scorer.score(s.truth(), a);
            assertThat(score.episodes()).isEqualTo(keys.size());
            assertThat(score.f1()).isBetween(0.0, 1.0);
            assertThat(score.ari()).isBetween(-1.0, 1.0);
        }
    }

    @Test
    void seedListsAndRanges() {
        assertThat(CorrelationBenchmark.Options.longs("1-3,7")).containsExactly(1L, 2L, 3L, 7L);
        CorrelationBenchmark.Options o =
                CorrelationBenchmark.Options.parse(
                        new String[] {"--seeds", "4", "--sizes", "15,40", "--group-by", "cluster"});
        assertThat(o.seeds()).containsExactly(4L);
        assertThat(o.sizes()).containsExactly(15, 40);
        assertThat(o.groupBys()).containsExactly(List.of("cluster"));
    }
}

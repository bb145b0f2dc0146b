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
 * The harness end to end on a small scenario: Tocsin's backtest runs in-process over the generated
 * files and sees the same alerts the truth names (same fingerprints), and both methods score.
 * Correlation quality itself is what the benchmark reports, not what this test pins.
 */
class CorrelationBenchmarkITCase {

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

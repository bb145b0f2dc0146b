package io.tocsin.bench.correlation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Scores of small assignments worked out by hand. The truth: fault A (root db) = episodes a, b, c;
 * fault B (root cache) = episodes d, e. 5 episodes, 10 pairs, 4 of them true (ab, ac, bc, de).
 */
class ScorerTest {

    static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");

    static final GroundTruth TRUTH =
            new GroundTruth(
                    "test",
                    0,
                    3,
                    List.of("c1"),
                    T0,
                    T0.plusSeconds(600),
                    0,
                    List.of(fault("A", "db", T0, 3), fault("B", "cache", T0.plusSeconds(180), 2)),
                    List.of(
                            episode("a", 0, "A"),
                            episode("b", 60, "A"),
                            episode("c", 120, "A"),
                            episode("d", 180, "B"),
                            episode("e", 240, "B")),
                    null);

    @Test
    void perfectAssignmentScoresOne() {
        Scorer.Score s =
                Scorer.score(
                        TRUTH,
                        assignment(
                                Map.of("a", "I1", "b", "I1", "c", "I1", "d", "I2", "e", "I2"),
                                Map.of("I1", "db", "I2", "cache"),
                                2));
        assertThat(s.precision()).isEqualTo(1.0);
        assertThat(s.recall()).isEqualTo(1.0);
        assertThat(s.f1()).isEqualTo(1.0);
        assertThat(s.ari()).isEqualTo(1.0);
        assertThat(s.compression()).isCloseTo(0.6, within(1e-12)); // 1 - 2/5
        assertThat(s.incidentsPerFault()).isEqualTo(1.0);
        assertThat(s.rootCauseTop1()).isEqualTo(1.0);
        assertThat(s.rootCauseFaults()).isEqualTo(2);
        assertThat(s.lost()).isZero();
    }

    @Test
    void oneEpisodeInTheWrongIncident() {
        // I1 = {a, b}, I2 = {c, d, e}: together = ab + de = 2; predicted pairs = 1 + 3 = 4.
        Scorer.Score s =
                Scorer.score(
                        TRUTH,
                        assignment(
                                Map.of("a", "I1", "b", "I1", "c", "I2", "d", "I2", "e", "I2"),
                                Map.of("I1", "db", "I2", "api"),
                                2));
        assertThat(s.precision()).isEqualTo(0.5); // 2 / 4
        assertThat(s.recall()).isEqualTo(0.5); // 2 / 4
        assertThat(s.f1()).isEqualTo(0.5);
        // expected = 4 * 4 / 10 = 1.6, max = (4 + 4) / 2 = 4: (2 - 1.6) / (4 - 1.6) = 1/6
        assertThat(s.ari()).isCloseTo(1.0 / 6, within(1e-12));
        // A's majority is I1 (db: right); B's is I2 (api, true cache: wrong).
        assertThat(s.rootCauseTop1()).isEqualTo(0.5);
    }

    @Test
    void aLostEpisodeIsASingletonAndCounted() {
        // I1 = {a, b}, I2 = {c, d}, e lost: together = ab = 1; predicted pairs = 1 + 1 = 2.
        Scorer.Score s =
                Scorer.score(
                        TRUTH,
                        assignment(
                                Map.of("a", "I1", "b", "I1", "c", "I2", "d", "I2"),
                                Map.of("I1", "db", "I2", "cache"),
                                2));
        assertThat(s.lost()).isEqualTo(1);
        assertThat(s.precision()).isEqualTo(0.5); // 1 / 2
        assertThat(s.recall()).isEqualTo(0.25); // 1 / 4
        assertThat(s.f1()).isCloseTo(1.0 / 3, within(1e-12));
        // expected = 4 * 2 / 10 = 0.8, max = 3: (1 - 0.8) / (3 - 0.8) = 1/11
        assertThat(s.ari()).isCloseTo(1.0 / 11, within(1e-12));
        // B: I2 holds d (its only placed episode): cache, right.
        assertThat(s.rootCauseTop1()).isEqualTo(1.0);
    }

    @Test
    void allSingletonsHaveNoRecallAndChanceAri() {
        Scorer.Score s =
                Scorer.score(
                        TRUTH,
                        assignment(
                                Map.of("a", "I1", "b", "I2", "c", "I3", "d", "I4", "e", "I5"),
                                Map.of("I1", "db", "I4", "cache"),
                                5));
        assertThat(s.precision()).isEqualTo(1.0); // no predicted pair, none wrong
        assertThat(s.recall()).isZero();
        assertThat(s.f1()).isZero();
        assertThat(s.ari()).isZero();
        assertThat(s.compression()).isZero();
        assertThat(s.incidentsPerFault()).isEqualTo(2.5);
        // A: a tie of three 1-episode incidents goes to the first visible (I1: db); B: I4.
        assertThat(s.rootCauseTop1()).isEqualTo(1.0);
    }

    @Test
    void openDelayIsFromTheFaultsFirstAlertToItsFirstVisibleEpisode() {
        Map<EpisodeKey, Assignment.Placement> p = new HashMap<>();
        p.put(key("a"), new Assignment.Placement("I1", T0.plusSeconds(10)));
        p.put(key("b"), new Assignment.Placement("I1", T0.plusSeconds(65)));
        p.put(key("c"), new Assignment.Placement("I1", T0.plusSeconds(125)));
        p.put(key("d"), new Assignment.Placement("I2", T0.plusSeconds(210))); // B first at 180
        p.put(key("e"), new Assignment.Placement("I2", T0.plusSeconds(245)));
        Scorer.Score s =
                Scorer.score(
                        TRUTH,
                        new Assignment("m", p, Map.of("I1", "db", "I2", "cache"), 2, Set.of(), 0));
        // Delays 10 s (A) and 30 s (B): median of two is their mean, p95 the larger.
        assertThat(s.openDelayMedian()).isEqualTo(Duration.ofSeconds(20));
        assertThat(s.openDelayP95()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void anIncidentOpenedBeforeTheFaultCountsAsNoDelay() {
        Map<EpisodeKey, Assignment.Placement> p = new HashMap<>();
        for (String f : List.of("a", "b", "c", "d", "e")) {
            p.put(key(f), new Assignment.Placement("I1", T0.minusSeconds(5)));
        }
        Scorer.Score s =
                Scorer.score(TRUTH, new Assignment("m", p, Map.of("I1", "db"), 1, Set.of(), 0));
        assertThat(s.openDelayMedian()).isZero();
        assertThat(s.openDelayP95()).isZero();
        assertThat(s.recall()).isEqualTo(1.0);
        assertThat(s.precision()).isEqualTo(0.4); // 4 true of 10 pairs
    }

    @Test
    void explainNamesSplitsMixesAndWrongRootCauses() {
        List<String> lines =
                Scorer.explain(
                        TRUTH,
                        assignment(
                                Map.of("a", "I1", "b", "I1", "c", "I2", "d", "I2", "e", "I2"),
                                Map.of("I1", "db", "I2", "api"),
                                2),
                        10);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).contains("split: A").contains("{I1=2, I2=1}");
        assertThat(lines.get(1)).contains("mixed: I2").contains("A(cascade db x1)");
        assertThat(lines.get(2)).contains("root cause: B true=cache named=api");
    }

    static Assignment assignment(
            Map<String, String> incidentOf, Map<String, String> rootCauses, int incidents) {
        Map<EpisodeKey, Assignment.Placement> p = new HashMap<>();
        int i = 0;
        for (String f : List.of("a", "b", "c", "d", "e")) {
            if (incidentOf.containsKey(f)) {
                p.put(key(f), new Assignment.Placement(incidentOf.get(f), T0.plusSeconds(i)));
            }
            i++;
        }
        return new Assignment("m", p, rootCauses, incidents, Set.of(), 0);
    }

    static EpisodeKey key(String fingerprint) {
        for (GroundTruth.Episode e : TRUTH.episodes()) {
            if (e.fingerprint().equals(fingerprint)) {
                return e.key();
            }
        }
        throw new IllegalArgumentException(fingerprint);
    }

    static GroundTruth.Fault fault(String id, String root, Instant first, int episodes) {
        return new GroundTruth.Fault(
                id, GroundTruth.CASCADE, "c1", root, first, first, List.of(root), episodes);
    }

    static GroundTruth.Episode episode(String fingerprint, int offsetSeconds, String fault) {
        Instant s = T0.plusSeconds(offsetSeconds);
        return new GroundTruth.Episode(
                fingerprint, s, s.plusSeconds(300), s, fault, "c1", "svc", "Alert");
    }
}

package io.tocsin.anomaly;

import static io.tocsin.anomaly.Telemetry.ONSET;
import static io.tocsin.anomaly.Telemetry.POINTS_PER_DAY;
import static io.tocsin.anomaly.Telemetry.daily;
import static io.tocsin.anomaly.Telemetry.noisy;
import static io.tocsin.anomaly.Telemetry.time;
import static io.tocsin.anomaly.Telemetry.values;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.config.AnomalyPolicy;
import io.tocsin.config.DetectorSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The detector on synthetic series, one kind of anomaly per case: a week of a normal noisy metric,
 * then the trouble at {@link Telemetry#ONSET}. Each case must raise an alarm (score at least 0.6)
 * within a few points, and the alert rules must fire, never before the onset.
 */
class SeriesDetectorTest {

    private static final double ALARM = 0.6;

    /**
     * @param maxDelay points after the onset by which the first alarm must come
     * @param sustained whether the anomaly lasts, so the alert rules must fire on it too
     */
    record Case(String name, Telemetry.Shape shape, int maxDelay, boolean sustained) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> anomalies() {
        List<Case> cases =
                List.of(
                        new Case("spike", (i, n) -> noisy(n) + (i == ONSET ? 15 : 0), 0, false),
                        new Case("level shift", (i, n) -> noisy(n) + (i >= ONSET ? 6 : 0), 1, true),
                        new Case(
                                "drift",
                                (i, n) -> noisy(n) + (i >= ONSET ? 0.1 * (i - ONSET) : 0),
                                40,
                                true),
                        new Case(
                                "variance up",
                                (i, n) -> i >= ONSET ? 50 + 5 * n.nextGaussian() : noisy(n),
                                8,
                                true),
                        new Case("stuck value", (i, n) -> i >= ONSET ? 50.25 : noisy(n), 12, true));
        List<Arguments> args = new ArrayList<>();
        for (Case c : cases) {
            LongStream.rangeClosed(1, 3).forEach(seed -> args.add(Arguments.of(c, seed)));
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0}, seed {1}")
    @MethodSource("anomalies")
    void eachKindOfAnomalyRaisesAnAlarmSoonAfterItStartsAndNotBefore(Case c, long seed) {
        double[] v = values(c.shape(), ONSET + 500, seed);
        SeriesDetector detector = new SeriesDetector(DetectorSettings.DEFAULTS);
        AnomalyEpisodes rules = new AnomalyEpisodes(AnomalyPolicy.defaults());
        AnomalyEpisodes.Episode episode = new AnomalyEpisodes.Episode();
        int firstAlarm = -1;
        int fired = -1;
        for (int i = 0; i < v.length; i++) {
            Assessment a = detector.update(time(i), v[i]);
            assertThat(a.score()).isBetween(0.0, 1.0);
            assertThat(a.level()).isBetween(0.0, 1.0);
            AnomalyEpisodes.Step step = rules.onPoint(episode, time(i), a);
            if (i < ONSET) {
                assertThat(step.action())
                        .as("no alert before the onset (point %d)", i)
                        .isEqualTo(AnomalyEpisodes.Action.NONE);
                continue;
            }
            if (firstAlarm < 0 && a.score() >= ALARM) {
                firstAlarm = i - ONSET;
            }
            if (fired < 0 && step.action() == AnomalyEpisodes.Action.FIRE) {
                fired = i - ONSET;
            }
        }
        assertThat(firstAlarm).as("first alarm after the onset").isBetween(0, c.maxDelay());
        if (c.sustained()) {
            assertThat(fired).as("alert fired after the onset").isBetween(0, c.maxDelay() + 5);
        }
    }

    static Stream<Arguments> brokenDays() {
        List<Arguments> args = new ArrayList<>();
        for (long seed = 1; seed <= 3; seed++) {
            args.add(
                    Arguments.of(
                            "inverted",
                            (Telemetry.Shape)
                                    (i, n) ->
                                            i >= ONSET && i < ONSET + POINTS_PER_DAY
                                                    ? 100 - daily(i, n)
                                                    : daily(i, n),
                            seed));
            args.add(
                    Arguments.of(
                            "six hours late",
                            (Telemetry.Shape)
                                    (i, n) ->
                                            i >= ONSET && i < ONSET + POINTS_PER_DAY
                                                    ? daily(i - POINTS_PER_DAY / 4, n)
                                                    : daily(i, n),
                            seed));
        }
        return args.stream();
    }

    @ParameterizedTest(name = "day {0}, seed {1}")
    @MethodSource("brokenDays")
    void aDayThatBreaksTheDailyPatternStandsOut(String name, Telemetry.Shape shape, long seed) {
        double[] v = values(shape, ONSET + POINTS_PER_DAY, seed);
        SeriesDetector detector = new SeriesDetector(DetectorSettings.DEFAULTS);
        double normalDays = 0;
        double brokenDay = 0;
        String strongest = "none";
        for (int i = 0; i < v.length; i++) {
            Assessment a = detector.update(time(i), v[i]);
            if (i >= ONSET - 3 * POINTS_PER_DAY && i < ONSET) {
                normalDays = Math.max(normalDays, a.level());
            } else if (i >= ONSET && a.level() > brokenDay) {
                brokenDay = a.level();
                strongest = a.detector();
            }
        }
        assertThat(brokenDay)
                .as("the broken day's highest level against the three normal days before")
                .isGreaterThan(normalDays)
                .isGreaterThanOrEqualTo(ALARM);
        assertThat(strongest).isEqualTo(SeriesDetector.DAILY_PATTERN);
    }

    @Test
    void aNormalSeriesRaisesNoAlertInTenDays() {
        for (long seed = 1; seed <= 3; seed++) {
            for (Telemetry.Shape shape :
                    List.<Telemetry.Shape>of((i, n) -> noisy(n), Telemetry::daily)) {
                double[] v = values(shape, 10 * POINTS_PER_DAY, seed);
                SeriesDetector detector = new SeriesDetector(DetectorSettings.DEFAULTS);
                AnomalyEpisodes rules = new AnomalyEpisodes(AnomalyPolicy.defaults());
                AnomalyEpisodes.Episode episode = new AnomalyEpisodes.Episode();
                for (int i = 0; i < v.length; i++) {
                    AnomalyEpisodes.Step step =
                            rules.onPoint(episode, time(i), detector.update(time(i), v[i]));
                    assertThat(step.action()).isEqualTo(AnomalyEpisodes.Action.NONE);
                }
            }
        }
    }

    @Test
    void nothingIsScoredDuringTheWarmUp() {
        SeriesDetector detector = new SeriesDetector(DetectorSettings.DEFAULTS);
        double[] v = values((i, n) -> noisy(n) + (i == 100 ? 50 : 0), 150, 1);
        for (int i = 0; i < v.length - 1; i++) {
            assertThat(detector.update(time(i), v[i])).isEqualTo(Assessment.NONE);
        }
    }

    @Test
    void missingValuesAreSkippedWithoutTouchingTheState() {
        SeriesDetector detector = new SeriesDetector(DetectorSettings.DEFAULTS);
        double[] v = values((i, n) -> noisy(n), 500, 1);
        for (int i = 0; i < v.length; i++) {
            detector.update(time(i), v[i]);
        }
        byte[] before = detector.toBytes();
        assertThat(detector.update(time(500), Double.NaN)).isEqualTo(Assessment.NONE);
        assertThat(detector.update(time(501), Double.POSITIVE_INFINITY)).isEqualTo(Assessment.NONE);
        assertThat(detector.toBytes()).isEqualTo(before);
        assertThat(detector.points()).isEqualTo(500);
    }

    @Test
    void aGapBreaksTheSequenceSoTheFirstPointAfterItIsNotANovelTransition() {
        // A sawtooth 0..9: every transition is known after a day. After a two-day outage the
        // series resumes mid-cycle; the jump from before the gap is not a transition.
        Telemetry.Shape saw = (i, n) -> (i % 10) * 10.0 + 0.01 * n.nextGaussian();
        double[] v = values(saw, 3 * POINTS_PER_DAY, 1);
        SeriesDetector detector = new SeriesDetector(DetectorSettings.DEFAULTS);
        for (int i = 0; i < v.length; i++) {
            detector.update(time(i), v[i]);
        }
        int resume = v.length + 2 * POINTS_PER_DAY + 5;
        for (int i = resume; i < resume + 20; i++) {
            Assessment a = detector.update(time(i), (i % 10) * 10.0);
            assertThat(a.level()).as("point %d after the gap", i - resume).isLessThan(ALARM);
        }
    }

    @Test
    void stateSurvivesARoundTripAndTheDetectorCarriesOnIdentically() {
        double[] v = values((i, n) -> daily(i, n) + (i >= 1500 ? 5 : 0), 2000, 7);
        SeriesDetector straight = new SeriesDetector(DetectorSettings.DEFAULTS);
        SeriesDetector restored = new SeriesDetector(DetectorSettings.DEFAULTS);
        for (int i = 0; i < 1000; i++) {
            straight.update(time(i), v[i]);
            restored.update(time(i), v[i]);
        }
        restored = SeriesDetector.fromBytes(restored.toBytes(), DetectorSettings.DEFAULTS);
        for (int i = 1000; i < v.length; i++) {
            assertThat(restored.update(time(i), v[i])).isEqualTo(straight.update(time(i), v[i]));
        }
        assertThat(restored.toBytes()).isEqualTo(straight.toBytes());
    }

    @Test
    void stateStaysSmallWhateverTheSeries() {
        for (Telemetry.Shape shape :
                List.<Telemetry.Shape>of(
                        (i, n) -> noisy(n),
                        Telemetry::daily,
                        (i, n) -> Math.exp(10 * n.nextDouble()),
                        (i, n) -> i * 1e6)) {
            SeriesDetector detector = new SeriesDetector(DetectorSettings.DEFAULTS);
            double[] v = values(shape, 5000, 3);
            for (int i = 0; i < v.length; i++) {
                detector.update(time(i), v[i]);
            }
            assertThat(detector.toBytes().length).isLessThan(800);
        }
    }

    @Test
    void theScoresOfAPrefixDoNotDependOnWhatComesLater() {
        double[] v = values(Telemetry::daily, 1500, 5);
        SeriesDetector full = new SeriesDetector(DetectorSettings.DEFAULTS);
        SeriesDetector prefix = new SeriesDetector(DetectorSettings.DEFAULTS);
        List<Assessment> a = new ArrayList<>();
        for (int i = 0; i < v.length; i++) {
            a.add(full.update(time(i), v[i]));
        }
        for (int i = 0; i < 700; i++) {
            assertThat(prefix.update(time(i), v[i])).isEqualTo(a.get(i));
        }
    }
}

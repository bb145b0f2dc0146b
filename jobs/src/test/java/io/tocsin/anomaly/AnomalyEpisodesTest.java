package io.tocsin.anomaly;

import static io.tocsin.anomaly.AnomalyEpisodes.Action.FIRE;
import static io.tocsin.anomaly.AnomalyEpisodes.Action.NONE;
import static io.tocsin.anomaly.AnomalyEpisodes.Action.RESEND;
import static io.tocsin.anomaly.AnomalyEpisodes.Action.RESOLVE;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.anomaly.AnomalyEpisodes.Action;
import io.tocsin.config.AnomalyPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table-driven: a sequence of levels (one point a minute, after a day of history) and actions. */
class AnomalyEpisodesTest {

    private static final long MINUTE = 60_000;
    private static final long DAY = 86_400_000;

    private static final double HIGH = 0.8;
    private static final double MID = 0.45;
    private static final double LOW = 0.1;

    static Stream<Arguments> stories() {
        return Stream.of(
                Arguments.of(
                        "two of three anomalous points fire",
                        levels(HIGH, LOW, HIGH),
                        actions(NONE, NONE, FIRE)),
                Arguments.of(
                        "isolated anomalous points do not",
                        levels(HIGH, LOW, LOW, HIGH, LOW, LOW, HIGH),
                        actions(NONE, NONE, NONE, NONE, NONE, NONE, NONE)),
                Arguments.of(
                        "ten normal points resolve, nine do not",
                        concat(levels(HIGH, HIGH), repeat(LOW, 10)),
                        concat(actions(NONE, FIRE), repeat(NONE, 9), actions(RESOLVE))),
                Arguments.of(
                        "a point between the levels keeps a firing alert up",
                        concat(levels(HIGH, HIGH), repeat(LOW, 9), levels(MID), repeat(LOW, 9)),
                        concat(actions(NONE, FIRE), repeat(NONE, 19))),
                Arguments.of(
                        "after a resolve it takes two of three again",
                        concat(levels(HIGH, HIGH), repeat(LOW, 10), levels(HIGH, LOW, HIGH)),
                        concat(
                                actions(NONE, FIRE),
                                repeat(NONE, 9),
                                actions(RESOLVE, NONE, NONE, FIRE))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stories")
    void levelsBecomeActions(String story, List<Double> levels, List<Action> expected) {
        AnomalyEpisodes rules = new AnomalyEpisodes(resendingHourly());
        AnomalyEpisodes.Episode e = historyOfADay(rules);
        List<Action> actual = new ArrayList<>();
        for (int i = 0; i < levels.size(); i++) {
            actual.add(
                    rules.onPoint(e, DAY + i * MINUTE, new Assessment(0, levels.get(i), "shift"))
                            .action());
        }
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void aFiringAlertIsResentEveryMinuteWhileItLasts() {
        AnomalyEpisodes rules = new AnomalyEpisodes(AnomalyPolicy.defaults());
        AnomalyEpisodes.Episode e = historyOfADay(rules);
        List<Action> actual = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            actual.add(
                    rules.onPoint(e, DAY + i * MINUTE / 2, new Assessment(0, HIGH, "shift"))
                            .action());
        }
        assertThat(actual).containsExactly(NONE, FIRE, NONE, RESEND, NONE, RESEND, NONE, RESEND);
    }

    @Test
    void theEpisodeStartsAtItsFirstAnomalousPointAndKeepsItsPeak() {
        AnomalyEpisodes rules = new AnomalyEpisodes(AnomalyPolicy.defaults());
        AnomalyEpisodes.Episode e = historyOfADay(rules);
        rules.onPoint(e, DAY, new Assessment(0, 0.7, "spike"));
        rules.onPoint(e, DAY + MINUTE, new Assessment(0, 0.1, "spike"));
        AnomalyEpisodes.Step fire =
                rules.onPoint(e, DAY + 2 * MINUTE, new Assessment(0, 0.65, "shift"));
        assertThat(fire.action()).isEqualTo(FIRE);
        assertThat(fire.startedAt()).isEqualTo(DAY);
        AnomalyEpisodes.Step resend =
                rules.onPoint(e, DAY + 3 * MINUTE, new Assessment(0, 0.95, "range"));
        assertThat(resend.action()).isEqualTo(RESEND);
        assertThat(resend.startedAt()).isEqualTo(DAY);
        assertThat(resend.peakLevel()).isEqualTo(0.95);
        assertThat(resend.peakDetector()).isEqualTo("range");
    }

    @Test
    void nothingFiresBeforeTheSeriesHasADayOfHistory() {
        AnomalyPolicy policy = AnomalyPolicy.defaults();
        assertThat(policy.minHistory()).isEqualTo(Duration.ofDays(1));
        AnomalyEpisodes rules = new AnomalyEpisodes(policy);
        AnomalyEpisodes.Episode e = new AnomalyEpisodes.Episode();
        for (long t = 0; t < DAY; t += MINUTE) {
            assertThat(rules.onPoint(e, t, new Assessment(1, 1, "range")).action()).isEqualTo(NONE);
        }
        rules.onPoint(e, DAY, new Assessment(1, 1, "range"));
        assertThat(rules.onPoint(e, DAY + MINUTE, new Assessment(1, 1, "range")).action())
                .isEqualTo(FIRE);
    }

    private static AnomalyPolicy resendingHourly() {
        AnomalyPolicy d = AnomalyPolicy.defaults();
        return new AnomalyPolicy(
                d.fireLevel(),
                d.fireAfter(),
                d.fireWithin(),
                d.minHistory(),
                d.resolveLevel(),
                d.resolveAfter(),
                d.firingHold(),
                Duration.ofHours(1),
                d.stateTtl(),
                d.alertName(),
                d.severity(),
                d.detector());
    }

    /** An episode whose series first reported a day before {@code DAY}. */
    private static AnomalyEpisodes.Episode historyOfADay(AnomalyEpisodes rules) {
        AnomalyEpisodes.Episode e = new AnomalyEpisodes.Episode();
        rules.onPoint(e, 0, Assessment.NONE);
        return e;
    }

    private static List<Double> levels(Double... l) {
        return List.of(l);
    }

    private static List<Action> actions(Action... a) {
        return List.of(a);
    }

    private static <T> List<T> repeat(T t, int n) {
        return java.util.Collections.nCopies(n, t);
    }

    @SafeVarargs
    private static <T> List<T> concat(List<T>... lists) {
        List<T> all = new ArrayList<>();
        for (List<T> l : lists) {
            all.addAll(l);
        }
        return all;
    }
}

package io.tocsin.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What production series do and NAB rarely shows, one case per test, through the detector and the
 * alert rules the job runs ({@link AnomalyPolicy#defaults()}): one-minute points over weeks, what
 * is normal for such a series must raise no alert, and a real anomaly in it still must. Each case
 * runs for three seeds.
 */
class ProductionSeriesTest {

    private static final Instant START = Instant.parse("2026-11-02T00:00:00Z");
    private static final long MINUTE = 60_000L;
    private static final int DAY = 1440;
    private static final int WEEK = 7 * DAY;

    /** A series as it arrives: times (epoch millis) and values. */
    private record Series(List<Long> times, List<Double> values) {
        Series() {
            this(new ArrayList<>(), new ArrayList<>());
        }

        void add(long t, double v) {
            times.add(t);
            values.add(v);
        }
    }

    /** The times (epoch millis) at which the alert rules fired on {@code s}. */
    private static List<Long> fires(Series s) {
        SeriesDetector detector = new SeriesDetector(DetectorSettings.DEFAULTS);
        AnomalyEpisodes rules = new AnomalyEpisodes(AnomalyPolicy.defaults());
        AnomalyEpisodes.Episode episode = new AnomalyEpisodes.Episode();
        List<Long> fired = new ArrayList<>();
        for (int i = 0; i < s.times().size(); i++) {
            long t = s.times().get(i);
            Assessment a = detector.update(t, s.values().get(i));
            AnomalyEpisodes.Step st = rules.onPoint(episode, t, a);
            if (st.action() == AnomalyEpisodes.Action.FIRE) {
                fired.add(t);
                if (System.getProperty("diag") != null) {
                    System.out.printf(
                            "DIAG %s fire at minute %d (day %.2f) %s %.3f%n",
                            Thread.currentThread().getStackTrace()[2].getMethodName(),
                            (t - START.toEpochMilli()) / MINUTE,
                            (t - START.toEpochMilli()) / 86400000.0,
                            st.peakDetector(),
                            st.peakLevel());
                }
            }
        }
        return fired;
    }

    private static long minute(int i) {
        return START.toEpochMilli() + i * MINUTE;
    }

    /** Requests per minute with a daily cycle (quiet at night), Poisson-like noise. */
    private static double traffic(int i, Random r, double scale) {
        double day = 0.6 + 0.4 * Math.sin(2 * Math.PI * (i % DAY) / DAY - Math.PI / 2);
        double mean = scale * (0.2 + day);
        return Math.max(0, Math.round(mean + Math.sqrt(mean) * r.nextGaussian()));
    }

    /**
     * 1 on a weekday, 0 at the weekend, with the change spread over the six hours around midnight
     * (START is a Monday).
     */
    private static double weekday(int i) {
        double day = (double) (i % WEEK) / DAY; // 0 = Monday 00:00
        double ramp = 0.25;
        if (day >= 5 - ramp && day < 5 + ramp) {
            return (5 + ramp - day) / (2 * ramp);
        }
        if (day >= 5 + ramp && day < 7 - ramp) {
            return 0;
        }
        if (day >= 7 - ramp) {
            return (day - (7 - ramp)) / (2 * ramp);
        }
        if (day < ramp) {
            return 0.5 + day / (2 * ramp);
        }
        return 1;
    }

    private static int poisson(double mean, Random r) {
        double l = Math.exp(-mean);
        int k = 0;
        double p = r.nextDouble();
        while (p > l) {
            k++;
            p *= r.nextDouble();
        }
        return k;
    }

    private static List<Long> firesBetween(List<Long> fires, int fromMinute, int toMinute) {
        return fires.stream().filter(t -> t >= minute(fromMinute) && t < minute(toMinute)).toList();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void aCounterThatResetsOnRestartsIsJudgedByItsRateAndResetsRaiseNothing(long seed) {
        Random r = new Random(seed);
        Series s = new Series();
        double counter = 1_000_000;
        int anomaly = 5 * DAY + 600;
        for (int i = 0; i < 7 * DAY; i++) {
            if (i == 2 * DAY + 300 || i == 3 * DAY + 1000 || i == 4 * DAY + 77) {
                counter = 0; // the process restarted
            }
            double rate = traffic(i, r, 100);
            if (i >= anomaly && i < anomaly + 30) {
                rate *= 4; // a retry storm
            }
            counter += rate;
            s.add(minute(i), counter);
        }
        List<Long> fires = fires(s);
        assertThat(firesBetween(fires, 0, anomaly)).as("resets are not anomalies").isEmpty();
        assertThat(firesBetween(fires, anomaly, anomaly + 10))
                .as("the rate quadrupling is")
                .isNotEmpty();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void veryLowCountsAreNormalUntilABurst(long seed) {
        Random r = new Random(seed);
        Series s = new Series();
        int burst = 6 * DAY + 200;
        for (int i = 0; i < 7 * DAY; i++) {
            double mean = i >= burst && i < burst + 15 ? 8 : 0.3;
            s.add(minute(i), poisson(mean, r));
        }
        List<Long> fires = fires(s);
        assertThat(firesBetween(fires, 0, burst)).as("0, 1, 2 a minute is normal").isEmpty();
        assertThat(firesBetween(fires, burst, burst + 10)).as("8 a minute is not").isNotEmpty();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void aSeriesThatStartsMidStreamInAStartupBurstStillLearnsWhatIsNormal(long seed) {
        Random r = new Random(seed);
        Series s = new Series();
        int spike = 4 * DAY + 700;
        // The first points: a cache warming up after a deploy, ten times the normal load.
        for (int i = 0; i < 8 * DAY; i++) {
            double v = 200 + 10 * Math.sin(2 * Math.PI * i / DAY) + 3 * r.nextGaussian();
            if (i < 60) {
                v = 2000 + 300 * r.nextGaussian();
            }
            if (i == spike || i == spike + 1) {
                v += 60;
            }
            s.add(minute(i), v);
        }
        List<Long> fires = fires(s);
        assertThat(firesBetween(fires, 0, spike)).as("no alert once it has settled").isEmpty();
        assertThat(firesBetween(fires, spike, spike + 5))
                .as("a spike of twenty deviations, small against the startup burst, still alerts")
                .isNotEmpty();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void gapsAndIrregularIntervalsRaiseNothingAndAShiftAfterThemStillAlerts(long seed) {
        Random r = new Random(seed);
        Series s = new Series();
        long t = START.toEpochMilli();
        long shiftAt = START.plus(Duration.ofDays(6)).toEpochMilli();
        long end = START.plus(Duration.ofDays(7)).toEpochMilli();
        while (t < end) {
            double v = 40 + 2 * r.nextGaussian() + (t >= shiftAt ? 20 : 0);
            s.add(t, v);
            t += 30_000 + (long) (r.nextDouble() * 60_000); // scrapes 30 to 90 s apart
            if (r.nextDouble() < 0.0005) {
                t += (1 + r.nextInt(6)) * 3_600_000L; // an outage of the exporter: 1-6 h gap
            }
        }
        List<Long> fires = fires(s);
        assertThat(fires.stream().filter(x -> x < shiftAt)).as("before the shift").isEmpty();
        assertThat(fires.stream().filter(x -> x >= shiftAt && x < shiftAt + 10 * MINUTE))
                .as("the shift")
                .isNotEmpty();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void aLevelChangeAfterADeployAlertsOnceAndThenBecomesTheNewNormal(long seed) {
        Random r = new Random(seed);
        Series s = new Series();
        int deploy = 3 * DAY + 500;
        for (int i = 0; i < 8 * DAY; i++) {
            double daily = 30 + 8 * Math.sin(2 * Math.PI * i / DAY);
            double v = daily * (i >= deploy ? 1.6 : 1) + r.nextGaussian();
            s.add(minute(i), v);
        }
        List<Long> fires = fires(s);
        assertThat(firesBetween(fires, 0, deploy)).isEmpty();
        assertThat(firesBetween(fires, deploy, deploy + 10)).as("the change").hasSize(1);
        assertThat(firesBetween(fires, deploy + 10, 8 * DAY)).as("the new normal").isEmpty();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void weeklySeasonalityQuietWeekendsAreNormalOnceAWeekHasBeenSeen(long seed) {
        Random r = new Random(seed);
        Series s = new Series();
        int outage = 4 * WEEK + 2 * DAY + 600; // a Wednesday
        for (int i = 0; i < 5 * WEEK; i++) {
            double v = traffic(i, r, 40 + 110 * weekday(i));
            if (i >= outage && i < outage + 30) {
                v *= 0.1; // most requests fail before they are counted
            }
            s.add(minute(i), v);
        }
        List<Long> fires = fires(s);
        assertThat(firesBetween(fires, WEEK + 5 * DAY, outage))
                .as("the second weekend on")
                .isEmpty();
        assertThat(firesBetween(fires, outage, outage + 10)).as("the outage").isNotEmpty();
    }
}

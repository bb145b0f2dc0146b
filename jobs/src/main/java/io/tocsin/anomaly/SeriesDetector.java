package io.tocsin.anomaly;

import io.tocsin.config.DetectorSettings;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Online anomaly detector for one telemetry series: learns from each point as it arrives, with no
 * training set and no look-ahead (it never knows the series' minimum or maximum), and says how
 * anomalous the point is. Plain logic with time as a parameter; the Flink operator keeps one per
 * series in keyed state ({@link #toBytes()}, about 700 bytes).
 *
 * <p>Six components each give evidence ({@code -log10} of how likely the point is for this series);
 * the strongest wins:
 *
 * <ul>
 *   <li>{@code spike}: the point against the local level and deviation (about 10 points);
 *   <li>{@code shift}: the point against the long-run level and deviation (about 200 points): level
 *       shifts, drifts and changes in variance;
 *   <li>{@code sequence}: a burst of transitions between quantised values never seen before (a
 *       first-order sequence memory): broken shapes, new rhythms, stuck or oscillating values;
 *   <li>{@code daily-pattern}: a burst of values never seen at this time of day: broken daily
 *       seasonality;
 *   <li>{@code range}: a value beyond the range seen so far by more than a small tolerance;
 *   <li>{@code stuck}: the same value repeated far longer than ever before (a frozen sensor or
 *       exporter).
 * </ul>
 *
 * The first two are judged by {@link EvidenceTail}s, the novelty components by {@link
 * NoveltyLikelihood}, so every component's evidence is relative to this series' own history.
 * Evidence {@code e} maps to a level {@code 1 - 10^(-e/10)} in [0, 1]; {@link AlarmHoldOff} then
 * turns repeats within the hold-off into lower scores.
 *
 * <p>A counter (a series that only went up over its first points) is judged by its rate per typical
 * interval, and a drop of it is a reset, skipped ({@link CounterRate}). Novelty evidence goes to
 * the novel points themselves, so one odd value makes one anomalous point. After a change of level
 * (strong {@code shift} evidence) the daily-pattern table re-learns silently for a day: every slot
 * would otherwise see the new level as new, one alarm per slot, for a whole day.
 *
 * <p>Missing values (NaN, infinities) are skipped. Irregular intervals are fine: statistics are per
 * point, and a gap longer than {@code gapFactor} typical intervals breaks the sequence context, so
 * the first point after an outage is not judged as a transition from the last one before it.
 */
public final class SeriesDetector {

    /** Component names, as reported in {@link Assessment#detector()}. */
    public static final String SPIKE = "spike";

    public static final String SHIFT = "shift";
    public static final String SEQUENCE = "sequence";
    public static final String DAILY_PATTERN = "daily-pattern";
    public static final String RANGE = "range";
    public static final String STUCK = "stuck";

    private static final byte FORMAT_VERSION = 2;
    private static final long DAY_MILLIS = 86_400_000L;
    private static final int EARLY_POINTS = 50;
    private static final int EARLY_INTERVALS = 10;
    // Deviations are meaningless until the levels have seen a few points.
    private static final int TAIL_START_POINTS = 30;
    // Evidence of the shift component (-log10 p) that marks a change of level.
    private static final double LEVEL_CHANGE_EVIDENCE = 4;
    // Novelty (1 = never seen) from which a point itself counts as novel.
    private static final double NOVEL = 0.5;
    // Mean absolute deviations from the long-run level a new extreme must lie to count.
    private static final double RANGE_DEVIATIONS = 0;

    private final DetectorSettings settings;

    private long points;
    private long lastTime;
    private double typicalInterval;

    private double level;
    private double deviation;
    private double longLevel;
    private double longDeviation;
    private double smoothedSpike;
    private double smoothedShift;
    private EvidenceTail spikeTail;
    private EvidenceTail shiftTail;

    private NoveltyTable sequence;
    private NoveltyLikelihood sequenceLikelihood;
    private NoveltyTable daily;
    private NoveltyLikelihood dailyLikelihood;
    private long dailyMutedUntil;

    private final CounterRate counter = new CounterRate();

    private double min;
    private double max;

    private double previous;
    private int repeats;
    private int longestRun;

    private AlarmHoldOff holdOff;

    public SeriesDetector(DetectorSettings settings) {
        this.settings = settings;
        clear();
    }

    /** Forgets everything learned but the series' kind (gauge or counter). */
    private void clear() {
        points = 0;
        lastTime = 0;
        typicalInterval = 0;
        level = deviation = longLevel = longDeviation = 0;
        smoothedSpike = smoothedShift = 0;
        spikeTail = new EvidenceTail();
        shiftTail = new EvidenceTail();
        sequence = NoveltyTable.sequence(settings);
        sequenceLikelihood = new NoveltyLikelihood(settings.likelihoodWindow());
        daily = NoveltyTable.byRow(settings.dayRows(), settings.dayBins(), settings);
        dailyLikelihood = new NoveltyLikelihood(settings.likelihoodWindow());
        dailyMutedUntil = 0;
        min = max = previous = 0;
        repeats = longestRun = 0;
        holdOff = new AlarmHoldOff(settings);
    }

    /** Points learned so far (missing values excluded). */
    public long points() {
        return points;
    }

    /**
     * Judges the point {@code (timeMillis, value)} against what came before, then learns it. Points
     * must come in time order; a missing value (NaN or infinite) is skipped.
     */
    public Assessment update(long timeMillis, double value) {
        if (!Double.isFinite(value)) {
            return Assessment.NONE;
        }
        switch (counter.accept(value, points == 0 ? 0 : timeMillis - lastTime, typicalInterval)) {
            case VALUE -> {}
            case RATE -> value = counter.rate();
            case SKIP -> {
                lastTime = Math.max(lastTime, timeMillis);
                return Assessment.NONE;
            }
            case RESTART_AS_COUNTER -> {
                // What was learned was the total, not its rate: start again from here.
                clear();
                lastTime = timeMillis;
                return Assessment.NONE;
            }
            case RESTART_AS_GAUGE -> clear();
        }
        points++;
        if (points == 1) {
            level = longLevel = min = max = previous = value;
            lastTime = timeMillis;
            return Assessment.NONE;
        }
        trackInterval(timeMillis);

        // A series that has not varied yet has no deviation: any change is then many of them.
        double floor = 1e-9 + 1e-6 * Math.abs(longLevel);
        double error = value - level;
        double longError = value - longLevel;
        double spike = Math.abs(error) / Math.max(deviation, floor);
        double shift = Math.abs(longError) / Math.max(longDeviation, floor);
        double fast = settings.fastAlpha();
        double slow = settings.slowAlpha();
        if (points < EARLY_POINTS) {
            // Plain averages at first, so the first values do not dominate for long.
            fast = Math.max(fast, 1.0 / points);
            slow = Math.max(slow, 1.0 / points);
        }
        level += fast * error;
        deviation += fast * (Math.abs(error) - deviation);
        longLevel += slow * longError;
        longDeviation += slow * (Math.abs(longError) - longDeviation);

        double best = 0;
        String detector = "none";

        double novelty = sequence.update(value, 0, settings);
        double e = sequenceLikelihood.update(novelty, settings);
        if (novelty < NOVEL) {
            // The burst is evidence against its novel points, not against the known ones after
            // them: one novel value is one anomalous point, not ten.
            e = 0;
        }
        if (e > best) {
            best = e;
            detector = SEQUENCE;
        }
        smoothedSpike += settings.smoothing() * (spike - smoothedSpike);
        smoothedShift += settings.smoothing() * (shift - smoothedShift);
        boolean settled = points > TAIL_START_POINTS;
        e = settled ? spikeTail.update(smoothedSpike, settings) : 0;
        if (e > best) {
            best = e;
            detector = SPIKE;
        }
        e = settled ? shiftTail.update(smoothedShift, settings) : 0;
        if (e > best) {
            best = e;
            detector = SHIFT;
        }
        if (e >= LEVEL_CHANGE_EVIDENCE && points > settings.warmupPoints()) {
            // After a level change every slot of the day sees values it has not seen: the
            // daily pattern is re-learned silently for a day instead of alarming slot by slot.
            dailyMutedUntil = timeMillis + DAY_MILLIS;
        }
        e = stuck(value);
        if (e > best) {
            best = e;
            detector = STUCK;
        }
        int row = (int) (Math.floorMod(timeMillis, DAY_MILLIS) * settings.dayRows() / DAY_MILLIS);
        novelty = daily.update(value, row, settings);
        e = dailyLikelihood.update(novelty, settings);
        if (novelty < NOVEL) {
            e = 0;
        }
        if (e > best && timeMillis >= dailyMutedUntil) {
            best = e;
            detector = DAILY_PATTERN;
        }
        e = breakout(value);
        if (e > best) {
            best = e;
            detector = RANGE;
        }

        double levelScore = 1 - Math.pow(10, -best / 10);
        if (points < settings.warmupPoints()) {
            levelScore = 0;
            detector = "none";
        }
        double score = holdOff.report(levelScore, settings);
        return new Assessment(score, levelScore, detector);
    }

    /** Keeps the typical interval between points and breaks the sequence context after a gap. */
    private void trackInterval(long timeMillis) {
        long dt = timeMillis - lastTime;
        lastTime = Math.max(lastTime, timeMillis);
        if (dt <= 0) {
            return;
        }
        // A few intervals first: one odd first interval must not make every later one a gap.
        if (points > EARLY_INTERVALS && dt > settings.gapFactor() * typicalInterval) {
            sequence.breakSequence();
        }
        // Capped, so one long outage does not make the next ones look ordinary.
        typicalInterval =
                typicalInterval == 0
                        ? dt
                        : typicalInterval
                                + 0.05 * (Math.min(dt, 5 * typicalInterval) - typicalInterval);
    }

    /**
     * Evidence that the series is stuck: the same value repeated far longer than any run of repeats
     * before (a series that never repeats needs {@code stuckFactor} repeats), in a series that has
     * varied, on a run that began after the warm-up.
     */
    private double stuck(double value) {
        boolean same = value == previous && max > min;
        previous = value;
        if (!same) {
            longestRun = Math.max(longestRun, repeats);
            repeats = 0;
            return 0;
        }
        repeats++;
        boolean longest = repeats > settings.stuckFactor() * (longestRun + 1.0);
        return longest && points - repeats > settings.warmupPoints()
                ? settings.breakoutEvidence()
                : 0;
    }

    /** Evidence that {@code value} lies beyond the range seen so far; then widens the range. */
    private double breakout(double value) {
        double evidence = 0;
        double width = max - min;
        if (width > 0) {
            double tolerance = width * settings.breakoutTolerance();
            double beyond = Math.max(value - max - tolerance, min - tolerance - value);
            // A noisy series keeps setting records (ever rarer, each just past the last): only
            // one well past the old extreme, in deviations, is evidence.
            boolean far = beyond > RANGE_DEVIATIONS * longDeviation;
            if (beyond > 0 && far) {
                evidence = settings.breakoutEvidence() + settings.breakoutSlope() * beyond / width;
            }
        }
        min = Math.min(min, value);
        max = Math.max(max, value);
        return evidence;
    }

    /** The detector's state, for keyed state: see {@link #fromBytes}. */
    public byte[] toBytes() {
        ByteBuffer out = ByteBuffer.allocate(maxBytes());
        write(out);
        return Arrays.copyOf(out.array(), out.position());
    }

    /** Restores a detector written by {@link #toBytes()} with the same settings. */
    public static SeriesDetector fromBytes(byte[] state, DetectorSettings settings) {
        return read(ByteBuffer.wrap(state), settings);
    }

    /** An upper bound of {@link #write}'s size. */
    int maxBytes() {
        DetectorSettings s = settings;
        return 512
                + s.noveltyBins() * s.noveltyBins()
                + s.dayRows() * s.dayBins()
                + 8 * s.likelihoodWindow()
                + 4 * (s.holdOffPoints() / s.holdOffBlock());
    }

    void write(ByteBuffer out) {
        out.put(FORMAT_VERSION);
        out.putLong(points);
        out.putLong(lastTime);
        out.putDouble(typicalInterval);
        out.putDouble(level);
        out.putDouble(deviation);
        out.putDouble(longLevel);
        out.putDouble(longDeviation);
        out.putDouble(smoothedSpike);
        out.putDouble(smoothedShift);
        out.putDouble(min);
        out.putDouble(max);
        out.putDouble(previous);
        out.putInt(repeats);
        out.putInt(longestRun);
        out.putLong(dailyMutedUntil);
        counter.write(out);
        spikeTail.write(out);
        shiftTail.write(out);
        sequence.write(out);
        sequenceLikelihood.write(out);
        daily.write(out);
        dailyLikelihood.write(out);
        holdOff.write(out);
    }

    static SeriesDetector read(ByteBuffer in, DetectorSettings settings) {
        byte version = in.get();
        if (version == 1) {
            // Written before counters were recognised: the series learns afresh.
            return new SeriesDetector(settings);
        }
        if (version != FORMAT_VERSION) {
            throw new IllegalStateException("unknown detector state version " + version);
        }
        SeriesDetector d = new SeriesDetector(settings);
        d.points = in.getLong();
        d.lastTime = in.getLong();
        d.typicalInterval = in.getDouble();
        d.level = in.getDouble();
        d.deviation = in.getDouble();
        d.longLevel = in.getDouble();
        d.longDeviation = in.getDouble();
        d.smoothedSpike = in.getDouble();
        d.smoothedShift = in.getDouble();
        d.min = in.getDouble();
        d.max = in.getDouble();
        d.previous = in.getDouble();
        d.repeats = in.getInt();
        d.longestRun = in.getInt();
        d.dailyMutedUntil = in.getLong();
        d.counter.read(in);
        d.spikeTail.read(in);
        d.shiftTail.read(in);
        d.sequence.read(in);
        d.sequenceLikelihood.read(in);
        d.daily.read(in);
        d.dailyLikelihood.read(in);
        d.holdOff.read(in);
        return d;
    }
}

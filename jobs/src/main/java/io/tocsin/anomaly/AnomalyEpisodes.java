package io.tocsin.anomaly;

import io.tocsin.config.AnomalyPolicy;

/**
 * Decides when a series' anomaly becomes a firing alert and when it resolves, from the levels the
 * detector gives point by point: fire when {@code fireAfter} of the last {@code fireWithin} points
 * are anomalous, re-send at most every {@code resendEvery} while firing (so dedupe's resolve
 * timeout does not end it), resolve after {@code resolveAfter} consecutive normal points. Plain
 * logic with time as a parameter; the state lives in an {@link Episode} the caller keeps. Nothing
 * fires before the series has reported for {@code minHistory}.
 */
public final class AnomalyEpisodes {

    /** What a point changes. */
    public enum Action {
        NONE,
        FIRE,
        RESEND,
        RESOLVE
    }

    /**
     * The outcome of one point.
     *
     * @param startedAt event time (epoch millis) of the first anomalous point of the episode
     * @param peakLevel the highest level of the episode so far
     * @param peakDetector the component that gave it
     */
    public record Step(Action action, long startedAt, double peakLevel, String peakDetector) {
        static final Step NONE = new Step(Action.NONE, 0, 0, "none");
    }

    /** One series' episode state: about 40 bytes in {@link SeriesState}. */
    public static final class Episode {
        boolean started;
        long firstPointAt;
        boolean firing;
        int recent;
        int normalRun;
        long candidateStart;
        long startedAt;
        long lastSentAt;
        double peakLevel;
        String peakDetector = "none";

        public boolean firing() {
            return firing;
        }
    }

    private final AnomalyPolicy policy;

    public AnomalyEpisodes(AnomalyPolicy policy) {
        this.policy = policy;
    }

    /** Handles the assessment {@code a} of the point at event time {@code t}. */
    public Step onPoint(Episode e, long t, Assessment a) {
        if (!e.started) {
            e.started = true;
            e.firstPointAt = t;
        }
        if (t - e.firstPointAt < policy.minHistory().toMillis()) {
            // Too early to judge: a daily pattern, say, is not known before a day has been seen.
            return Step.NONE;
        }
        boolean anomalous = a.level() >= policy.fireLevel();
        int mask = policy.fireWithin() == 32 ? -1 : (1 << policy.fireWithin()) - 1;
        e.recent = ((e.recent << 1) | (anomalous ? 1 : 0)) & mask;
        if (e.recent == 1) {
            // The only anomalous point in the window: an episode would start here.
            e.candidateStart = t;
        }
        if (!e.firing) {
            if (Integer.bitCount(e.recent) < policy.fireAfter()) {
                return Step.NONE;
            }
            e.firing = true;
            e.normalRun = 0;
            e.startedAt = e.candidateStart;
            e.lastSentAt = t;
            e.peakLevel = a.level();
            e.peakDetector = a.detector();
            return step(Action.FIRE, e);
        }
        if (a.level() > e.peakLevel) {
            e.peakLevel = a.level();
            e.peakDetector = a.detector();
        }
        e.normalRun = a.level() < policy.resolveLevel() ? e.normalRun + 1 : 0;
        if (e.normalRun >= policy.resolveAfter()) {
            e.firing = false;
            e.recent = 0;
            e.normalRun = 0;
            return step(Action.RESOLVE, e);
        }
        if (t - e.lastSentAt >= policy.resendEvery().toMillis()) {
            e.lastSentAt = t;
            return step(Action.RESEND, e);
        }
        return Step.NONE;
    }

    private static Step step(Action action, Episode e) {
        return new Step(action, e.startedAt, e.peakLevel, e.peakDetector);
    }
}

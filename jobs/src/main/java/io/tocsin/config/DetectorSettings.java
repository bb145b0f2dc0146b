package io.tocsin.config;

import java.io.Serializable;

/**
 * The tuning of {@link SeriesDetector}: one set for every series, never per series. The defaults
 * were chosen on the Numenta Anomaly Benchmark (benchmarks/nab/README.md) and are the only values
 * the job uses; the record exists so tests can shrink warm-up periods and so the numbers live in
 * one place.
 *
 * @param fastAlpha weight of a new point in the local level and deviation (about 10 points)
 * @param slowAlpha weight of a new point in the long-run level and deviation (about 200 points)
 * @param smoothing weight of a new point in the smoothed deviations that the tails judge
 * @param tailQuantile share of points above the threshold of a peaks-over-threshold tail
 * @param tailStep how fast a tail's threshold moves, in units of its mean excess
 * @param tailExcessRate weight of a new exceedance in a tail's mean excess
 * @param slowTailFactor speed of the second, longer-memory tail relative to the first
 * @param noveltyBins value bins of the novelty tables
 * @param noveltyKernel neighbouring bins that count as partly seen
 * @param noveltyKnownAfter visits after which a cell counts as fully seen
 * @param noveltyInitPoints points that fix the first bin width
 * @param dayRows time-of-day rows of the daily-pattern table
 * @param dayBins value bins of the daily-pattern table
 * @param likelihoodWindow points averaged before a novelty rate is judged
 * @param likelihoodAlpha weight of a new point in the long-run novelty rate
 * @param likelihoodMinStd floor of the novelty rate's standard deviation
 * @param breakoutTolerance share of the range seen so far a value may exceed it without alarm
 * @param breakoutEvidence evidence (-log10 p) of a value just beyond the tolerance
 * @param breakoutSlope extra evidence per range-width beyond it
 * @param stuckFactor a run of repeated values is stuck when this many times longer than the longest
 *     run before
 * @param holdOffPoints after an alarm, points during which only a higher score is an alarm again
 * @param holdOffBlock granularity of the hold-off window (state holds one maximum per block)
 * @param warmupPoints points scored 0 while the statistics settle
 * @param gapFactor a gap longer than this many typical intervals breaks the sequence context
 */
public record DetectorSettings(
        double fastAlpha,
        double slowAlpha,
        double smoothing,
        double tailQuantile,
        double tailStep,
        double tailExcessRate,
        double slowTailFactor,
        int noveltyBins,
        int noveltyKernel,
        int noveltyKnownAfter,
        int noveltyInitPoints,
        int dayRows,
        int dayBins,
        int likelihoodWindow,
        double likelihoodAlpha,
        double likelihoodMinStd,
        double breakoutTolerance,
        double breakoutEvidence,
        double breakoutSlope,
        double stuckFactor,
        int holdOffPoints,
        int holdOffBlock,
        int warmupPoints,
        double gapFactor)
        implements Serializable {

    public static final DetectorSettings DEFAULTS =
            new DetectorSettings(
                    0.09, // fastAlpha
                    0.005, // slowAlpha
                    0.3, // smoothing
                    0.02, // tailQuantile
                    0.075, // tailStep
                    0.075, // tailExcessRate
                    0.2, // slowTailFactor
                    32, // noveltyBins
                    1, // noveltyKernel
                    2, // noveltyKnownAfter
                    50, // noveltyInitPoints
                    12, // dayRows: two-hour slots
                    12, // dayBins
                    10, // likelihoodWindow
                    0.0001, // likelihoodAlpha
                    0.01, // likelihoodMinStd
                    0.025, // breakoutTolerance
                    4.5, // breakoutEvidence
                    5, // breakoutSlope
                    10, // stuckFactor
                    100, // holdOffPoints
                    10, // holdOffBlock
                    150, // warmupPoints
                    5); // gapFactor

    public DetectorSettings {
        if (noveltyBins < 4 || noveltyBins % 2 != 0 || noveltyBins > 256) {
            throw new IllegalArgumentException("noveltyBins must be even, 4..256: " + noveltyBins);
        }
        if (dayBins < 4 || dayBins % 2 != 0 || dayBins > 256) {
            throw new IllegalArgumentException("dayBins must be even, 4..256: " + dayBins);
        }
        if (dayRows < 1 || dayRows > 1440 || likelihoodWindow < 1 || noveltyInitPoints < 2) {
            throw new IllegalArgumentException(
                    "dayRows must be 1..1440, likelihoodWindow >= 1, noveltyInitPoints >= 2");
        }
        if (holdOffBlock < 1
                || holdOffBlock > 255
                || holdOffPoints < holdOffBlock
                || holdOffPoints / holdOffBlock > 255) {
            throw new IllegalArgumentException(
                    "holdOffBlock must be 1..255 and holdOffPoints 1..255 blocks of it");
        }
        if (noveltyKnownAfter < 1 || noveltyKnownAfter > 127) {
            throw new IllegalArgumentException("noveltyKnownAfter must be 1..127");
        }
        if (likelihoodWindow > 255) {
            throw new IllegalArgumentException("likelihoodWindow must be at most 255");
        }
    }

    /** These settings with another {@code holdOffPoints}: for tuning grids. */
    public DetectorSettings withHoldOffPoints(int value) {
        return new DetectorSettings(
                fastAlpha,
                slowAlpha,
                smoothing,
                tailQuantile,
                tailStep,
                tailExcessRate,
                slowTailFactor,
                noveltyBins,
                noveltyKernel,
                noveltyKnownAfter,
                noveltyInitPoints,
                dayRows,
                dayBins,
                likelihoodWindow,
                likelihoodAlpha,
                likelihoodMinStd,
                breakoutTolerance,
                breakoutEvidence,
                breakoutSlope,
                stuckFactor,
                value,
                holdOffBlock,
                warmupPoints,
                gapFactor);
    }

    /** These settings with another {@code fastAlpha}: for tuning grids. */
    public DetectorSettings withFastAlpha(double value) {
        return new DetectorSettings(
                value,
                slowAlpha,
                smoothing,
                tailQuantile,
                tailStep,
                tailExcessRate,
                slowTailFactor,
                noveltyBins,
                noveltyKernel,
                noveltyKnownAfter,
                noveltyInitPoints,
                dayRows,
                dayBins,
                likelihoodWindow,
                likelihoodAlpha,
                likelihoodMinStd,
                breakoutTolerance,
                breakoutEvidence,
                breakoutSlope,
                stuckFactor,
                holdOffPoints,
                holdOffBlock,
                warmupPoints,
                gapFactor);
    }
}

package io.tocsin.bench.nab;

/**
 * A detector's NAB result under one cost profile, at the corpus-wide threshold that maximises the
 * raw score.
 *
 * @param threshold the anomaly score at or above which a row is a detection
 * @param raw the summed weighted score S
 * @param normalized {@code 100 * (S - S_null) / (S_perfect - S_null)}
 * @param windowsDetected windows with at least one detection (true positives)
 * @param windowsMissed scorable windows without a detection (false negatives)
 * @param falsePositives detections outside every window
 */
public record ProfileScore(
        CostProfile profile,
        double threshold,
        double raw,
        double normalized,
        int windowsDetected,
        int windowsMissed,
        int falsePositives) {}

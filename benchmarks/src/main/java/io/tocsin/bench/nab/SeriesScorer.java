package io.tocsin.bench.nab;

/**
 * An online anomaly scorer for one series, as the benchmark runs it: each point is scored from what
 * came before it, then learned; no look-ahead, no file minimum or maximum. A fresh one per file.
 */
public interface SeriesScorer {

    /** The anomaly score of {@code value} at {@code timeMillis}; higher is more anomalous. */
    double score(long timeMillis, double value);
}

package io.tocsin.bench.nab;

import java.time.LocalDateTime;
import java.util.List;

/**
 * A detector's output for one NAB data file: every row's timestamp and anomaly score, in file
 * order, and the file's path relative to the data directory.
 */
public record ScoredFile(String relativePath, List<LocalDateTime> timestamps, double[] scores) {

    public ScoredFile {
        if (timestamps.size() != scores.length) {
            throw new IllegalArgumentException(
                    relativePath
                            + ": "
                            + timestamps.size()
                            + " rows but "
                            + scores.length
                            + " scores");
        }
    }
}

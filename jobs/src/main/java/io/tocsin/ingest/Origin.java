package io.tocsin.ingest;

import java.io.Serializable;

/**
 * Where a raw record came from, for dead letters and the default event time.
 *
 * @param topic Kafka topic or file name
 * @param partition Kafka partition, or null for files
 * @param offset Kafka offset, or the 1-based line number in a file
 * @param timestampMillis the Kafka record timestamp, or null when there is none (files)
 */
public record Origin(String topic, Integer partition, Long offset, Long timestampMillis)
        implements Serializable {

    public static Origin line(String file, long lineNumber) {
        return new Origin(file, null, lineNumber, null);
    }

    @Override
    public String toString() {
        return topic
                + (partition == null ? "" : "-" + partition)
                + (offset == null ? "" : (partition == null ? ":" : "@") + offset);
    }
}

package io.tocsin.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * How inputs are read.
 *
 * @param maxOutOfOrderness how late (event time) a record may arrive and still be ordered
 *     correctly; also the latency the ordered stages add
 * @param idleTimeout a source partition silent this long stops holding the watermark back (backtest
 *     and replays)
 * @param maxRecordBytes larger records are dead-lettered as OVERSIZE
 * @param format the alerts topic's record format: detected per record, or fixed
 * @param liveLag live, how far a partition's watermark trails its latest heartbeat: records
 *     arriving out of order within it are still sorted; part of the latency of every page
 * @param heartbeatInterval live, how often the job writes a heartbeat to every input partition
 *     (io.tocsin.ingest.Heartbeats): how fast event time passes on a quiet input, the rest of the
 *     latency the ordered stages add
 * @param limits what one record may hold (labels, annotations, JSON nesting)
 */
public record IngestPolicy(
        Duration maxOutOfOrderness,
        Duration idleTimeout,
        int maxRecordBytes,
        AlertFormat format,
        Duration liveLag,
        Duration heartbeatInterval,
        InputLimits limits)
        implements Serializable {

    /** With the default {@link InputLimits}. */
    public IngestPolicy(
            Duration maxOutOfOrderness,
            Duration idleTimeout,
            int maxRecordBytes,
            AlertFormat format,
            Duration liveLag,
            Duration heartbeatInterval) {
        this(
                maxOutOfOrderness,
                idleTimeout,
                maxRecordBytes,
                format,
                liveLag,
                heartbeatInterval,
                InputLimits.DEFAULTS);
    }

    /** Record formats of the alerts topic. */
    public enum AlertFormat {
        /** Detected per record: Avro single-object, webhook envelope, JSON array or alert. */
        AUTO,
        /** Avro single-object encoded Alert only. */
        AVRO,
        /** Alertmanager webhook payloads only (an object with alerts[]). */
        WEBHOOK,
        /** Alertmanager alert objects (one, or a JSON array of them) only. */
        JSON
    }

    public static IngestPolicy defaults() {
        return new IngestPolicy(
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                256 * 1024,
                AlertFormat.AUTO,
                Duration.ofMillis(50),
                Duration.ofMillis(50));
    }
}

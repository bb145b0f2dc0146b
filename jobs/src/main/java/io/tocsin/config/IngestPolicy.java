package io.tocsin.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * How inputs are read.
 *
 * @param maxOutOfOrderness how late (event time) a record may arrive and still be ordered
 *     correctly; also the latency the ordered stages add
 * @param idleTimeout a source partition silent this long stops holding the watermark back
 * @param maxRecordBytes larger records are dead-lettered as OVERSIZE
 */
public record IngestPolicy(Duration maxOutOfOrderness, Duration idleTimeout, int maxRecordBytes)
        implements Serializable {

    public static IngestPolicy defaults() {
        return new IngestPolicy(Duration.ofSeconds(5), Duration.ofSeconds(30), 256 * 1024);
    }
}

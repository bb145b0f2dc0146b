package io.tocsin.ingest;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Heartbeats: empty records the live job appends to every partition of its input topics at a short
 * interval, marked by the {@link #HEADER} header, with the time they were written as their Kafka
 * timestamp. They are how event time passes on a quiet input without the job reading a clock: a
 * partition's watermark advances as its reader reaches them, in log order. So a first alert after a
 * quiet hour is ordered and passed on within one interval; a backlog left by a crash is processed
 * in exactly the order it was written, with the heartbeats written before the crash advancing time
 * as they did the first time (replayed output is byte-identical); and timers that fell due while
 * the job was down fire at the first heartbeat after the restart. Decoders turn them into elements
 * that carry only the time; they never reach a stage.
 */
public final class Heartbeats {

    /** Header of a heartbeat record (its value is empty). */
    public static final String HEADER = "tocsin-heartbeat";

    static final byte[] MARK = "1".getBytes(StandardCharsets.UTF_8);

    private Heartbeats() {}

    public static boolean isHeartbeat(ConsumerRecord<byte[], byte[]> record) {
        Header h = record.headers().lastHeader(HEADER);
        return h != null;
    }

    /** The header value heartbeats carry. */
    public static byte[] mark() {
        return MARK.clone();
    }
}

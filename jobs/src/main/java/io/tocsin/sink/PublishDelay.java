package io.tocsin.sink;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The {@value #HEADER} header on every record Tocsin publishes: how long after its event time it
 * was sent, in milliseconds. An escalation that fell due while the job was down is sent right after
 * the restart, and this header says by how much it is late; so does a re-sent copy after a crash.
 * The value itself stays exactly what the job computed, so a re-sent copy is byte-identical to the
 * first.
 */
public final class PublishDelay {

    public static final String HEADER = "tocsin-delay-ms";

    private PublishDelay() {}

    /** Headers for a record of event time {@code eventTimeMillis} sent at {@code nowMillis}. */
    public static Headers headers(Long eventTimeMillis, long nowMillis) {
        RecordHeaders h = new RecordHeaders();
        if (eventTimeMillis != null && eventTimeMillis > 0) {
            long delay = Math.max(0, nowMillis - eventTimeMillis);
            h.add(new RecordHeader(HEADER, Long.toString(delay).getBytes(StandardCharsets.UTF_8)));
        }
        return h;
    }

    /** The delay a record says it was sent with, or -1 without the header. */
    public static long of(Headers headers) {
        var h = headers.lastHeader(HEADER);
        return h == null ? -1 : Long.parseLong(new String(h.value(), StandardCharsets.UTF_8));
    }
}

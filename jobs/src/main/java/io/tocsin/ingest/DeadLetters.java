package io.tocsin.ingest;

import io.tocsin.avro.DeadLetter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Building and reading the dead letters every decoder writes. */
public final class DeadLetters {

    /** A reason longer than this is cut: it may quote the record, which may be huge. */
    static final int MAX_ERROR_CHARS = 2000;

    private DeadLetters() {}

    /** A dead letter for one raw record: its bytes, where it came from and why it was refused. */
    public static DeadLetter of(
            byte[] bytes, Origin origin, String stage, RejectReason reason, String message) {
        long ts =
                origin != null && origin.timestampMillis() != null ? origin.timestampMillis() : 0L;
        return DeadLetter.newBuilder()
                .setOriginal(ByteBuffer.wrap(bytes == null ? new byte[0] : bytes))
                .setTopic(origin == null ? null : origin.topic())
                .setPartition(origin == null ? null : origin.partition())
                .setOffset(origin == null ? null : origin.offset())
                .setStage(stage)
                .setReasonCode(reason.name())
                .setError(bounded(message))
                .setReceivedAt(Instant.ofEpochMilli(ts))
                .build();
    }

    private static String bounded(String message) {
        return message == null || message.length() <= MAX_ERROR_CHARS
                ? message
                : message.substring(0, MAX_ERROR_CHARS) + "... (cut)";
    }

    /** Reads a dead letter's original bytes as text (for files and logs). */
    public static String originalText(DeadLetter d) {
        ByteBuffer b = d.getOriginal().duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return new String(out, StandardCharsets.UTF_8);
    }
}

package io.tocsin.ingest;

import io.tocsin.avro.DeadLetter;

/**
 * A decoded raw record: the accepted value, the dead letter, or (live Kafka inputs only) a
 * heartbeat that carries nothing but the time it was written ({@link Heartbeats}); exactly one of
 * the three. Each source has its own subclass that binds {@code T} ({@link Ingested}, {@link
 * IngestedPoint}, {@link IngestedCommand}): with the type bound and the fields public, Flink
 * serializes it as a POJO with an Avro field instead of falling back to Kryo.
 */
public abstract class Decoded<T> {

    /** The accepted value, or null. */
    public T value;

    /** The rejected record, or null. */
    public DeadLetter deadLetter;

    /** A heartbeat's Kafka timestamp (nothing else is set), or 0. */
    public long heartbeatAt;

    public T accepted() {
        return value;
    }

    public DeadLetter rejected() {
        return deadLetter;
    }

    /** The heartbeat's Kafka timestamp, or 0 when this is a record. */
    public long heartbeat() {
        return heartbeatAt;
    }

    static <D extends Decoded<T>, T> D withValue(D d, T value) {
        d.value = value;
        return d;
    }

    static <D extends Decoded<?>> D withDeadLetter(D d, DeadLetter deadLetter) {
        d.deadLetter = deadLetter;
        return d;
    }

    static <D extends Decoded<?>> D withHeartbeat(D d, long at) {
        d.heartbeatAt = at;
        return d;
    }

    @Override
    public String toString() {
        String body =
                heartbeatAt != 0
                        ? "heartbeat=" + heartbeatAt
                        : value != null ? String.valueOf(value) : "dead=" + deadLetter;
        return getClass().getSimpleName() + "{" + body + "}";
    }
}

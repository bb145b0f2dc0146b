package io.tocsin.ingest;

import io.tocsin.avro.DeadLetter;

/**
 * A decoded raw record: the accepted value, the dead letter, or (live Kafka inputs only) a
 * heartbeat that carries nothing but the time it was written ({@link Heartbeats}).
 */
public interface Decoded<T> {

    T accepted();

    DeadLetter rejected();

    /** The heartbeat's Kafka timestamp, or 0 when this is a record. */
    long heartbeat();
}

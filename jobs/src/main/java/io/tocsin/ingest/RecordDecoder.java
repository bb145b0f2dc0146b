package io.tocsin.ingest;

import java.io.Serializable;
import java.util.function.Consumer;

/**
 * Turns one raw record (a Kafka value or a file line) into zero or more decoded elements, each an
 * accepted record or a dead letter. Sources decode while they read, so watermarks come from the
 * records' own event times per Kafka partition.
 */
public interface RecordDecoder<T> extends Serializable {

    void decode(byte[] bytes, Origin origin, Consumer<T> out);

    /** The element that stands for a heartbeat written at {@code at} (epoch ms). */
    T heartbeat(long at);
}

package io.tocsin.ingest;

import io.tocsin.avro.DeadLetter;

/** A decoded raw record: the accepted value, or (when that is null) the dead letter. */
public interface Decoded<T> {

    T accepted();

    DeadLetter rejected();
}

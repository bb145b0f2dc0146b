package io.tocsin.ingest;

import io.tocsin.avro.Change;
import io.tocsin.avro.DeadLetter;

/** One decoded element of a changes source: a change, a dead letter or a heartbeat. */
public final class IngestedChange extends Decoded<Change> {

    public static IngestedChange of(Change value) {
        return withValue(new IngestedChange(), value);
    }

    /** A heartbeat written at {@code at} (epoch ms): it only moves event time forward. */
    public static IngestedChange heartbeat(long at) {
        return withHeartbeat(new IngestedChange(), at);
    }

    public static IngestedChange rejected(DeadLetter deadLetter) {
        return withDeadLetter(new IngestedChange(), deadLetter);
    }
}

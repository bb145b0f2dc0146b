package io.tocsin.ingest;

import io.tocsin.avro.Command;
import io.tocsin.avro.DeadLetter;

/** One decoded element of a commands source: a command, a dead letter or a heartbeat. */
public final class IngestedCommand extends Decoded<Command> {

    public static IngestedCommand of(Command value) {
        return withValue(new IngestedCommand(), value);
    }

    /** A heartbeat written at {@code at} (epoch ms): it only moves event time forward. */
    public static IngestedCommand heartbeat(long at) {
        return withHeartbeat(new IngestedCommand(), at);
    }

    public static IngestedCommand rejected(DeadLetter deadLetter) {
        return withDeadLetter(new IngestedCommand(), deadLetter);
    }
}

package io.tocsin.ingest;

import io.tocsin.avro.Command;
import io.tocsin.avro.DeadLetter;

/** One decoded element of a commands source: a command or a dead letter, never both. */
public class IngestedCommand implements Decoded<Command> {

    /** The accepted command, or null. */
    public Command command;

    /** The rejected record, or null. */
    public DeadLetter deadLetter;

    /** A heartbeat's Kafka timestamp (nothing else is set), or 0. */
    public long heartbeatAt;

    public IngestedCommand() {}

    public static IngestedCommand of(Command command) {
        IngestedCommand i = new IngestedCommand();
        i.command = command;
        return i;
    }

    /** A heartbeat written at {@code at} (epoch ms): it only moves event time forward. */
    public static IngestedCommand heartbeat(long at) {
        IngestedCommand i = new IngestedCommand();
        i.heartbeatAt = at;
        return i;
    }

    public static IngestedCommand rejected(DeadLetter deadLetter) {
        IngestedCommand i = new IngestedCommand();
        i.deadLetter = deadLetter;
        return i;
    }

    @Override
    public Command accepted() {
        return command;
    }

    @Override
    public DeadLetter rejected() {
        return deadLetter;
    }

    @Override
    public long heartbeat() {
        return heartbeatAt;
    }

    @Override
    public String toString() {
        return command != null
                ? "IngestedCommand{" + command + "}"
                : "IngestedCommand{dead=" + deadLetter + "}";
    }
}

package io.tocsin.time;

import java.time.Instant;

/**
 * The event times the job can hold, for every input. Alerts carry theirs as epoch nanoseconds (Avro
 * timestamp-nanos), so a time after 2262 would fail at the first serialization, far from the record
 * that caused it; and Avro's conversion turns a time before 1970 with a fraction of a second into
 * another time (1969-12-31T23:59:59.5Z comes back as 1970-01-01T00:00:00.5Z).
 */
public final class EventTimes {

    public static final Instant EARLIEST = Instant.EPOCH;

    public static final Instant LATEST = Instant.ofEpochSecond(0, Long.MAX_VALUE);

    private EventTimes() {}

    public static boolean holds(Instant t) {
        return !t.isBefore(EARLIEST) && !t.isAfter(LATEST);
    }

    /** Why {@code t} is refused, for an error after the field name. */
    public static String outside(Instant t) {
        return Rfc3339.format(t)
                + " is outside the times the job can hold ("
                + Rfc3339.format(EARLIEST)
                + " .. "
                + Rfc3339.format(LATEST)
                + ")";
    }
}

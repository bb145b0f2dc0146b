package io.tocsin.time;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** RFC 3339 / ISO-8601 instants as Alertmanager writes them, and its "zero time". */
public final class Rfc3339 {

    /** Alertmanager's encoding of "unknown" for endsAt (Go's zero time). */
    public static final Instant ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

    private Rfc3339() {}

    /**
     * @return the instant, or null for Go's zero time
     * @throws DateTimeParseException when the text is not an RFC 3339 time
     */
    public static Instant parseOrZero(String text) {
        Instant t =
                OffsetDateTime.parse(text.trim(), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                        .toInstant();
        return t.equals(ZERO_TIME) || t.isBefore(ZERO_TIME) ? null : t;
    }

    /** Formats as UTC ISO-8601 ("2026-11-02T02:00:00.123Z"; fractional digits only as needed). */
    public static String format(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t);
    }
}

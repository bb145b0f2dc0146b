package io.tocsin.bench.nab;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;

/** Parses NAB's timestamps ({@code 2014-04-10 07:15:00} with optional fractional seconds). */
public final class NabTimes {

    private static final DateTimeFormatter FORMAT =
            new DateTimeFormatterBuilder()
                    .appendPattern("yyyy-MM-dd HH:mm:ss")
                    .optionalStart()
                    .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
                    .optionalEnd()
                    .toFormatter();

    private NabTimes() {}

    public static LocalDateTime parse(String text) {
        return LocalDateTime.parse(text.trim().replace('T', ' '), FORMAT);
    }
}

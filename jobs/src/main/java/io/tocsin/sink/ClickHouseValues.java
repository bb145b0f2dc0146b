package io.tocsin.sink;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Value conversions shared by the table mappings. */
final class ClickHouseValues {

    private static final DateTimeFormatter DATETIME64_3 =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private ClickHouseValues() {}

    /** A DateTime64(3, 'UTC') literal; text avoids any time-zone conversion in the driver. */
    static String time(Instant t) {
        return t == null ? null : DATETIME64_3.format(t);
    }

    static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}

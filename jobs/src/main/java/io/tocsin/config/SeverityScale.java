package io.tocsin.config;

import io.tocsin.avro.Severity;

/**
 * Tocsin's one severity ordering: SEV1 the most severe, SEV4 the least; UNKNOWN (and null) ranks
 * below every known level, so a known severity is always more severe than an unknown one, and an
 * unknown one is at or above no level and at or below none.
 */
public final class SeverityScale {

    private SeverityScale() {}

    /** 0 for SEV1 to 3 for SEV4; 4 for UNKNOWN or null. */
    public static int rank(Severity s) {
        return s == null ? Severity.UNKNOWN.ordinal() : s.ordinal();
    }

    public static boolean known(Severity s) {
        return s != null && s != Severity.UNKNOWN;
    }

    /** {@code a} is strictly more severe than {@code b}. */
    public static boolean moreSevere(Severity a, Severity b) {
        return rank(a) < rank(b);
    }

    /** {@code s} is known and {@code level} or more severe (SEV1 is at or above SEV2). */
    public static boolean atOrAbove(Severity s, Severity level) {
        return known(s) && rank(s) <= rank(level);
    }

    /** {@code s} is known and {@code level} or less severe (SEV4 is at or below SEV3). */
    public static boolean atOrBelow(Severity s, Severity level) {
        return known(s) && rank(s) >= rank(level);
    }

    /** The severity named {@code text} (e.g. "SEV2"), or null when there is none. */
    public static Severity parse(String text) {
        if (text == null) {
            return null;
        }
        for (Severity s : Severity.values()) {
            if (s.name().equals(text)) {
                return s;
            }
        }
        return null;
    }
}

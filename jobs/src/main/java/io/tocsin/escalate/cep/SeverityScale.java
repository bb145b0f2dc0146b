package io.tocsin.escalate.cep;

import io.tocsin.avro.Severity;

/**
 * Comparisons on Tocsin's severity scale, SEV1 the most severe. UNKNOWN (and null) is on neither
 * side of any level: an alert of unknown severity is no evidence of a warning or of a critical.
 */
final class SeverityScale {

    private SeverityScale() {}

    static boolean known(Severity s) {
        return s != null && s != Severity.UNKNOWN;
    }

    /** {@code s} is {@code level} or more severe (SEV1 is at or above SEV2). */
    static boolean atOrAbove(Severity s, Severity level) {
        return known(s) && s.ordinal() <= level.ordinal();
    }

    /** {@code s} is {@code level} or less severe (SEV4 is at or below SEV3). */
    static boolean atOrBelow(Severity s, Severity level) {
        return known(s) && s.ordinal() >= level.ordinal();
    }

    /** {@code a} is strictly more severe than {@code b}. */
    static boolean moreSevere(Severity a, Severity b) {
        return known(a) && known(b) && a.ordinal() < b.ordinal();
    }

    /** The severity named {@code text} (e.g. "SEV2"), or null when there is none. */
    static Severity parse(String text) {
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

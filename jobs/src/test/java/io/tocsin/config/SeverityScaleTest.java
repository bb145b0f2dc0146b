package io.tocsin.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SeverityScaleTest {

    @ParameterizedTest
    @CsvSource({
        // s, level, atOrAbove, atOrBelow, moreSevere(s, level)
        "SEV1, SEV1, true, true, false",
        "SEV1, SEV3, true, false, true",
        "SEV3, SEV1, false, true, false",
        "SEV4, SEV3, false, true, false",
        "UNKNOWN, SEV3, false, false, false",
        "UNKNOWN, SEV1, false, false, false",
        "UNKNOWN, UNKNOWN, false, false, false",
        // A known severity is more severe than an unknown one (the escalate stage's upgrade rule).
        "SEV4, UNKNOWN, true, false, true",
    })
    void oneOrdering(
            Severity s, Severity level, boolean atOrAbove, boolean atOrBelow, boolean moreSevere) {
        assertThat(SeverityScale.atOrAbove(s, level)).isEqualTo(atOrAbove);
        assertThat(SeverityScale.atOrBelow(s, level)).isEqualTo(atOrBelow);
        assertThat(SeverityScale.moreSevere(s, level)).isEqualTo(moreSevere);
    }

    @Test
    void nullIsUnknown() {
        assertThat(SeverityScale.rank(null)).isEqualTo(SeverityScale.rank(Severity.UNKNOWN));
        assertThat(SeverityScale.known(null)).isFalse();
        assertThat(SeverityScale.moreSevere(Severity.SEV4, null)).isTrue();
        assertThat(SeverityScale.parse("SEV2")).isEqualTo(Severity.SEV2);
        assertThat(SeverityScale.parse("sev2")).isNull();
    }
}

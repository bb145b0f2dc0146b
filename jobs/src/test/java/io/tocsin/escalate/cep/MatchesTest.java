package io.tocsin.escalate.cep;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.Severity;
import io.tocsin.escalate.EscalationSignal;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The patterns' shared signal construction. */
class MatchesTest {

    @ParameterizedTest(name = "{0}: severity [{1}], escalate {2}")
    @CsvSource({
        "warning-burst,         SEV2, false",
        "warning-then-critical, SEV1, true",
        "warning-then-critical,     , true",
    })
    void aSignalIsAboutTheIncidentOfTheEventThatCompletedTheMatch(
            String pattern, Severity severity, boolean escalate) {
        PatternEvent last = new PatternEvent();
        last.incidentId = "inc-7";
        last.time = 42L;
        EscalationSignal s =
                Matches.signal(pattern, last, severity, escalate, "why", Map.of("count", "3"));
        assertThat(s.incidentId).isEqualTo("inc-7");
        assertThat(s.eventTime).isEqualTo(42L);
        assertThat(s.trigger).isEqualTo("cep:" + pattern);
        assertThat(s.severity).isEqualTo(severity);
        assertThat(s.escalate).isEqualTo(escalate);
        assertThat(s.reason).isEqualTo("why");
        assertThat(s.evidence).containsExactly(Map.entry("count", "3"));
        if (!escalate) {
            assertThat(Matches.raise(pattern, last, severity, "why", Map.of("count", "3")))
                    .usingRecursiveComparison()
                    .isEqualTo(s);
        }
    }
}

package io.tocsin.escalate;

import static io.tocsin.escalate.EscalationFixtures.at;
import static io.tocsin.escalate.EscalationFixtures.described;
import static io.tocsin.escalate.EscalationFixtures.state;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentStatus;
import io.tocsin.avro.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** CEP signals alone, on an incident nobody has been paged for yet. */
class CepSignalsTest {

    final CepSignals signals =
            new CepSignals(EscalationFixtures.changes(), EscalationFixtures.pager());

    @ParameterizedTest(name = "{0} {1}, signal severity [{2}] escalate {3}: {4}")
    @CsvSource({
        "SEV3, OPEN,         SEV2, false, 'SEVERITY_CHANGED cep:test; ESCALATED cep:test -> alice'",
        "SEV2, OPEN,         SEV3, false, ''",
        "SEV1, OPEN,         ,     true,  'ESCALATED cep:test -> alice'",
        "SEV3, OPEN,         ,     true,  'NOTE_ADDED cep:test'",
        // acknowledged: a severity still rises, but nobody more is paged
        "SEV3, ACKNOWLEDGED, SEV1, true,  'SEVERITY_CHANGED cep:test; ESCALATED cep:test -> alice'",
        "SEV1, ACKNOWLEDGED, ,     true,  ''",
        "SEV3, RESOLVED,     SEV1, true,  ''",
        "SEV3, MERGED,       SEV1, true,  ''",
    })
    void aSignalRaisesAndOrPagesAnOpenIncident(
            Severity s, IncidentStatus status, Severity to, boolean escalate, String expected) {
        EscalationState st = state(s, status);
        List<IncidentEvent> out = new ArrayList<>();
        signals.apply(
                st,
                new EscalationSignal("INC-1", at(1), "cep:test", to, escalate, "why", Map.of()),
                at(1),
                out);
        assertThat(described(out))
                .containsExactlyElementsOf(
                        expected.isEmpty() ? List.of() : List.of(expected.split("; ")));
    }

    @Test
    void aSignalForAnUnknownIncidentIsIgnored() {
        List<IncidentEvent> out = new ArrayList<>();
        signals.apply(
                null,
                new EscalationSignal("INC-9", at(1), "cep:test", Severity.SEV1, true, "", Map.of()),
                at(1),
                out);
        assertThat(out).isEmpty();
    }
}

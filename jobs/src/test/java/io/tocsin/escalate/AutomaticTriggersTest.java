package io.tocsin.escalate;

import static io.tocsin.escalate.EscalationFixtures.correlator;
import static io.tocsin.escalate.EscalationFixtures.state;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.avro.IncidentStatus;
import io.tocsin.avro.Severity;
import io.tocsin.config.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The automatic triggers alone: blast radius over 3 services, anomaly_score above 0.95. */
class AutomaticTriggersTest {

    final AutomaticTriggers triggers =
            new AutomaticTriggers(
                    EscalationFixtures.ESCALATION, Topology.empty(), EscalationFixtures.changes());

    @ParameterizedTest(name = "{0} on {1} with anomaly_score [{2}]: fired [{3}], severity {4}")
    @CsvSource({
        "SEV3, 'a',       '',     '',                                   SEV3",
        "SEV3, 'a b c d', '',     'policy:blast-radius',                SEV1",
        "SEV3, 'a',       '0.97', 'policy:threshold:hot-anomaly',       SEV1",
        "SEV3, 'a',       '0.95', '',                                   SEV3",
        "SEV3, 'a',       'hot',  '',                                   SEV3",
        // already as severe as the trigger would make it: nothing fires
        "SEV1, 'a b c d', '0.97', '',                                   SEV1",
        // the first trigger raises to SEV1, so the second has nothing to add
        "SEV3, 'a b c d', '0.97', 'policy:blast-radius',                SEV1",
    })
    void eachTriggerRaisesTheSeverityOnceAndOnlyUpwards(
            Severity s, String services, String score, String fired, Severity after) {
        String[] svc = services.split(" ");
        EscalationState st = state(s, IncidentStatus.OPEN, svc);
        IncidentEvent e = correlator(IncidentEventType.ALERT_ADDED, 2, 1, s, svc);
        if (!score.isEmpty()) {
            e.setEvidence(Map.of("alert.anomaly_score", score));
        }
        List<IncidentEvent> out = new ArrayList<>();
        triggers.check(st, e, EscalationFixtures.at(1), out);
        triggers.check(st, e, EscalationFixtures.at(2), out); // each fires once a period
        assertThat(st.fired)
                .containsExactlyElementsOf(fired.isEmpty() ? List.of() : List.of(fired));
        assertThat(st.severity()).isEqualTo(after);
        assertThat(out.stream().filter(x -> x.getType() == IncidentEventType.SEVERITY_CHANGED))
                .hasSize(fired.isEmpty() ? 0 : 1);
    }
}

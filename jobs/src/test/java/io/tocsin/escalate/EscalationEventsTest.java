package io.tocsin.escalate;

import static io.tocsin.escalate.EscalationFixtures.at;
import static io.tocsin.escalate.EscalationFixtures.state;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.avro.IncidentStatus;
import io.tocsin.avro.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Event building, and the state's typed status and severity over their stored names. */
class EscalationEventsTest {

    @ParameterizedTest(name = "paged [{0}]: evidence pagedRoutingKeys [{1}]")
    @CsvSource({"'', ''", "'RK-A', 'RK-A'", "'RK-A RK-B', 'RK-A,RK-B'"})
    void closingEvidenceNamesTheRoutingKeysPaged(String paged, String expected) {
        EscalationState st = state(Severity.SEV2, IncidentStatus.OPEN);
        st.pagedKeys = paged.isEmpty() ? new ArrayList<>() : List.of(paged.split(" "));
        Map<String, String> ev = EscalationEvents.withPaged(st, Map.of("k", "v"));
        assertThat(ev).containsEntry("k", "v");
        if (expected.isEmpty()) {
            assertThat(ev).doesNotContainKey(Escalator.PAGED_KEYS);
        } else {
            assertThat(ev).containsEntry(Escalator.PAGED_KEYS, expected);
        }
    }

    @ParameterizedTest(name = "a {0} {1} incident's event carries them")
    @CsvSource({"SEV1, OPEN", "SEV3, ACKNOWLEDGED", "SEV4, RESOLVED", "SEV2, MERGED"})
    void anEventCarriesTheIncidentsCurrentFactsAndTheNextSeq(Severity s, IncidentStatus status) {
        EscalationState st = state(s, status);
        st.seq = 4;
        IncidentEvent e =
                EscalationEvents.event(st, IncidentEventType.NOTE_ADDED, at(3))
                        .setActor("x")
                        .setReason("y")
                        .build();
        assertThat(e.getSeq()).isEqualTo(5L);
        assertThat(e.getEventId()).isEqualTo("INC-1/5");
        assertThat(e.getSeverity()).isEqualTo(s);
        assertThat(e.getStatus()).isEqualTo(status);
        assertThat(e.getServices()).containsExactly("users-pg");
        assertThat(e.getEventTime().toEpochMilli()).isEqualTo(at(3));
        assertThat(e.getFirstAlertAt()).isNull();
    }

    @Test
    void theStateStoresStatusAndSeverityByNameAsCheckpointsHoldThem() {
        EscalationState st = new EscalationState();
        assertThat(st.status()).isEqualTo(IncidentStatus.OPEN);
        st.status(IncidentStatus.ACKNOWLEDGED);
        st.severity(Severity.SEV2);
        assertThat(st.status).isEqualTo("ACKNOWLEDGED");
        assertThat(st.severity).isEqualTo("SEV2");
        assertThat(st.isOpen()).isTrue();
        st.status = "MERGED";
        assertThat(st.status()).isEqualTo(IncidentStatus.MERGED);
        assertThat(st.isOpen()).isFalse();
    }
}

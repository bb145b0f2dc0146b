package io.tocsin.escalate;

import static io.tocsin.escalate.EscalationFixtures.at;
import static io.tocsin.escalate.EscalationFixtures.correlator;
import static io.tocsin.escalate.EscalationFixtures.described;
import static io.tocsin.escalate.EscalationFixtures.state;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.avro.IncidentStatus;
import io.tocsin.avro.Severity;
import io.tocsin.config.Topology;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The correlator's events alone, on a known incident whose tier one was paged. */
class CorrelatorEventsTest {

    final TierPager pager = EscalationFixtures.pager();
    final CorrelatorEvents events =
            new CorrelatorEvents(
                    new AutomaticTriggers(
                            EscalationFixtures.ESCALATION,
                            Topology.empty(),
                            EscalationFixtures.changes()),
                    pager);

    @ParameterizedTest(name = "{0} {1}, correlator says {2} {3}: {4}, then {5} {6}")
    @CsvSource({
        // severity rises with the correlator's verdict, never falls by it
        "SEV3, OPEN,     SEVERITY_CHANGED, SEV2, 'SEVERITY_CHANGED policy:correlation', SEV2, OPEN",
        "SEV1, OPEN,     SEVERITY_CHANGED, SEV3, 'NOTE_ADDED policy:correlation',       SEV1, OPEN",
        "SEV2, OPEN,     SEVERITY_CHANGED, SEV2, '',                                    SEV2, OPEN",
        "SEV2, OPEN,     ALERT_ADDED,      SEV2, 'ALERT_ADDED policy:correlation',      SEV2, OPEN",
        "SEV2, OPEN,     RESOLVED,         SEV2, 'RESOLVED policy:correlation',         SEV2, RESOLVED",
        "SEV2, OPEN,     MERGED,           SEV2, 'MERGED policy:correlation',           SEV2, MERGED",
        // a person resolved it: the correlator's resolve is a note, a new alert reopens it
        "SEV2, RESOLVED, RESOLVED,         SEV2, 'NOTE_ADDED policy:correlation',       SEV2, RESOLVED",
        "SEV2, RESOLVED, ALERT_ADDED,      SEV2, 'ALERT_ADDED policy:correlation; REOPENED policy:alert-after-resolve; ESCALATED policy:open -> alice', SEV2, OPEN",
    })
    void passesOnTheCorrelatorsEventsWithTheSeverityAndStatusThisStageDecided(
            Severity s,
            IncidentStatus status,
            IncidentEventType type,
            Severity computed,
            String expected,
            Severity severity,
            IncidentStatus after) {
        EscalationState st = state(s, status);
        st.tier = 0;
        List<IncidentEvent> out = new ArrayList<>();
        events.apply(st, correlator(type, 2, 3, computed, "users-pg"), at(3), out);
        assertThat(described(out))
                .containsExactlyElementsOf(
                        expected.isEmpty() ? List.of() : List.of(expected.split("; ")));
        assertThat(st.severity()).isEqualTo(severity);
        assertThat(st.status()).isEqualTo(after);
        for (IncidentEvent e : out) {
            assertThat(e.getSeverity()).isEqualTo(st.severity());
        }
    }

    @ParameterizedTest(name = "opened at {0}: paged {1}")
    @CsvSource({
        "SEV1, 'OPENED policy:correlation; ESCALATED policy:open -> alice'",
        "SEV2, 'OPENED policy:correlation; ESCALATED policy:open -> alice'",
        "SEV3, 'OPENED policy:correlation'",
    })
    void aFirstEventCreatesTheStateAndPagesAtThePagingSeverity(Severity s, String expected) {
        List<IncidentEvent> out = new ArrayList<>();
        EscalationState st =
                events.apply(null, correlator(IncidentEventType.OPENED, 1, 0, s, "x"), at(0), out);
        assertThat(described(out)).containsExactly(expected.split("; "));
        assertThat(st.incidentId).isEqualTo("INC-1");
        assertThat(st.status()).isEqualTo(IncidentStatus.OPEN);
        assertThat(out).extracting(IncidentEvent::getSeq).startsWith(1L);
    }

    @Test
    void passedOnEventsAreReSequencedByThisStage() {
        EscalationState st = state(Severity.SEV2, IncidentStatus.OPEN);
        st.seq = 7;
        List<IncidentEvent> out = new ArrayList<>();
        events.apply(
                st,
                correlator(IncidentEventType.ALERT_ADDED, 3, 1, Severity.SEV2, "users-pg"),
                at(1),
                out);
        assertThat(out.get(0).getSeq()).isEqualTo(8L);
        assertThat(out.get(0).getEventId()).isEqualTo("INC-1/8");
    }
}

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Severity changes alone: audited, paging tier one, held in maintenance (db-patching, 240-360). */
class SeverityChangesTest {

    final SeverityChanges changes = EscalationFixtures.changes();

    @ParameterizedTest(name = "services {0} at minute {1}: covered by [{2}]")
    @CsvSource({
        "'users-pg',          245, 'db-patching'",
        "'users-pg',          100, ''",
        "'users-pg',          361, ''",
        "'users-pg users-svc', 245, ''",
        "'users-svc',         245, ''",
    })
    void aWindowCoversAnIncidentOnlyWhenItCoversEveryService(
            String services, int minute, String window) {
        EscalationState st = state(Severity.SEV3, IncidentStatus.OPEN, services.split(" "));
        assertThat(changes.maintenanceCovering(st, at(minute)))
                .isEqualTo(window.isEmpty() ? null : window);
    }

    @ParameterizedTest(name = "{0} at minute {1}: {2}, severity then {3}")
    @CsvSource({
        "'users-pg',  100, 'SEVERITY_CHANGED policy:test; ESCALATED policy:test -> alice', SEV1",
        "'users-pg',  245, 'NOTE_ADDED policy:test',                                    SEV3",
        "'users-svc', 245, 'SEVERITY_CHANGED policy:test; ESCALATED policy:test -> alice', SEV1",
    })
    void anAutomaticUpgradeIsHeldInMaintenance(
            String services, int minute, String expected, Severity after) {
        EscalationState st = state(Severity.SEV3, IncidentStatus.OPEN, services.split(" "));
        List<IncidentEvent> out = new ArrayList<>();
        changes.upgrade(st, "policy:test", Severity.SEV1, at(minute), "because", Map.of(), out);
        assertThat(described(out)).containsExactly(expected.split("; "));
        assertThat(st.severity()).isEqualTo(after);
        assertThat(out.get(0).getEvidence()).containsEntry(Escalator.TRIGGER, "policy:test");
    }

    @ParameterizedTest(name = "{0} -> {1} by policy {2}: {3}")
    @CsvSource({
        "SEV3, SEV1, true,  'SEVERITY_CHANGED bob; ESCALATED bob -> alice'",
        "SEV3, SEV4, false, 'SEVERITY_CHANGED bob'",
        "SEV1, SEV3, false, 'SEVERITY_CHANGED bob'",
    })
    void aChangeIsAuditedAndPagesTierOneOnReachingThePagingSeverity(
            Severity from, Severity to, boolean byPolicy, String expected) {
        EscalationState st = state(from, IncidentStatus.OPEN);
        List<IncidentEvent> out = new ArrayList<>();
        changes.changeSeverity(st, to, at(1), "bob", "because", Map.of(), byPolicy, out);
        assertThat(described(out)).containsExactly(expected.split("; "));
        assertThat(out.get(0).getPreviousSeverity()).isEqualTo(from);
        assertThat(out.get(0).getSeverity()).isEqualTo(to);
        assertThat(st.severitySetByPolicy).isEqualTo(byPolicy);
    }
}

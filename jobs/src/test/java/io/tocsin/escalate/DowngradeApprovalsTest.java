package io.tocsin.escalate;

import static io.tocsin.escalate.EscalationFixtures.at;
import static io.tocsin.escalate.EscalationFixtures.command;
import static io.tocsin.escalate.EscalationFixtures.described;
import static io.tocsin.escalate.EscalationFixtures.state;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.Command;
import io.tocsin.avro.CommandType;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentStatus;
import io.tocsin.avro.Severity;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Downgrades and approvals alone (default rules: SEV1 and SEV2 need approval by a team-lead or
 * incident-commander, a trigger's severity an incident-commander, approvals expire after 1h).
 */
class DowngradeApprovalsTest {

    final DowngradeApprovals approvals =
            new DowngradeApprovals(EscalationFixtures.ESCALATION, EscalationFixtures.changes());

    static Command downgrade(String role, Severity to) {
        Command c = command("d1", CommandType.DOWNGRADE, "alice", role, 2);
        c.setTargetSeverity(to);
        return c;
    }

    @ParameterizedTest(name = "{0} (by policy {1}) -> {3} by a {2}: {4}")
    @CsvSource(
            delimiter = '|',
            value = {
                "SEV1 | false | responder          | SEV3    | APPROVAL_REQUESTED | downgrade SEV1 -> SEV3 needs approval by incident-commander or team-lead: because",
                "SEV2 | false | responder          | SEV4    | APPROVAL_REQUESTED | downgrade SEV2 -> SEV4 needs approval by incident-commander or team-lead: because",
                "SEV3 | false | responder          | SEV4    | SEVERITY_CHANGED   | because",
                "SEV1 | false | responder          | SEV1    | COMMAND_REJECTED   | downgrade needs a severity below the current SEV1",
                "SEV3 | false | responder          | SEV2    | COMMAND_REJECTED   | downgrade needs a severity below the current SEV3",
                "SEV3 | false | responder          | UNKNOWN | COMMAND_REJECTED   | downgrade needs a severity below the current SEV3",
                "SEV3 | false | responder          |         | COMMAND_REJECTED   | downgrade needs a severity below the current SEV3",
                "SEV1 | true  | team-lead          | SEV2    | COMMAND_REJECTED   | SEV1 was set by an automatic trigger; only incident-commander may override it",
                "SEV1 | true  | incident-commander | SEV2    | APPROVAL_REQUESTED | downgrade SEV1 -> SEV2 needs approval by incident-commander or team-lead: because",
                "SEV3 | true  | incident-commander | SEV4    | SEVERITY_CHANGED   | because",
            })
    void aDowngradeIsAppliedAwaitsApprovalOrIsRejected(
            Severity from,
            boolean byPolicy,
            String role,
            Severity to,
            String outcome,
            String reason) {
        EscalationState st = state(from, IncidentStatus.OPEN);
        st.severitySetByPolicy = byPolicy;
        List<IncidentEvent> out = new ArrayList<>();
        approvals.downgrade(st, downgrade(role, to), at(2), out);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).getType().name()).isEqualTo(outcome);
        assertThat(out.get(0).getReason()).isEqualTo(reason);
        assertThat(st.pending).hasSize(outcome.equals("APPROVAL_REQUESTED") ? 1 : 0);
        assertThat(st.severity()).isEqualTo(outcome.equals("SEVERITY_CHANGED") ? to : from);
    }

    @ParameterizedTest(name = "approved by {0} ({1}) for {2}: {3}")
    @CsvSource(
            delimiter = '|',
            value = {
                "bob   | team-lead          | d1 | SEVERITY_CHANGED | because (approved by bob)",
                "carol | incident-commander | d1 | SEVERITY_CHANGED | because (approved by carol)",
                "alice | team-lead          | d1 | COMMAND_REJECTED | a downgrade must be approved by a second person, not by its requester alice",
                "dave  | responder          | d1 | COMMAND_REJECTED | role responder may not approve downgrades",
                "bob   | team-lead          | d9 | COMMAND_REJECTED | no downgrade d9 awaits approval",
            })
    void aPendingDowngradeNeedsASecondPersonInAnApproverRole(
            String actor, String role, String approves, String outcome, String reason) {
        EscalationState st = state(Severity.SEV1, IncidentStatus.OPEN);
        List<IncidentEvent> out = new ArrayList<>();
        approvals.downgrade(st, downgrade("responder", Severity.SEV3), at(2), out);
        Command ok = command("a1", CommandType.APPROVE, actor, role, 3);
        ok.setApprovesCommandId(approves);
        approvals.approve(st, ok, at(3), out);
        assertThat(out).hasSize(2);
        assertThat(out.get(1).getType().name()).isEqualTo(outcome);
        assertThat(out.get(1).getReason()).isEqualTo(reason);
        boolean applied = outcome.equals("SEVERITY_CHANGED");
        assertThat(st.severity()).isEqualTo(applied ? Severity.SEV3 : Severity.SEV1);
        assertThat(st.pending).hasSize(applied ? 0 : 1);
    }

    @ParameterizedTest(name = "requested at 2, at minute {0}: {1}")
    @CsvSource({
        "61, ''",
        "62, 'COMMAND_REJECTED policy:approval-timeout'",
    })
    void anUnapprovedDowngradeExpiresAfterTheApprovalTimeout(int minute, String expected) {
        EscalationState st = state(Severity.SEV2, IncidentStatus.OPEN);
        List<IncidentEvent> out = new ArrayList<>();
        approvals.downgrade(st, downgrade("responder", Severity.SEV4), at(2), out);
        assertThat(approvals.nextDue(st)).isEqualTo(at(62));
        out.clear();
        approvals.expire(st, at(minute), out);
        assertThat(described(out))
                .containsExactlyElementsOf(expected.isEmpty() ? List.of() : List.of(expected));
        assertThat(approvals.nextDue(st)).isEqualTo(expected.isEmpty() ? at(62) : Long.MAX_VALUE);
    }
}

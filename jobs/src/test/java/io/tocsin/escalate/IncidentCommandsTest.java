package io.tocsin.escalate;

import static io.tocsin.escalate.EscalationFixtures.at;
import static io.tocsin.escalate.EscalationFixtures.command;
import static io.tocsin.escalate.EscalationFixtures.state;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.Command;
import io.tocsin.avro.CommandType;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentStatus;
import io.tocsin.avro.Severity;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Commands alone, on a SEV3 incident whose tier one was paged (default command rules). */
class IncidentCommandsTest {

    final SeverityChanges changes = EscalationFixtures.changes();
    final IncidentCommands commands =
            new IncidentCommands(
                    EscalationFixtures.ESCALATION,
                    changes,
                    new DowngradeApprovals(EscalationFixtures.ESCALATION, changes));

    @ParameterizedTest(name = "{0} by a {1} on a {2} incident [{3}]: {4} ({5})")
    @CsvSource(
            delimiter = '|',
            value = {
                "ACKNOWLEDGE | responder | OPEN         | ''      | ACKNOWLEDGED     | because",
                "ACKNOWLEDGE | responder | ACKNOWLEDGED | ''      | COMMAND_REJECTED | the incident is acknowledged (by alice)",
                "ACKNOWLEDGE | responder | RESOLVED     | ''      | COMMAND_REJECTED | the incident is resolved (by alice)",
                "RESOLVE     | responder | ACKNOWLEDGED | ''      | RESOLVED         | because",
                "RESOLVE     | responder | RESOLVED     | ''      | COMMAND_REJECTED | the incident is already resolved",
                "RESOLVE     | responder | OPEN         | noReason| COMMAND_REJECTED | resolve needs a reason",
                "UPGRADE     | responder | OPEN         | SEV2    | SEVERITY_CHANGED | because",
                "UPGRADE     | responder | OPEN         | SEV3    | COMMAND_REJECTED | upgrade needs a severity above the current SEV3",
                "UPGRADE     | responder | OPEN         | ''      | COMMAND_REJECTED | upgrade needs a severity above the current SEV3",
                "REASSIGN    | responder | OPEN         | mallory | COMMAND_REJECTED | role responder may not reassign (allowed: incident-commander, team-lead)",
                "REASSIGN    | team-lead | OPEN         | mallory | REASSIGNED       | because",
                "REASSIGN    | team-lead | OPEN         | ''      | COMMAND_REJECTED | reassign needs an assignee",
                "ADD_NOTE    | anyone    | OPEN         | a note  | NOTE_ADDED       | a note",
                "ADD_NOTE    | anyone    | OPEN         | ''      | COMMAND_REJECTED | a note needs text",
                "UNKNOWN     | responder | OPEN         | ''      | COMMAND_REJECTED | unknown command type",
            })
    void aCommandIsCheckedThenAppliedOrRejectedWithTheReason(
            CommandType type,
            String role,
            IncidentStatus status,
            String arg,
            String outcome,
            String reason) {
        EscalationState st = state(Severity.SEV3, status);
        st.tier = 0; // tier one already paged, so an upgrade pages nobody more
        if (status != IncidentStatus.OPEN) {
            st.acknowledgedBy = "alice";
        }
        Command c = command("c1", type, "bob", role, 1);
        switch (type) {
            case UPGRADE -> c.setTargetSeverity(arg.isEmpty() ? null : Severity.valueOf(arg));
            case REASSIGN -> c.setAssignee(arg);
            case ADD_NOTE -> c.setNote(arg);
            default -> {
                if (arg.equals("noReason")) {
                    c.setReason(null);
                }
            }
        }
        List<IncidentEvent> out = new ArrayList<>();
        assertThat(commands.apply(st, c, at(1), out)).isNull();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).getType().name()).isEqualTo(outcome);
        assertThat(out.get(0).getActor()).isEqualTo("bob");
        assertThat(out.get(0).getReason()).isEqualTo(reason);
    }

    @Test
    void aCommandForAnUnknownIncidentIsRefusedAndARedeliveryAppliesOnce() {
        List<IncidentEvent> out = new ArrayList<>();
        Command ack = command("c1", CommandType.ACKNOWLEDGE, "bob", "responder", 1);
        assertThat(commands.apply(null, ack, at(1), out)).startsWith("unknown incident INC-1");
        EscalationState st = state(Severity.SEV3, IncidentStatus.OPEN);
        assertThat(commands.apply(st, ack, at(1), out)).isNull();
        assertThat(commands.apply(st, ack, at(2), out)).isNull();
        assertThat(out).hasSize(1);
        assertThat(st.status()).isEqualTo(IncidentStatus.ACKNOWLEDGED);
        assertThat(st.acknowledgedBy).isEqualTo("bob");
    }

    @Test
    void onlyTheLatestCommandIdsAreRemembered() {
        EscalationState st = state(Severity.SEV3, IncidentStatus.OPEN);
        List<IncidentEvent> out = new ArrayList<>();
        for (int i = 0; i <= IncidentCommands.MAX_REMEMBERED_COMMANDS; i++) {
            Command note = command("n" + i, CommandType.ADD_NOTE, "bob", "responder", 1);
            note.setNote("note " + i);
            commands.apply(st, note, at(1), out);
        }
        assertThat(st.recentCommands)
                .hasSize(IncidentCommands.MAX_REMEMBERED_COMMANDS)
                .doesNotContain("n0")
                .contains("n1", "n" + IncidentCommands.MAX_REMEMBERED_COMMANDS);
    }
}

package io.tocsin.escalate;

import static io.tocsin.escalate.EscalationFixtures.at;
import static io.tocsin.escalate.EscalationFixtures.described;
import static io.tocsin.escalate.EscalationFixtures.state;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentStatus;
import io.tocsin.avro.Severity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The SLA clock alone (SEV1: ack 10m, resolve 2h; SEV2: 30m, 4h; warnings at 80%). */
class SlaClockTest {

    final SlaClock clock =
            new SlaClock(
                    EscalationFixtures.ESCALATION,
                    EscalationFixtures.pager(),
                    EscalationFixtures.changes());

    /**
     * flags: the SLA marks already set, among ackWarned ackBreached resolveWarned resolveBreached.
     */
    static EscalationState state(Severity s, IncidentStatus status, String flags, int tier) {
        EscalationState st = EscalationFixtures.state(s, status);
        List<String> f = Arrays.asList(flags.split(" "));
        st.ackWarned = f.contains("ackWarned");
        st.ackBreached = f.contains("ackBreached");
        st.resolveWarned = f.contains("resolveWarned");
        st.resolveBreached = f.contains("resolveBreached");
        st.tier = tier;
        st.pagedKeys = new ArrayList<>(List.of("RK-PRIMARY"));
        return st;
    }

    @ParameterizedTest(name = "{0} {1} [{2}] tier deadline {3}: next due at minute {4}")
    @CsvSource({
        "SEV1, OPEN,         '',                                       -1, 8",
        "SEV1, OPEN,         'ackWarned',                              -1, 10",
        "SEV1, OPEN,         'ackWarned ackBreached',                  -1, 96",
        "SEV1, OPEN,         '',                                        5, 5",
        "SEV1, ACKNOWLEDGED, '',                                       -1, 96",
        "SEV1, ACKNOWLEDGED, 'resolveWarned',                          -1, 120",
        "SEV2, OPEN,         '',                                       -1, 24",
        "SEV2, ACKNOWLEDGED, '',                                       -1, 192",
        "SEV1, OPEN, 'ackWarned ackBreached resolveWarned resolveBreached', -1, -1",
        "SEV1, RESOLVED,     '',                                        5, -1",
        "SEV1, MERGED,       '',                                       -1, -1",
    })
    void nextDueIsTheEarliestTimerOfAnOpenIncident(
            Severity s, IncidentStatus status, String flags, int deadline, int minute) {
        EscalationState st = state(s, status, flags, 0);
        st.tierDeadline = deadline < 0 ? Long.MAX_VALUE : at(deadline);
        assertThat(clock.nextDue(st)).isEqualTo(minute < 0 ? Long.MAX_VALUE : at(minute));
    }

    @ParameterizedTest(name = "{0} {1} [{2}] tier {3} at minute {4}: {5}")
    @CsvSource({
        // warned at 80%: page the next tier now, or note that the chain is done
        "SEV1, OPEN,         '',          0, 8,   'ESCALATED policy:ack-sla-at-risk -> bob'",
        "SEV1, OPEN,         '',          1, 8,   'NOTE_ADDED policy:ack-sla-at-risk'",
        // breached: one level up; at SEV1 there is none, so the path is tried again
        "SEV2, OPEN,         'ackWarned', 0, 30,  'SEVERITY_CHANGED policy:acknowledge-sla-breached'",
        "SEV1, OPEN,         'ackWarned', 1, 10,  'NOTE_ADDED policy:acknowledge-sla-breached'",
        // acknowledged: only the resolve SLA runs
        "SEV2, ACKNOWLEDGED, '',          0, 30,  ''",
        "SEV2, ACKNOWLEDGED, '',          0, 192, 'ESCALATED policy:resolve-sla-at-risk -> bob'",
        "SEV1, RESOLVED,     '',          0, 500, ''",
    })
    void onTimeFiresWhatIsDue(
            Severity s,
            IncidentStatus status,
            String flags,
            int tier,
            int minute,
            String expected) {
        EscalationState st = state(s, status, flags, tier);
        List<IncidentEvent> out = new ArrayList<>();
        clock.onTime(st, at(minute), out);
        assertThat(described(out))
                .containsExactlyElementsOf(
                        expected.isEmpty() ? List.of() : List.of(expected.split("; ")));
    }

    @Test
    void anExpiredTierTimeoutPagesTheNextTierOnceWhileOpen() {
        EscalationState st = state(Severity.SEV1, IncidentStatus.OPEN, "", 0);
        st.tierDeadline = at(5);
        List<IncidentEvent> out = new ArrayList<>();
        clock.onTime(st, at(5), out);
        assertThat(described(out)).containsExactly("ESCALATED policy:tier-timeout -> bob");
        assertThat(st.tier).isEqualTo(1);
        assertThat(st.tierDeadline).isEqualTo(at(10));
    }

    @ParameterizedTest(name = "one level up from {0} is {1}")
    @CsvSource({
        "SEV1, SEV1",
        "SEV2, SEV1",
        "SEV3, SEV2",
        "SEV4, SEV3",
        "UNKNOWN, SEV3",
    })
    void oneUp(Severity from, Severity to) {
        assertThat(SlaClock.oneUp(from)).isEqualTo(to);
    }
}

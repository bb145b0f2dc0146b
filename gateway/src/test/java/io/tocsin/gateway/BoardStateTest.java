package io.tocsin.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.avro.IncidentStatus;
import io.tocsin.avro.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The board's fold of incident events, its users file and its search parameters. */
class BoardStateTest {

    static final Instant T0 = Instant.parse("2026-11-02T02:00:00Z");

    static IncidentEvent ev(
            String id, long seq, IncidentEventType type, Severity sev, IncidentStatus status) {
        return IncidentEvent.newBuilder()
                .setEventId(id + "/" + seq)
                .setIncidentId(id)
                .setSeq(seq)
                .setType(type)
                .setEventTime(T0.plusSeconds(seq))
                .setOpenedAt(T0)
                .setSeverity(sev)
                .setStatus(status)
                .setServices(List.of("a"))
                .setFingerprint("fp-" + id + "-" + seq)
                .setAlertName("A" + seq)
                .setEvidence(
                        type == IncidentEventType.APPROVAL_REQUESTED
                                ? Map.of("commandId", "c-1", "targetSeverity", "SEV3")
                                : Map.of())
                .setActor(type == IncidentEventType.ACKNOWLEDGED ? "alice" : "policy:x")
                .build();
    }

    @Test
    void foldsInSeqOrderDropsRepeatsAndSortsMostSevereFirst() {
        BoardState s = new BoardState(10, 100);
        assertThat(
                        s.apply(
                                ev(
                                        "I-1",
                                        1,
                                        IncidentEventType.OPENED,
                                        Severity.SEV3,
                                        IncidentStatus.OPEN)))
                .isTrue();
        assertThat(
                        s.apply(
                                ev(
                                        "I-1",
                                        1,
                                        IncidentEventType.OPENED,
                                        Severity.SEV3,
                                        IncidentStatus.OPEN)))
                .isFalse();
        s.apply(ev("I-2", 1, IncidentEventType.OPENED, Severity.SEV1, IncidentStatus.OPEN));
        s.apply(ev("I-3", 1, IncidentEventType.OPENED, Severity.SEV1, IncidentStatus.OPEN));
        s.apply(
                ev(
                        "I-2",
                        2,
                        IncidentEventType.ACKNOWLEDGED,
                        Severity.SEV1,
                        IncidentStatus.ACKNOWLEDGED));
        s.apply(ev("I-4", 1, IncidentEventType.OPENED, Severity.SEV2, IncidentStatus.OPEN));
        s.apply(ev("I-4", 2, IncidentEventType.RESOLVED, Severity.SEV2, IncidentStatus.RESOLVED));
        List<String> open = s.read(v -> v.open().stream().map(i -> i.id).toList());
        // SEV1 unacknowledged, SEV1 acknowledged, SEV3; the resolved one is not open.
        assertThat(open).containsExactly("I-3", "I-2", "I-1");
        assertThat(s.<List<String>>read(v -> v.recentlyClosed(5).stream().map(i -> i.id).toList()))
                .containsExactly("I-4");
        assertThat(s.<String>read(v -> v.get("I-2").acknowledgedBy)).isEqualTo("alice");
        assertThat(s.eventsApplied()).isEqualTo(6);
    }

    @Test
    void pendingApprovalLeavesWhenItsSeverityChangeArrives() {
        BoardState s = new BoardState(10, 100);
        s.apply(ev("I-1", 1, IncidentEventType.OPENED, Severity.SEV1, IncidentStatus.OPEN));
        s.apply(
                ev(
                        "I-1",
                        2,
                        IncidentEventType.APPROVAL_REQUESTED,
                        Severity.SEV1,
                        IncidentStatus.OPEN));
        assertThat(s.<java.util.Set<String>>read(v -> v.get("I-1").pending.keySet()))
                .containsExactly("c-1");
        IncidentEvent changed =
                ev(
                        "I-1",
                        3,
                        IncidentEventType.SEVERITY_CHANGED,
                        Severity.SEV3,
                        IncidentStatus.OPEN);
        changed.setEvidence(Map.of("commandId", "c-1"));
        s.apply(changed);
        assertThat(s.<Map<String, BoardState.Pending>>read(v -> v.get("I-1").pending)).isEmpty();
    }

    @Test
    void keepsOnlyTheNewestClosedIncidents() {
        BoardState s = new BoardState(2, 100);
        for (int i = 0; i < 5; i++) {
            s.apply(ev("I-" + i, 1, IncidentEventType.OPENED, Severity.SEV3, IncidentStatus.OPEN));
            s.apply(
                    ev(
                            "I-" + i,
                            2 + i,
                            IncidentEventType.RESOLVED,
                            Severity.SEV3,
                            IncidentStatus.RESOLVED));
        }
        assertThat(s.<List<String>>read(v -> v.recentlyClosed(10).stream().map(i -> i.id).toList()))
                .containsExactly("I-4", "I-3");
    }

    @Test
    void usersFileErrorsNameTheEntryAndField() {
        assertThatThrownBy(() -> BoardUsers.parse("u.yaml", "users: [{name: a}]"))
                .hasMessage("u.yaml: users[0].role: required");
        assertThatThrownBy(() -> BoardUsers.parse("u.yaml", "users: [{name: a, role: r}]"))
                .hasMessageContaining("users[0]: needs a token or a certificateCn");
        assertThatThrownBy(
                        () -> BoardUsers.parse("u.yaml", "users: [{name: a, role: r, token: x}]"))
                .hasMessageContaining("users[0].token: at least 16 characters");
        assertThatThrownBy(() -> BoardUsers.parse("u.yaml", "nobody: 1"))
                .hasMessage("u.yaml: users: expected a list of users");
        BoardUsers u =
                BoardUsers.parse(
                        "u.yaml",
                        "users: [{name: alice, role: responder, token: 0123456789abcdef}]");
        assertThat(u.identify("Bearer 0123456789abcdef", null))
                .isEqualTo(new BoardUsers.User("alice", "responder"));
        assertThat(u.identify("Bearer 0123456789abcdeX", null)).isNull();
        assertThat(u.identify(null, null)).isNull();
    }

    @Test
    void searchParametersAreCheckedWithClearMessages() {
        assertThat(BoardQuery.parse(null, " pg ", "2026-11-02", "2026-11-02").alert())
                .isEqualTo("pg");
        BoardQuery q = BoardQuery.parse("", "", "2026-11-02T02:00", "2026-11-02T03:00:00Z");
        assertThat(q.from()).isEqualTo(Instant.parse("2026-11-02T02:00:00Z"));
        assertThat(BoardQuery.parse(null, null, null, "2026-11-02").to())
                .isEqualTo(Instant.parse("2026-11-03T00:00:00Z"));
        assertThatThrownBy(() -> BoardQuery.parse(null, null, "soon", null))
                .hasMessageStartingWith("from: cannot parse \"soon\" as a time");
        assertThatThrownBy(() -> BoardQuery.parse(null, null, "2026-11-03", "2026-11-02T00:00"))
                .hasMessageContaining("is before");
        assertThatThrownBy(() -> BoardQuery.parse("x".repeat(201), null, null, null))
                .hasMessage("service: longer than 200 characters");
    }
}

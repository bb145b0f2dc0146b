package io.tocsin.escalate;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.Command;
import io.tocsin.avro.CommandType;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.avro.IncidentStatus;
import io.tocsin.avro.Severity;
import io.tocsin.config.Policy;
import io.tocsin.config.PolicyLoader;
import io.tocsin.config.Topology;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The escalation state machine, driven directly: one incident, event by event, timer by timer. */
class EscalatorTest {

    static final String POLICY =
            """
            escalation:
              pageAtOrAbove: SEV2
              slaWarning: 0.8
              levels:
                SEV1: {acknowledgeWithin: 10m, resolveWithin: 2h}
                SEV2: {acknowledgeWithin: 30m, resolveWithin: 4h}
              targets:
                primary: {person: alice, routingKey: RK-PRIMARY}
                lead: {person: bob, routingKey: RK-LEAD}
                commander: {person: carol, routingKey: RK-IC}
              chains:
                - id: default
                  tiers:
                    - {target: primary, timeout: 5m}
                    - {target: lead, timeout: 5m}
                  loops: 0
              blastRadius: {maxServices: 3, severity: SEV1}
              thresholds:
                - {id: hot-anomaly, key: anomaly_score, above: 0.95, severity: SEV1}
            suppression:
              maintenanceWindows:
                - id: db-patching
                  matchers: ['service="users-pg"']
                  start: 2026-11-02T06:00:00Z
                  end: 2026-11-02T08:00:00Z
            """;

    static final Instant T0 = Instant.parse("2026-11-02T02:00:00Z");

    final Policy policy = parse(POLICY);
    final Escalator escalator =
            new Escalator(
                    policy.escalation(),
                    policy.suppression().maintenanceWindows(),
                    Topology.empty(),
                    "cluster");
    final List<IncidentEvent> out = new ArrayList<>();
    EscalationState st;
    long seq;

    static Policy parse(String yaml) {
        return PolicyLoader.parse(
                "policy.yaml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    static long at(int minutes) {
        return T0.plus(Duration.ofMinutes(minutes)).toEpochMilli();
    }

    IncidentEvent correlator(IncidentEventType type, int minute, Severity s, String... services) {
        return EscalationFixtures.correlator(type, ++seq, minute, s, services);
    }

    void feed(IncidentEvent e) {
        st = escalator.onEvent(st, e, e.getEventTime().toEpochMilli(), out);
    }

    /** Fires every due time up to {@code minute}, as the operator's timers would. */
    void advanceTo(int minute) {
        long until = at(minute);
        int fired = 0;
        for (long due = escalator.nextDue(st); due <= until; due = escalator.nextDue(st)) {
            escalator.onTime(st, due, out);
            // Something due that never stops being due would spin the operator's timers.
            assertThat(++fired).as("due times up to minute " + minute).isLessThan(100);
        }
    }

    static Command command(
            String id, CommandType type, String actor, String role, int minute, Severity target) {
        return Command.newBuilder()
                .setCommandId(id)
                .setIncidentId("INC-1")
                .setType(type)
                .setActor(actor)
                .setRole(role)
                .setReason("because")
                .setIssuedAt(Instant.ofEpochMilli(at(minute)))
                .setTargetSeverity(target)
                .build();
    }

    String command(Command c) {
        return escalator.onCommand(st, c, c.getIssuedAt().toEpochMilli(), out);
    }

    List<String> added() {
        return out.stream()
                .filter(e -> !e.getActor().equals("policy:correlation"))
                .map(
                        e ->
                                e.getType()
                                        + " "
                                        + e.getActor()
                                        + (e.getTarget() == null ? "" : " -> " + e.getTarget())
                                        + " @"
                                        + Duration.between(T0, e.getEventTime()).toMinutes())
                .toList();
    }

    @Test
    void aSev1PagesTierOneOnOpenAndTheNextTierWhenNobodyAcknowledges() {
        feed(correlator(IncidentEventType.OPENED, 0, Severity.SEV1, "users-pg"));
        advanceTo(12);
        assertThat(added())
                .containsExactly(
                        "ESCALATED policy:open -> alice @0",
                        "ESCALATED policy:tier-timeout -> bob @5",
                        // 80% of the 10m acknowledge SLA: page further now (the chain is done)
                        "NOTE_ADDED policy:ack-sla-at-risk @8",
                        // breached: SEV1 cannot go higher, so the path is tried again
                        "NOTE_ADDED policy:acknowledge-sla-breached @10");
        IncidentEvent first = out.get(1);
        assertThat(first.getEscalationTier()).isZero();
        assertThat(first.getEvidence())
                .containsEntry(Escalator.ROUTING_KEY, "RK-PRIMARY")
                .containsEntry("chain", "default");
        assertThat(out).extracting(IncidentEvent::getSeq).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void anAcknowledgementStopsTheEscalationAndTheSlaClock() {
        feed(correlator(IncidentEventType.OPENED, 0, Severity.SEV1, "users-pg"));
        assertThat(command(command("c1", CommandType.ACKNOWLEDGE, "alice", "responder", 3, null)))
                .isNull();
        advanceTo(60);
        assertThat(added())
                .containsExactly("ESCALATED policy:open -> alice @0", "ACKNOWLEDGED alice @3");
        IncidentEvent ack = out.get(2);
        assertThat(ack.getStatus()).isEqualTo(IncidentStatus.ACKNOWLEDGED);
        assertThat(ack.getEvidence()).containsEntry(Escalator.PAGED_KEYS, "RK-PRIMARY");
        // Acknowledging twice is refused, with the reason, not silently applied.
        command(command("c2", CommandType.ACKNOWLEDGE, "bob", "responder", 4, null));
        assertThat(out.get(out.size() - 1).getType()).isEqualTo(IncidentEventType.COMMAND_REJECTED);
        assertThat(out.get(out.size() - 1).getReason())
                .isEqualTo("the incident is acknowledged (by alice)");
    }

    @Test
    void aSev3IsNotPagedUntilItsAcknowledgeSlaIsBreachedWhichUpgradesIt() {
        feed(correlator(IncidentEventType.OPENED, 0, Severity.SEV3, "users-pg"));
        advanceTo(61);
        // SEV3: 1h to acknowledge (built-in level). At 48m: at risk, but nothing to page yet;
        // at 60m: breached -> SEV2, which pages tier one.
        assertThat(added())
                .containsExactly(
                        "NOTE_ADDED policy:ack-sla-at-risk @48",
                        "SEVERITY_CHANGED policy:acknowledge-sla-breached @60",
                        "ESCALATED policy:acknowledge-sla-breached -> alice @60");
        assertThat(out.get(2).getPreviousSeverity()).isEqualTo(Severity.SEV3);
        assertThat(out.get(2).getSeverity()).isEqualTo(Severity.SEV2);
    }

    @Test
    void aSev1DowngradeNeedsASecondPersonsApproval() {
        feed(correlator(IncidentEventType.OPENED, 0, Severity.SEV1, "users-pg"));
        command(command("d1", CommandType.DOWNGRADE, "alice", "responder", 2, Severity.SEV3));
        assertThat(st.severity).isEqualTo("SEV1");
        // The requester cannot approve her own downgrade; a responder cannot approve at all.
        Command self = command("a1", CommandType.APPROVE, "alice", "team-lead", 3, null);
        self.setApprovesCommandId("d1");
        command(self);
        Command weak = command("a2", CommandType.APPROVE, "dave", "responder", 3, null);
        weak.setApprovesCommandId("d1");
        command(weak);
        Command ok = command("a3", CommandType.APPROVE, "bob", "team-lead", 4, null);
        ok.setApprovesCommandId("d1");
        command(ok);
        assertThat(added())
                .containsExactly(
                        "ESCALATED policy:open -> alice @0",
                        "APPROVAL_REQUESTED alice @2",
                        "COMMAND_REJECTED alice @3",
                        "COMMAND_REJECTED dave @3",
                        "SEVERITY_CHANGED bob @4");
        IncidentEvent change = out.get(out.size() - 1);
        assertThat(change.getSeverity()).isEqualTo(Severity.SEV3);
        assertThat(change.getPreviousSeverity()).isEqualTo(Severity.SEV1);
        assertThat(change.getEvidence())
                .containsEntry("approvedBy", "bob")
                .containsEntry("requestedBy", "alice");
        assertThat(out.get(3).getReason()).contains("second person");
        assertThat(out.get(4).getReason())
                .isEqualTo(
                        "role responder may not approve (allowed: incident-commander, team-lead)");
        assertThat(st.severity).isEqualTo("SEV3");
    }

    @Test
    void aTierWaitingWhenTheIncidentIsDowngradedBelowPagingStopsWaiting() {
        feed(correlator(IncidentEventType.OPENED, 0, Severity.SEV2, "users-pg"));
        command(command("d1", CommandType.DOWNGRADE, "alice", "responder", 1, Severity.SEV3));
        Command ok = command("a1", CommandType.APPROVE, "bob", "team-lead", 2, null);
        ok.setApprovesCommandId("d1");
        command(ok);
        advanceTo(30);
        // The tier timeout at 5 is noted once (nothing to page at SEV3), not again and again.
        assertThat(added())
                .containsExactly(
                        "ESCALATED policy:open -> alice @0",
                        "APPROVAL_REQUESTED alice @1",
                        "SEVERITY_CHANGED bob @2",
                        "NOTE_ADDED policy:tier-timeout @5");
    }

    @Test
    void anUnapprovedDowngradeExpires() {
        feed(correlator(IncidentEventType.OPENED, 0, Severity.SEV2, "users-pg"));
        command(command("c1", CommandType.ACKNOWLEDGE, "alice", "responder", 1, null));
        command(command("d1", CommandType.DOWNGRADE, "alice", "responder", 2, Severity.SEV4));
        advanceTo(63);
        assertThat(added()).contains("COMMAND_REJECTED policy:approval-timeout @62");
        assertThat(st.severity).isEqualTo("SEV2");
    }

    @Test
    void aCommandARoleMayNotIssueIsRejectedWithTheReasonAndChangesNothing() {
        feed(correlator(IncidentEventType.OPENED, 0, Severity.SEV2, "users-pg"));
        Command c = command("r1", CommandType.REASSIGN, "eve", "responder", 1, null);
        c.setAssignee("mallory");
        command(c);
        IncidentEvent rejected = out.get(out.size() - 1);
        assertThat(rejected.getType()).isEqualTo(IncidentEventType.COMMAND_REJECTED);
        assertThat(rejected.getActor()).isEqualTo("eve");
        assertThat(rejected.getReason())
                .isEqualTo(
                        "role responder may not reassign (allowed: incident-commander, team-lead)");
        assertThat(rejected.getEvidence()).containsEntry("commandId", "r1");
        assertThat(st.assignee).isNull();
    }

    @Test
    void aDowngradeWithoutReasonIsRejectedAndARedeliveredCommandAppliesOnce() {
        feed(correlator(IncidentEventType.OPENED, 0, Severity.SEV3, "users-pg"));
        Command c = command("d1", CommandType.DOWNGRADE, "alice", "responder", 1, Severity.SEV4);
        c.setReason(null);
        command(c);
        assertThat(out.get(out.size() - 1).getReason()).isEqualTo("downgrade needs a reason");
        Command up = command("u1", CommandType.UPGRADE, "alice", "responder", 2, Severity.SEV2);
        command(up);
        command(up);
        assertThat(out.stream().filter(e -> e.getType() == IncidentEventType.SEVERITY_CHANGED))
                .hasSize(1);
    }

    @Test
    void anAutomaticUpgradeCanOnlyBeOverriddenByAnOverrideRole() {
        feed(correlator(IncidentEventType.OPENED, 0, Severity.SEV3, "a"));
        feed(correlator(IncidentEventType.ALERT_ADDED, 1, Severity.SEV3, "a", "b", "c", "d"));
        assertThat(st.severity).isEqualTo("SEV1");
        command(command("d1", CommandType.DOWNGRADE, "bob", "team-lead", 2, Severity.SEV2));
        assertThat(out.get(out.size() - 1).getReason())
                .isEqualTo(
                        "SEV1 was set by an automatic trigger; only incident-commander may override it");
        command(
                command(
                        "d2",
                        CommandType.DOWNGRADE,
                        "carol",
                        "incident-commander",
                        3,
                        Severity.SEV2));
        assertThat(out.get(out.size() - 1).getType())
                .isEqualTo(IncidentEventType.APPROVAL_REQUESTED);
    }

    @Test
    void blastRadiusAndThresholdTriggersUpgradeOnceAndAreNamed() {
        feed(correlator(IncidentEventType.OPENED, 0, Severity.SEV3, "a"));
        IncidentEvent hot = correlator(IncidentEventType.ALERT_ADDED, 1, Severity.SEV3, "a", "b");
        hot.setEvidence(Map.of("alert.anomaly_score", "0.97"));
        feed(hot);
        assertThat(added())
                .containsExactly(
                        "SEVERITY_CHANGED policy:threshold:hot-anomaly @1",
                        "ESCALATED policy:threshold:hot-anomaly -> alice @1");
        assertThat(out.get(2).getReason())
                .isEqualTo("PostgresTooManyConnections on a: anomaly_score = 0.97 > 0.95");
        feed(correlator(IncidentEventType.ALERT_ADDED, 2, Severity.SEV3, "a", "b", "c", "d"));
        // Already SEV1: blast radius has nothing to add.
        assertThat(out.stream().filter(e -> e.getType() == IncidentEventType.SEVERITY_CHANGED))
                .hasSize(1);
    }

    @Test
    void upgradesAreHeldDuringAMaintenanceWindowCoveringTheIncident() {
        seq = 0;
        IncidentEvent opened = correlator(IncidentEventType.OPENED, 245, Severity.SEV3, "users-pg");
        feed(opened);
        IncidentEvent hot =
                correlator(IncidentEventType.ALERT_ADDED, 246, Severity.SEV3, "users-pg");
        hot.setEvidence(Map.of("alert.anomaly_score", "0.99"));
        feed(hot);
        assertThat(added()).containsExactly("NOTE_ADDED policy:threshold:hot-anomaly @246");
        assertThat(out.get(out.size() - 1).getEvidence())
                .containsEntry("maintenance", "db-patching")
                .containsEntry("heldSeverity", "SEV1");
        assertThat(st.severity).isEqualTo("SEV3");
    }

    @Test
    void theCorrelatorsLowerVerdictIsNotedAndTheSeverityStays() {
        feed(correlator(IncidentEventType.OPENED, 0, Severity.SEV1, "users-pg"));
        feed(correlator(IncidentEventType.SEVERITY_CHANGED, 5, Severity.SEV3, "users-pg"));
        assertThat(st.severity).isEqualTo("SEV1");
        IncidentEvent note = out.get(out.size() - 1);
        assertThat(note.getType()).isEqualTo(IncidentEventType.NOTE_ADDED);
        assertThat(note.getSeverity()).isEqualTo(Severity.SEV1);
        assertThat(note.getEvidence()).containsEntry("computedSeverity", "SEV3");
    }

    @Test
    void aPersonResolvesAndAnAlertFiringLaterReopensAndPagesAgain() {
        feed(correlator(IncidentEventType.OPENED, 0, Severity.SEV2, "users-pg"));
        command(command("r1", CommandType.RESOLVE, "alice", "responder", 2, null));
        feed(correlator(IncidentEventType.ALERT_ADDED, 9, Severity.SEV2, "users-pg"));
        feed(correlator(IncidentEventType.RESOLVED, 20, Severity.SEV2, "users-pg"));
        assertThat(out)
                .extracting(IncidentEvent::getType)
                .containsExactly(
                        IncidentEventType.OPENED,
                        IncidentEventType.ESCALATED,
                        IncidentEventType.RESOLVED,
                        IncidentEventType.ALERT_ADDED,
                        IncidentEventType.REOPENED,
                        IncidentEventType.ESCALATED,
                        IncidentEventType.RESOLVED);
        assertThat(out.get(2).getActor()).isEqualTo("alice");
        assertThat(out.get(2).getEvidence()).containsEntry(Escalator.PAGED_KEYS, "RK-PRIMARY");
    }

    @Test
    void aCommandForAnUnknownIncidentIsRefusedForTheDeadLetters() {
        assertThat(
                        escalator.onCommand(
                                null,
                                command("c", CommandType.ACKNOWLEDGE, "a", "responder", 0, null),
                                at(0),
                                out))
                .startsWith("unknown incident INC-1");
        assertThat(out).isEmpty();
    }

    @Test
    void signalsUpgradeAndEscalateOpenIncidentsOnly() {
        feed(correlator(IncidentEventType.OPENED, 0, Severity.SEV3, "users-pg"));
        escalator.onSignal(
                st,
                new EscalationSignal(
                        "INC-1",
                        at(1),
                        "cep:warning-burst",
                        Severity.SEV2,
                        false,
                        "3 warnings in 10m",
                        Map.of("count", "3")),
                at(1),
                out);
        escalator.onSignal(
                st,
                new EscalationSignal(
                        "INC-1",
                        at(2),
                        "cep:warning-then-critical",
                        null,
                        true,
                        "a warning then a critical",
                        Map.of()),
                at(2),
                out);
        assertThat(added())
                .containsExactly(
                        "SEVERITY_CHANGED cep:warning-burst @1",
                        "ESCALATED cep:warning-burst -> alice @1",
                        "ESCALATED cep:warning-then-critical -> bob @2");
    }

    @Test
    void stateBytesPerIncidentAreBounded() throws Exception {
        feed(
                correlator(
                        IncidentEventType.OPENED,
                        0,
                        Severity.SEV1,
                        "users-pg",
                        "users-svc",
                        "checkout-api",
                        "web-frontend"));
        command(command("c1", CommandType.ACKNOWLEDGE, "alice", "responder", 1, null));
        command(command("d1", CommandType.DOWNGRADE, "alice", "responder", 2, Severity.SEV3));
        var serializer =
                org.apache.flink.api.common.typeinfo.TypeInformation.of(EscalationState.class)
                        .createSerializer(
                                new org.apache.flink.api.common.serialization
                                        .SerializerConfigImpl());
        var bytes = new org.apache.flink.core.memory.DataOutputSerializer(1024);
        serializer.serialize(st, bytes);
        // Measured: one paged, acknowledged incident of 4 services with a pending downgrade.
        System.out.println("escalation state bytes per incident (typical): " + bytes.length());
        assertThat(bytes.length()).isBetween(200, 1500);
    }

    @Test
    void stateIsDroppedAfterItsTtl() {
        feed(correlator(IncidentEventType.OPENED, 0, Severity.SEV4, "x"));
        feed(correlator(IncidentEventType.RESOLVED, 10, Severity.SEV4, "x"));
        long ttl = at(10) + Duration.ofDays(7).toMillis();
        assertThat(escalator.nextDue(st)).isEqualTo(ttl);
        assertThat(escalator.onTime(st, ttl, out)).isFalse();
    }
}

package io.tocsin.escalate;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.Command;
import io.tocsin.avro.CommandType;
import io.tocsin.avro.Handover;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.avro.Severity;
import io.tocsin.config.Policy;
import io.tocsin.control.ControlUpdate;
import io.tocsin.escalate.page.Page;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Handovers in the escalate operator (Flink's keyed broadcast harness, event-time timers): the
 * policy's required handovers (inline, recorded within the window, at its edges, missing), the page
 * a REASSIGN sends its new owner, and HANDOVER_DUE when the paged rotation hands over.
 */
class HandoverEscalationTest {

    /**
     * One tier on a rotation of alice and bob in 3-hour shifts from midnight UTC: bob takes over at
     * 03:00Z (minute 60 after T0 = 02:00Z), alice at 06:00Z (minute 240). SLAs and the tier timeout
     * are long, so no other timer fires in these tests.
     */
    static final String POLICY =
            """
            escalation:
              pageAtOrAbove: SEV2
              levels:
                SEV1: {acknowledgeWithin: 10h, resolveWithin: 20h}
                SEV2: {acknowledgeWithin: 10h, resolveWithin: 20h}
                SEV3: {acknowledgeWithin: 10h, resolveWithin: 20h}
              schedules:
                primary-oncall:
                  timeZone: UTC
                  layers:
                    - {members: [alice, bob], start: "2026-11-02T00:00", shift: 3h}
              targets:
                primary: {schedule: primary-oncall, routingKey: RK-PRIMARY}
                lead: {person: carol, routingKey: RK-LEAD}
              chains:
                - id: default
                  tiers: [{target: primary, timeout: 10h}]
              handover:
                requiredFor: [REASSIGN]
                requiredForUpgradeTo: SEV1
                within: 30m
            """;

    private KeyedBroadcastOperatorTestHarness<String, EscalationInput, ControlUpdate, IncidentEvent>
            harness;

    private void start(String yaml) throws Exception {
        Policy policy = EscalatorTest.parse(yaml);
        harness = EscalationFixtures.harness(policy);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    private void open(Severity s) throws Exception {
        IncidentEvent e =
                EscalationFixtures.correlator(IncidentEventType.OPENED, 1, 0, s, "users-pg");
        harness.processElement(EscalationInput.of(e), e.getEventTime().toEpochMilli());
    }

    private void send(Command c) throws Exception {
        harness.processElement(EscalationInput.of(c), c.getIssuedAt().toEpochMilli());
    }

    private void watermark(int minute) throws Exception {
        harness.processWatermark(EscalatorTest.at(minute));
    }

    private static Command command(String id, CommandType type, String actor, int minute) {
        return EscalatorTest.command(id, type, actor, "team-lead", minute, null);
    }

    private static Command reassign(String id, String assignee, int minute) {
        Command c = command(id, CommandType.REASSIGN, "carol", minute);
        c.setAssignee(assignee);
        return c;
    }

    private static Handover handover(String hypothesis) {
        return Handover.newBuilder()
                .setHypotheses(List.of(hypothesis))
                .setActionsTaken(List.of("failed over users-pg", "paused the batch job"))
                .setNextSteps(List.of("watch replication lag"))
                .build();
    }

    private static Command handoverCommand(String id, int minute) {
        Command c = command(id, CommandType.HANDOVER, "alice", minute);
        c.setHandover(handover("connection pool exhausted"));
        return c;
    }

    private List<IncidentEvent> events() {
        return harness.extractOutputValues().stream()
                .filter(e -> !e.getActor().equals("policy:correlation"))
                .toList();
    }

    /** "TYPE actor[ -> target] @minute[: reason]" for each event of this stage. */
    private List<String> out() {
        return events().stream()
                .map(
                        e ->
                                e.getType()
                                        + " "
                                        + e.getActor()
                                        + (e.getTarget() == null ? "" : " -> " + e.getTarget())
                                        + " @"
                                        + Duration.between(EscalatorTest.T0, e.getEventTime())
                                                .toMinutes()
                                        + (e.getType() == IncidentEventType.COMMAND_REJECTED
                                                ? ": " + e.getReason()
                                                : ""))
                .toList();
    }

    private IncidentEvent last(IncidentEventType type) {
        List<IncidentEvent> of = events().stream().filter(e -> e.getType() == type).toList();
        assertThat(of).as(type.name()).isNotEmpty();
        return of.get(of.size() - 1);
    }

    private static List<Page> pages(IncidentEvent e) {
        List<Page> pages = new ArrayList<>();
        new PageRouter().flatMap(e, new ListCollector<>(pages));
        return pages;
    }

    @Test
    void aReassignNeedsAHandoverInlineOrRecordedAtMostWithinBeforeIt() throws Exception {
        start(POLICY);
        open(Severity.SEV2);
        send(reassign("r1", "lead", 5)); // nothing recorded yet
        send(handoverCommand("h1", 10));
        send(reassign("r2", "lead", 40)); // exactly 30m after h1: counts
        send(reassign("r3", "lead", 41)); // 31m after h1: too old
        Command inline = reassign("r4", "lead", 50);
        inline.setHandover(handover("a bad deploy"));
        send(inline);
        watermark(59);
        assertThat(out())
                .containsExactly(
                        "ESCALATED policy:open -> alice @0",
                        "COMMAND_REJECTED carol @5: reassign needs a handover (hypotheses,"
                                + " actionsTaken, knownDependencies, nextSteps): none inline, and"
                                + " none recorded on the incident",
                        "HANDOVER alice @10",
                        "REASSIGNED carol -> lead @40",
                        "COMMAND_REJECTED carol @41: reassign needs a handover (hypotheses,"
                                + " actionsTaken, knownDependencies, nextSteps): none inline, and"
                                + " the last one (at 2026-11-02T02:10:00Z) is more than 30m old",
                        "HANDOVER carol @50",
                        "REASSIGNED carol -> lead @50");
        IncidentEvent recorded = events().get(2);
        assertThat(recorded.getEvidence())
                .containsEntry("commandId", "h1")
                .containsEntry("handover.by", "alice")
                .containsEntry("handover.at", "2026-11-02T02:10:00Z")
                .containsEntry("handover.hypotheses", "[\"connection pool exhausted\"]")
                .containsEntry(
                        "handover.actionsTaken",
                        "[\"failed over users-pg\",\"paused the batch job\"]")
                .containsEntry("handover.knownDependencies", "[]")
                .containsEntry("handover.nextSteps", "[\"watch replication lag\"]");
        // The inline handover is the last one now, and rides on the reassignment.
        assertThat(last(IncidentEventType.REASSIGNED).getEvidence())
                .containsEntry("handover.commandId", "r4")
                .containsEntry("handover.hypotheses", "[\"a bad deploy\"]");
    }

    @Test
    void aHandoverAndAReassignAtTheSameInstantApplyInCommandIdOrder() throws Exception {
        start(POLICY);
        open(Severity.SEV2);
        send(reassign("b-reassign", "lead", 20));
        send(handoverCommand("a-handover", 20));
        send(handoverCommand("z-handover", 30));
        send(reassign("m-reassign", "lead", 30));
        watermark(31);
        assertThat(out())
                .containsExactly(
                        "ESCALATED policy:open -> alice @0",
                        "HANDOVER alice @20",
                        "REASSIGNED carol -> lead @20",
                        // z-handover (at 30) applies after m-reassign; a-handover (20) still counts
                        "REASSIGNED carol -> lead @30",
                        "HANDOVER alice @30");
    }

    @Test
    void anUpgradeToTheRequiredSeverityNeedsAHandoverAndOneBelowItDoesNot() throws Exception {
        start(POLICY);
        open(Severity.SEV3);
        Command toSev2 = command("u1", CommandType.UPGRADE, "dave", 5);
        toSev2.setTargetSeverity(Severity.SEV2);
        send(toSev2);
        Command toSev1 = command("u2", CommandType.UPGRADE, "dave", 6);
        toSev1.setTargetSeverity(Severity.SEV1);
        send(toSev1);
        Command inline = command("u3", CommandType.UPGRADE, "dave", 7);
        inline.setTargetSeverity(Severity.SEV1);
        inline.setHandover(handover("a region is down"));
        send(inline);
        watermark(8);
        assertThat(out())
                .containsExactly(
                        "SEVERITY_CHANGED dave @5",
                        "ESCALATED dave -> alice @5",
                        "COMMAND_REJECTED dave @6: upgrade to SEV1 needs a handover (hypotheses,"
                                + " actionsTaken, knownDependencies, nextSteps): none inline, and"
                                + " none recorded on the incident",
                        "HANDOVER dave @7",
                        "SEVERITY_CHANGED dave @7");
        assertThat(last(IncidentEventType.SEVERITY_CHANGED).getSeverity()).isEqualTo(Severity.SEV1);
    }

    @Test
    void aReassignPagesTheNewOwnerWithTheLastHandover() throws Exception {
        start(POLICY);
        open(Severity.SEV2);
        send(handoverCommand("h1", 10));
        send(reassign("r1", "carol", 12));
        send(command("k1", CommandType.ACKNOWLEDGE, "carol", 13));
        watermark(14);
        IncidentEvent reassigned = last(IncidentEventType.REASSIGNED);
        assertThat(reassigned.getEvidence())
                .containsEntry("routingKey", "RK-LEAD")
                .containsEntry("via", "lead")
                .containsEntry("owner", "carol")
                .containsEntry("commandId", "r1");
        List<Page> pages = pages(reassigned);
        assertThat(pages).hasSize(1);
        Page p = pages.get(0);
        assertThat(p.action).isEqualTo(Page.TRIGGER);
        assertThat(p.routingKey).isEqualTo("RK-LEAD");
        assertThat(p.eventTime).isEqualTo(EscalatorTest.at(12));
        assertThat(p.customDetails)
                .containsEntry("target", "carol")
                .containsEntry("eventType", "REASSIGNED")
                .containsEntry("evidence.handover.by", "alice")
                .containsEntry("evidence.handover.hypotheses", "[\"connection pool exhausted\"]");
        // The acknowledgement reaches the new owner's routing key as well as tier one's.
        assertThat(pages(last(IncidentEventType.ACKNOWLEDGED)))
                .extracting(pg -> pg.action + " " + pg.routingKey)
                .containsExactly("acknowledge RK-PRIMARY", "acknowledge RK-LEAD");
    }

    @Test
    void theIncomingOnCallPersonIsPagedAtTheRotationBoundaryEvenWhenAcknowledged()
            throws Exception {
        start(POLICY);
        open(Severity.SEV2);
        send(command("k1", CommandType.ACKNOWLEDGE, "alice", 5));
        watermark(59);
        assertThat(out())
                .containsExactly("ESCALATED policy:open -> alice @0", "ACKNOWLEDGED alice @5");
        watermark(60);
        assertThat(out()).endsWith("HANDOVER_DUE policy:rotation-handover -> bob @60");
        IncidentEvent due = last(IncidentEventType.HANDOVER_DUE);
        assertThat(due.getEvidence())
                .containsEntry("handover", Handovers.NONE)
                .containsEntry("outgoing", "alice")
                .containsEntry("routingKey", "RK-PRIMARY")
                .containsEntry("schedule", "primary-oncall");
        assertThat(due.getReason())
                .isEqualTo(
                        "the primary-oncall rotation hands over from alice to bob while the"
                                + " incident is acknowledged");
        assertThat(due.getEscalationTier()).isZero();
        List<Page> pages = pages(due);
        assertThat(pages)
                .extracting(
                        p ->
                                p.action
                                        + " "
                                        + p.routingKey
                                        + " @"
                                        + p.eventTime
                                        + " "
                                        + p.customDetails.get("target")
                                        + " "
                                        + p.customDetails.get("evidence.handover"))
                .containsExactly(
                        "trigger RK-PRIMARY @"
                                + EscalatorTest.at(60)
                                + " bob no handover recorded");
        // Alice takes over again at 06:00Z (minute 240), with the handover bob recorded.
        Command h = handoverCommand("h1", 200);
        h.setActor("bob");
        send(h);
        watermark(240);
        assertThat(out())
                .endsWith(
                        "HANDOVER bob @200", "HANDOVER_DUE policy:rotation-handover -> alice @240");
        assertThat(last(IncidentEventType.HANDOVER_DUE).getEvidence())
                .containsEntry("handover.by", "bob")
                .containsEntry("outgoing", "bob");
    }

    @Test
    void aResolvedIncidentIsNotHandedOverAndOneTimerWatchesTheRotation() throws Exception {
        start(POLICY);
        open(Severity.SEV2);
        watermark(1);
        // Timers: the state expiry, SLA and tier timers share one armed time with the rotation.
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        Command resolve = command("x1", CommandType.RESOLVE, "alice", 30);
        send(resolve);
        watermark(24 * 60);
        assertThat(out())
                .containsExactly("ESCALATED policy:open -> alice @0", "RESOLVED alice @30");
    }

    @Test
    void withTheDefaultPolicyAReassignNeedsNoHandoverAndPagesAFixedPersonOnce() throws Exception {
        start(EscalatorTest.POLICY);
        open(Severity.SEV2);
        send(reassign("r1", "carol", 3));
        watermark(4);
        assertThat(out())
                .containsExactly(
                        "ESCALATED policy:open -> alice @0", "REASSIGNED carol -> carol @3");
        Map<String, String> ev = last(IncidentEventType.REASSIGNED).getEvidence();
        assertThat(ev)
                .containsEntry("routingKey", "RK-IC")
                .containsEntry("via", "commander")
                .containsEntry("handover", Handovers.NONE);
    }
}

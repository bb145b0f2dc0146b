package io.tocsin.escalate;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.Command;
import io.tocsin.avro.CommandType;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.avro.IncidentStatus;
import io.tocsin.avro.Severity;
import io.tocsin.config.EscalationPolicy;
import io.tocsin.config.Policy;
import io.tocsin.config.PolicyLoader;
import io.tocsin.control.ControlUpdate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Dispositions and classifications in the escalate operator (Flink's keyed broadcast harness): the
 * disposition a RESOLVE carries, CLASSIFY on an open, a self-resolved and a merged incident, a
 * reopen clearing the disposition, the role rule, and a CLASSIFY after the incident's state expired
 * going to the dead letters.
 */
class ClassificationEscalationTest {

    /** Nobody is paged (SEV3 incidents, pages from SEV1) and no SLA timer fires in these tests. */
    static final String POLICY =
            """
            escalation:
              pageAtOrAbove: SEV1
              levels:
                SEV1: {acknowledgeWithin: 10d, resolveWithin: 20d}
                SEV2: {acknowledgeWithin: 10d, resolveWithin: 20d}
                SEV3: {acknowledgeWithin: 10d, resolveWithin: 20d}
              stateTtl: 7d
            """;

    private static final int DAY = 24 * 60;

    private KeyedBroadcastOperatorTestHarness<String, EscalationInput, ControlUpdate, IncidentEvent>
            harness;

    @BeforeEach
    void start() throws Exception {
        harness = EscalationFixtures.harness(EscalatorTest.parse(POLICY));
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private void correlator(IncidentEventType type, long seq, int minute) throws Exception {
        IncidentEvent e =
                EscalationFixtures.correlator(type, seq, minute, Severity.SEV3, "users-pg");
        harness.processElement(EscalationInput.of(e), e.getEventTime().toEpochMilli());
    }

    private void send(Command c) throws Exception {
        harness.processElement(EscalationInput.of(c), c.getIssuedAt().toEpochMilli());
    }

    private void watermark(int minute) throws Exception {
        harness.processWatermark(EscalatorTest.at(minute));
    }

    private static Command resolve(String id, String disposition, int minute) {
        Command c =
                EscalatorTest.command(id, CommandType.RESOLVE, "alice", "responder", minute, null);
        c.setDisposition(disposition);
        return c;
    }

    private static Command classify(
            String id, String disposition, String impact, List<String> tags, int minute) {
        Command c =
                EscalatorTest.command(id, CommandType.CLASSIFY, "bob", "team-lead", minute, null);
        c.setReason(null);
        c.setDisposition(disposition);
        c.setImpact(impact);
        c.setTags(tags);
        return c;
    }

    /** "seq TYPE actor status @minute[: reason] {evidence}" for every event out. */
    private List<String> out() {
        return harness.extractOutputValues().stream()
                .map(
                        e ->
                                e.getSeq()
                                        + " "
                                        + e.getType()
                                        + " "
                                        + e.getActor()
                                        + " "
                                        + e.getStatus()
                                        + " @"
                                        + Duration.between(EscalatorTest.T0, e.getEventTime())
                                                .toMinutes()
                                        + (e.getType() == IncidentEventType.COMMAND_REJECTED
                                                ? ": " + e.getReason()
                                                : "")
                                        + " "
                                        + new java.util.TreeMap<>(e.getEvidence()))
                .toList();
    }

    @Test
    void respondersMayClassifyByDefaultAndInTheShippedPolicy() {
        Policy shipped =
                PolicyLoader.parse(
                        "default.yaml", getClass().getResourceAsStream("/policy/default.yaml"));
        Set<String> responders = Set.of("responder", "team-lead", "incident-commander");
        assertThat(shipped.escalation().commands().allowed().get(CommandType.CLASSIFY))
                .isEqualTo(responders);
        assertThat(EscalationPolicy.defaults().commands().allowed().get(CommandType.CLASSIFY))
                .isEqualTo(responders);
    }

    @Test
    void aResolveCarriesItsDispositionAsEvidence() throws Exception {
        correlator(IncidentEventType.OPENED, 1, 0);
        send(resolve("r1", "false-positive", 5));
        watermark(6);
        assertThat(out())
                .containsExactly(
                        "1 OPENED policy:correlation OPEN @0 {}",
                        "2 RESOLVED alice RESOLVED @5 {commandId=r1, disposition=false-positive,"
                                + " role=responder}");
        IncidentEvent resolved = harness.extractOutputValues().get(1);
        assertThat(resolved.getReason()).isEqualTo("because");
        assertThat(resolved.getEvidence())
                .isEqualTo(
                        Map.of(
                                "commandId", "r1",
                                "role", "responder",
                                "disposition", "false-positive"));
    }

    @Test
    void aResolveWithoutOneCarriesNoneAndASecondResolveIsToldToClassify() throws Exception {
        correlator(IncidentEventType.OPENED, 1, 0);
        send(resolve("r1", null, 5));
        send(resolve("r2", "fixed", 6));
        watermark(7);
        assertThat(out())
                .containsExactly(
                        "1 OPENED policy:correlation OPEN @0 {}",
                        "2 RESOLVED alice RESOLVED @5 {commandId=r1, role=responder}",
                        "3 COMMAND_REJECTED alice RESOLVED @6: the incident is already resolved"
                                + " (a classify sets the disposition of a resolved incident)"
                                + " {command=RESOLVE, commandId=r2, commandReason=because,"
                                + " role=responder}");
    }

    @Test
    void anIncidentThatResolvedByItselfIsClassifiedDaysLater() throws Exception {
        correlator(IncidentEventType.OPENED, 1, 0);
        correlator(IncidentEventType.RESOLVED, 2, 30);
        send(
                classify(
                        "k1",
                        "duplicate",
                        "degradation",
                        List.of("eu", "customer-facing", "eu"),
                        2 * DAY));
        send(classify("k2", null, "outage", null, 2 * DAY + 10)); // keeps the rest
        send(classify("k3", null, null, List.of(), 2 * DAY + 20)); // clears the tags
        watermark(2 * DAY + 21);
        assertThat(out())
                .containsExactly(
                        "1 OPENED policy:correlation OPEN @0 {}",
                        "2 RESOLVED policy:correlation RESOLVED @30 {}",
                        "3 CLASSIFIED bob RESOLVED @2880 {commandId=k1, disposition=duplicate,"
                                + " impact=degradation, role=team-lead,"
                                + " tags=[\"customer-facing\",\"eu\"]}",
                        "4 CLASSIFIED bob RESOLVED @2890 {commandId=k2, disposition=duplicate,"
                                + " impact=outage, role=team-lead,"
                                + " tags=[\"customer-facing\",\"eu\"]}",
                        "5 CLASSIFIED bob RESOLVED @2900 {commandId=k3, disposition=duplicate,"
                                + " impact=outage, role=team-lead}");
        IncidentEvent first = harness.extractOutputValues().get(2);
        assertThat(first.getEventTime()).isEqualTo(EscalationFixtures.T0.plus(Duration.ofDays(2)));
        assertThat(first.getReason()).isNull();
        assertThat(first.getStatus()).isEqualTo(IncidentStatus.RESOLVED);
    }

    @Test
    void aDispositionGivenWhileOpenRidesOnTheResolveAndAReopenClearsIt() throws Exception {
        correlator(IncidentEventType.OPENED, 1, 0);
        send(classify("k1", "duplicate", null, null, 5));
        watermark(6);
        correlator(IncidentEventType.RESOLVED, 2, 10);
        correlator(IncidentEventType.REOPENED, 3, 20);
        correlator(IncidentEventType.RESOLVED, 4, 30);
        watermark(31);
        send(resolve("r1", null, 40)); // already resolved by the correlator: refused
        watermark(41);
        assertThat(out())
                .containsExactly(
                        "1 OPENED policy:correlation OPEN @0 {}",
                        "2 CLASSIFIED bob OPEN @5 {commandId=k1, disposition=duplicate,"
                                + " role=team-lead}",
                        "3 RESOLVED policy:correlation RESOLVED @10 {disposition=duplicate}",
                        "4 REOPENED policy:correlation OPEN @20 {}",
                        "5 RESOLVED policy:correlation RESOLVED @30 {}",
                        "6 COMMAND_REJECTED alice RESOLVED @40: the incident is already resolved"
                                + " {command=RESOLVE, commandId=r1, commandReason=because,"
                                + " role=responder}");
    }

    @Test
    void aResolveByCommandKeepsADispositionClassifiedBeforeUnlessItGivesOne() throws Exception {
        correlator(IncidentEventType.OPENED, 1, 0);
        send(classify("k1", "duplicate", "none", null, 5));
        send(resolve("r1", null, 6));
        watermark(7);
        correlator(IncidentEventType.ALERT_ADDED, 2, 8); // an alert after the resolve reopens it
        send(classify("k2", null, "degradation", null, 9));
        send(resolve("r2", "fixed", 10));
        watermark(11);
        assertThat(out())
                .containsExactly(
                        "1 OPENED policy:correlation OPEN @0 {}",
                        "2 CLASSIFIED bob OPEN @5 {commandId=k1, disposition=duplicate,"
                                + " impact=none, role=team-lead}",
                        "3 RESOLVED alice RESOLVED @6 {commandId=r1, disposition=duplicate,"
                                + " role=responder}",
                        "4 ALERT_ADDED policy:correlation RESOLVED @8 {}",
                        "5 REOPENED policy:alert-after-resolve OPEN @8 {}",
                        "6 CLASSIFIED bob OPEN @9 {commandId=k2, impact=degradation,"
                                + " role=team-lead}",
                        "7 RESOLVED alice RESOLVED @10 {commandId=r2, disposition=fixed,"
                                + " role=responder}");
    }

    @Test
    void whoMayClassifyAMergedIncidentAndAnExpiredOne() throws Exception {
        correlator(IncidentEventType.OPENED, 1, 0);
        Command observer = classify("k1", "fixed", null, null, 5);
        observer.setRole("observer");
        send(observer);
        watermark(6);
        correlator(IncidentEventType.MERGED, 2, 10);
        send(classify("k2", "duplicate", null, null, 11));
        watermark(12);
        assertThat(out())
                .containsExactly(
                        "1 OPENED policy:correlation OPEN @0 {}",
                        "2 COMMAND_REJECTED bob OPEN @5: role observer may not classify (allowed:"
                                + " incident-commander, responder, team-lead) {command=CLASSIFY,"
                                + " commandId=k1, role=observer}",
                        "3 MERGED policy:correlation MERGED @10 {}",
                        "4 COMMAND_REJECTED bob MERGED @11: the incident is merged; classify the"
                                + " incident it merged into {command=CLASSIFY, commandId=k2,"
                                + " role=team-lead}");
        // The merged incident's state goes 7 days after its last input; a classify after that
        // cannot reach it and is a dead letter.
        watermark(11 + 7 * DAY);
        send(classify("k3", "duplicate", null, null, 11 + 7 * DAY + 1));
        watermark(11 + 7 * DAY + 2);
        assertThat(harness.getSideOutput(EscalationFunction.REJECTED_COMMANDS))
                .extracting(r -> r.getValue().getReasonCode() + " " + r.getValue().getError())
                .containsExactly(
                        "UNKNOWN_INCIDENT unknown incident INC-1 (never seen, or evicted after its"
                                + " retention)");
        assertThat(out()).hasSize(4);
    }
}

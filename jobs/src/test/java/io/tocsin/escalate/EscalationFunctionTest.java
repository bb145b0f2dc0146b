package io.tocsin.escalate;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.Command;
import io.tocsin.avro.CommandType;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.avro.Severity;
import io.tocsin.config.Policy;
import io.tocsin.control.ControlUpdate;
import io.tocsin.control.EscalationPolicyVersion;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The escalate operator in Flink's keyed broadcast harness: inputs wait for the watermark and are
 * handled in event-time order, timers fire at exact event times, a broadcast policy version takes
 * over at its time, rejected commands reach the side output, and state is dropped after its TTL.
 */
class EscalationFunctionTest {

    private final EscalatorTest fixtures = new EscalatorTest();
    private KeyedBroadcastOperatorTestHarness<String, EscalationInput, ControlUpdate, IncidentEvent>
            harness;

    @BeforeEach
    void setUp() throws Exception {
        Policy policy = EscalatorTest.parse(EscalatorTest.POLICY);
        harness = EscalationFixtures.harness(policy);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private void send(IncidentEvent e) throws Exception {
        harness.processElement(EscalationInput.of(e), e.getEventTime().toEpochMilli());
    }

    private void send(Command c) throws Exception {
        harness.processElement(EscalationInput.of(c), c.getIssuedAt().toEpochMilli());
    }

    private void watermark(int minute) throws Exception {
        harness.processWatermark(EscalatorTest.at(minute));
    }

    private List<String> out() {
        return harness.extractOutputValues().stream()
                .map(
                        e ->
                                e.getType()
                                        + " "
                                        + e.getActor()
                                        + " @"
                                        + Duration.between(EscalatorTest.T0, e.getEventTime())
                                                .toMinutes())
                .toList();
    }

    @Test
    void inputsWaitForTheWatermarkAndTimersFireAtTheirEventTime() throws Exception {
        // The command arrives before the event it follows in event time.
        send(EscalatorTest.command("c1", CommandType.ACKNOWLEDGE, "bob", "responder", 7, null));
        send(fixtures.correlator(IncidentEventType.OPENED, 0, Severity.SEV1, "users-pg"));
        assertThat(out()).isEmpty();
        watermark(4);
        assertThat(out())
                .containsExactly("OPENED policy:correlation @0", "ESCALATED policy:open @0");
        watermark(5);
        assertThat(out()).endsWith("ESCALATED policy:tier-timeout @5");
        watermark(7);
        assertThat(out()).endsWith("ACKNOWLEDGED bob @7");
        watermark(120);
        // Acknowledged before the 8-minute warning: no more pages; the resolve SLA (2 h) still
        // runs.
        assertThat(out())
                .containsExactly(
                        "OPENED policy:correlation @0",
                        "ESCALATED policy:open @0",
                        "ESCALATED policy:tier-timeout @5",
                        "ACKNOWLEDGED bob @7",
                        "NOTE_ADDED policy:resolve-sla-at-risk @96",
                        "NOTE_ADDED policy:resolve-sla-breached @120");
    }

    @Test
    void aPolicyVersionFromTheControlTopicTakesOverAtItsEventTime() throws Exception {
        harness.processBroadcastElement(
                (EscalationPolicyVersion)
                        ControlUpdate.parse(
                                "{\"op\":\"escalation\",\"at\":\"2026-11-02T02:10:00Z\",\"escalation\":{"
                                        + "\"targets\":{\"night\":{\"person\":\"zoe\",\"routingKey\":\"RK-N\"}},"
                                        + "\"chains\":[{\"id\":\"night\",\"tiers\":[{\"target\":\"night\"}]}]}}",
                                null),
                EscalatorTest.at(0));
        send(fixtures.correlator(IncidentEventType.OPENED, 9, Severity.SEV2, "users-pg"));
        IncidentEvent second =
                fixtures.correlator(IncidentEventType.OPENED, 11, Severity.SEV2, "users-pg");
        second.setIncidentId("INC-2");
        send(second);
        watermark(12);
        assertThat(harness.extractOutputValues())
                .filteredOn(e -> e.getType() == IncidentEventType.ESCALATED)
                .extracting(e -> e.getIncidentId() + " -> " + e.getTarget())
                .containsExactly("INC-1 -> alice", "INC-2 -> zoe");
    }

    @Test
    void aCommandForAnUnknownIncidentGoesToTheSideOutputAndStateExpires() throws Exception {
        send(EscalatorTest.command("c1", CommandType.ACKNOWLEDGE, "bob", "responder", 1, null));
        send(fixtures.correlator(IncidentEventType.OPENED, 0, Severity.SEV4, "x"));
        watermark(2);
        // The command was for INC-1, opened at minute 0, so it applies; now one for nobody:
        Command stray =
                EscalatorTest.command("c2", CommandType.ACKNOWLEDGE, "bob", "responder", 3, null);
        stray.setIncidentId("INC-404");
        send(stray);
        watermark(4);
        assertThat(harness.getSideOutput(EscalationFunction.REJECTED_COMMANDS))
                .extracting(r -> r.getValue().getReasonCode() + " " + r.getValue().getError())
                .singleElement()
                .asString()
                .startsWith("UNKNOWN_INCIDENT unknown incident INC-404");
        send(fixtures.correlator(IncidentEventType.RESOLVED, 10, Severity.SEV4, "x"));
        harness.processWatermark(
                Instant.ofEpochMilli(EscalatorTest.at(10)).plus(Duration.ofDays(7)).toEpochMilli());
        assertThat(
                        ((HeapKeyedStateBackend<?>)
                                        ((AbstractStreamOperator<?>) harness.getOperator())
                                                .getKeyedStateBackend())
                                .numKeyValueStateEntries())
                .isZero();
    }
}

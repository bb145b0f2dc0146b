package io.tocsin.control;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The parse step on the control stream: each kind to its own output, bad ones dead-lettered. */
class ParseControlTest {

    private OneInputStreamOperatorTestHarness<String, Void> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = ProcessFunctionTestHarnesses.forProcessFunction(new ParseControl());
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    @Test
    void eachKindGoesToItsOwnStreamWithTheRecordTimestamp() throws Exception {
        harness.processElement(
                "{\"op\":\"delete\",\"at\":\"2026-11-02T02:10:00Z\",\"kind\":\"silence\",\"id\":\"s\"}",
                7L);
        harness.processElement(
                "{\"op\":\"topology\",\"at\":\"2026-11-02T02:10:00Z\",\"topology\":{\"services\":[]}}",
                8L);
        harness.processElement(
                "{\"op\":\"escalation\",\"at\":\"2026-11-02T02:10:00Z\",\"escalation\":{}}", 9L);
        assertThat(harness.getSideOutput(ControlStreams.RULE_CHANGES))
                .singleElement()
                .satisfies(r -> assertThat(r.getTimestamp()).isEqualTo(7L))
                .satisfies(r -> assertThat(r.getValue().key()).isEqualTo("silence:s"));
        assertThat(harness.getSideOutput(ControlStreams.TOPOLOGIES))
                .singleElement()
                .satisfies(r -> assertThat(r.getTimestamp()).isEqualTo(8L));
        assertThat(harness.getSideOutput(ControlStreams.ESCALATION_POLICIES))
                .singleElement()
                .satisfies(r -> assertThat(r.getTimestamp()).isEqualTo(9L));
        assertThat(harness.getSideOutput(ControlStreams.REJECTED)).isNull();
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void aBadControlMessageIsRejectedToTheSideOutputWithTheReason() throws Exception {
        harness.processElement(
                "{\"op\":\"upsert\",\"at\":\"2026-11-02T02:05:00Z\",\"silence\":{\"id\":\"s\",\"matchers\":[\"service==x\"],"
                        + "\"startsAt\":\"2026-11-02T00:00:00Z\",\"endsAt\":\"2026-11-02T06:00:00Z\",\"createdBy\":\"carol\"}}",
                0L);
        var rejected = harness.getSideOutput(ControlStreams.REJECTED);
        assertThat(rejected).hasSize(1);
        assertThat(rejected.peek().getValue().getError())
                .contains("silence.matchers[0]")
                .contains("cannot parse matcher");
        assertThat(rejected.peek().getValue().getReasonCode()).isEqualTo("BAD_CONTROL_MESSAGE");
        assertThat(harness.getSideOutput(ControlStreams.RULE_CHANGES)).isNull();
    }
}

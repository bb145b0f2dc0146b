package io.tocsin.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The control package's one parser: each kind of message, and malformed ones with their reason. */
class ControlUpdateTest {

    private static final String AT = "\"at\":\"2026-11-02T02:10:00Z\"";
    private static final long AT_MILLIS = Instant.parse("2026-11-02T02:10:00Z").toEpochMilli();

    static Stream<Arguments> wellFormed() {
        return Stream.of(
                Arguments.of(
                        "{\"op\":\"upsert\","
                                + AT
                                + ",\"silence\":{\"id\":\"s1\",\"matchers\":[\"service=\\\"a\\\"\"],"
                                + "\"startsAt\":\"2026-11-02T02:00:00Z\",\"endsAt\":\"2026-11-02T03:00:00Z\","
                                + "\"createdBy\":\"carol\"}}",
                        new RuleChange(
                                "silence:s1",
                                "silence:{\"id\":\"s1\",\"matchers\":[\"service=\\\"a\\\"\"],"
                                        + "\"startsAt\":\"2026-11-02T02:00:00Z\",\"endsAt\":\"2026-11-02T03:00:00Z\","
                                        + "\"createdBy\":\"carol\"}",
                                AT_MILLIS)),
                Arguments.of(
                        "{\"op\":\"upsert\","
                                + AT
                                + ",\"maintenanceWindow\":{\"id\":\"m1\",\"matchers\":[\"service=~\\\"s.*\\\"\"],"
                                + "\"start\":\"2026-11-02T02:00:00Z\",\"end\":\"2026-11-02T03:00:00Z\"}}",
                        new RuleChange(
                                "maintenance:m1",
                                "maintenanceWindow:{\"id\":\"m1\",\"matchers\":[\"service=~\\\"s.*\\\"\"],"
                                        + "\"start\":\"2026-11-02T02:00:00Z\",\"end\":\"2026-11-02T03:00:00Z\"}",
                                AT_MILLIS)),
                Arguments.of(
                        "{\"op\":\"delete\"," + AT + ",\"kind\":\"silence\",\"id\":\"s1\"}",
                        new RuleChange("silence:s1", null, AT_MILLIS)),
                Arguments.of(
                        "{\"op\":\"delete\"," + AT + ",\"kind\":\"inhibitRule\",\"id\":\"i1\"}",
                        new RuleChange("inhibit:i1", null, AT_MILLIS)),
                Arguments.of(
                        "{\"op\":\"topology\","
                                + AT
                                + ",\"topology\":{\"services\":[{\"name\":\"a\",\"dependsOn\":[\"b\"]}]}}",
                        new TopologyVersion(
                                AT_MILLIS,
                                "{\"services\":[{\"name\":\"a\",\"dependsOn\":[\"b\"]}]}")),
                Arguments.of(
                        "{\"op\":\"escalation\","
                                + AT
                                + ",\"escalation\":{\"targets\":{\"n\":{\"person\":\"zoe\",\"routingKey\":\"RK\"}},"
                                + "\"chains\":[{\"id\":\"n\",\"tiers\":[{\"target\":\"n\"}]}]}}",
                        new EscalationPolicyVersion(
                                AT_MILLIS,
                                "{\"targets\":{\"n\":{\"person\":\"zoe\",\"routingKey\":\"RK\"}},"
                                        + "\"chains\":[{\"id\":\"n\",\"tiers\":[{\"target\":\"n\"}]}]}")),
                // No "at": the record's timestamp (the Kafka timestamp) is the event time.
                Arguments.of(
                        "{\"op\":\"delete\",\"kind\":\"maintenanceWindow\",\"id\":\"m1\"}",
                        new RuleChange("maintenance:m1", null, 42L)));
    }

    @ParameterizedTest
    @MethodSource("wellFormed")
    void eachKindParsesIntoItsTypedChange(String message, ControlUpdate expected) {
        ControlUpdate update = ControlUpdate.parse(message, 42L);
        assertThat(update).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("wellFormed")
    void theStoredSourceTextRebuildsTheTypedValue(String message, ControlUpdate expected) {
        ControlUpdate update = ControlUpdate.parse(message, 42L);
        if (update instanceof RuleChange c && c.ruleJson() != null) {
            assertThat(RuleChange.ruleOf(c.ruleJson()).key()).isEqualTo(c.key());
        } else if (update instanceof TopologyVersion v) {
            assertThat(TopologyVersion.topologyOf(v.json()).services()).containsKey("a");
        } else if (update instanceof EscalationPolicyVersion v) {
            assertThat(EscalationPolicyVersion.policyOf(v.json()).chains()).isNotEmpty();
        }
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("not json", null, "not JSON: "),
                Arguments.of("[1,2]", null, "expected a JSON object"),
                Arguments.of("{\"op\":\"bogus\"," + AT + "}", null, "unknown op 'bogus'"),
                Arguments.of("{\"op\":\"upsert\"," + AT + ",\"colour\":1}", null, "colour"),
                Arguments.of(
                        "{\"op\":\"upsert\"," + AT + "}",
                        null,
                        "an upsert needs one of silence, maintenanceWindow, inhibitRule"),
                Arguments.of(
                        "{\"op\":\"delete\",\"kind\":\"silence\",\"id\":\"s\"}",
                        null,
                        "required (the event time the change takes effect)"),
                Arguments.of(
                        "{\"op\":\"delete\",\"at\":\"yesterday\",\"kind\":\"silence\",\"id\":\"s\"}",
                        null,
                        "cannot parse 'yesterday' as an RFC 3339 time"),
                Arguments.of(
                        "{\"op\":\"delete\",\"at\":\"0001-01-01T00:00:00Z\",\"kind\":\"silence\",\"id\":\"s\"}",
                        null,
                        "zero time is not allowed"),
                Arguments.of(
                        "{\"op\":\"delete\"," + AT + ",\"kind\":\"mute\",\"id\":\"s\"}",
                        null,
                        "unknown kind 'mute'"),
                Arguments.of(
                        "{\"op\":\"upsert\","
                                + AT
                                + ",\"silence\":{\"id\":\"s\",\"matchers\":[\"service==x\"],"
                                + "\"startsAt\":\"2026-11-02T00:00:00Z\",\"endsAt\":\"2026-11-02T06:00:00Z\",\"createdBy\":\"carol\"}}",
                        "silence.matchers[0]",
                        "cannot parse matcher"),
                Arguments.of("{\"op\":\"topology\"," + AT + "}", "topology", "required"),
                Arguments.of("{\"op\":\"escalation\"," + AT + "}", "escalation", "required"),
                Arguments.of(
                        "{\"op\":\"escalation\","
                                + AT
                                + ",\"escalation\":{\"pageAtOrAbove\":\"SEV9\"}}",
                        "escalation.pageAtOrAbove",
                        "SEV9"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void aMalformedMessageIsRefusedWithItsReason(String message, String field, String reason) {
        var refused =
                assertThatThrownBy(() -> ControlUpdate.parse(message, null))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining(reason);
        if (field != null) {
            refused.hasMessageContaining(field);
        }
    }
}

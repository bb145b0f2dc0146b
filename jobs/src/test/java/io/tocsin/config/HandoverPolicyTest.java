package io.tocsin.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tocsin.avro.CommandType;
import io.tocsin.avro.Severity;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The policy's {@code escalation.handover} section: defaults, reading, and its errors. */
class HandoverPolicyTest {

    private static EscalationPolicy.HandoverRules read(String yaml) {
        return PolicyLoader.parse(
                        "policy.yaml",
                        new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
                .escalation()
                .handover();
    }

    @Test
    void byDefaultNothingNeedsAHandoverAndRotationsPageTheIncomingPerson() {
        EscalationPolicy.HandoverRules d = read("dedupe: {}\n");
        assertThat(d).isEqualTo(EscalationPolicy.HandoverRules.defaults());
        assertThat(d.requiredFor()).isEmpty();
        assertThat(d.requiredForUpgradeTo()).isNull();
        assertThat(d.onRotation()).isTrue();
        for (CommandType t : CommandType.values()) {
            assertThat(d.required(t, Severity.SEV1)).as(t.name()).isFalse();
        }
        assertThat(EscalationPolicy.defaults().commands().allows(CommandType.HANDOVER, "responder"))
                .isTrue();
    }

    @Test
    void theShippedDefaultPolicyIsTheBuiltInOne() {
        Policy shipped =
                PolicyLoader.parse(
                        "default.yaml", getClass().getResourceAsStream("/policy/default.yaml"));
        assertThat(shipped.escalation().handover())
                .isEqualTo(EscalationPolicy.HandoverRules.defaults());
        assertThat(shipped.escalation().commands().allowed().get(CommandType.HANDOVER))
                .isEqualTo(Set.of("responder", "team-lead", "incident-commander"));
    }

    @Test
    void requiredForAndAnUpgradeSeverityAreRead() {
        EscalationPolicy.HandoverRules r =
                read(
                        "escalation:\n  handover: {requiredFor: [reassign], requiredForUpgradeTo:"
                                + " SEV2, within: 10m, onRotation: false}\n");
        assertThat(r.requiredFor()).containsExactly(CommandType.REASSIGN);
        assertThat(r.within()).isEqualTo(Duration.ofMinutes(10));
        assertThat(r.onRotation()).isFalse();
        assertThat(r.required(CommandType.REASSIGN, null)).isTrue();
        assertThat(r.required(CommandType.UPGRADE, Severity.SEV1)).isTrue();
        assertThat(r.required(CommandType.UPGRADE, Severity.SEV2)).isTrue();
        assertThat(r.required(CommandType.UPGRADE, Severity.SEV3)).isFalse();
        assertThat(r.required(CommandType.UPGRADE, null)).isFalse();
        assertThat(r.required(CommandType.ACKNOWLEDGE, Severity.SEV1)).isFalse();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "escalation:\\n  handover: {requiredFor: [snooze]}|policy.yaml: escalation.handover.requiredFor[0]: unknown command type 'snooze' (one of ACKNOWLEDGE, RESOLVE, UPGRADE, DOWNGRADE, REASSIGN, ADD_NOTE, APPROVE)",
                "escalation:\\n  handover: {requiredFor: [REASSIGN, HANDOVER]}|policy.yaml: escalation.handover.requiredFor[1]: a handover is itself the handover; name other commands",
                "escalation:\\n  handover: {requiredForUpgradeTo: SEV0}|policy.yaml: escalation.handover.requiredForUpgradeTo: unknown severity level 'SEV0' (one of SEV1, SEV2, SEV3, SEV4)",
                "escalation:\\n  handover: {within: 0s}|policy.yaml: escalation.handover.within: must be greater than zero, got 0s",
                "escalation:\\n  handover: {requiredFor: REASSIGN}|policy.yaml: escalation.handover.requiredFor: expected a list, found string",
                "escalation:\\n  handover: {requierdFor: [REASSIGN]}|policy.yaml: escalation.handover.requierdFor: unknown field (allowed here: onRotation, requiredFor, requiredForUpgradeTo, within)",
            })
    void errorsNameTheFileTheFieldAndTheReason(String yaml, String message) {
        assertThatThrownBy(() -> read(yaml.replace("\\n", "\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }
}

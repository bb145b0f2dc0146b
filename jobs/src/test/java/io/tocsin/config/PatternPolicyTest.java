package io.tocsin.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tocsin.avro.Severity;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PatternPolicyTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Parses {@code yaml} as the body of the {@code escalation.patterns} section. */
    private static PatternPolicy parse(String yaml) throws Exception {
        return PatternPolicy.from(
                new ConfigNode("policy.yaml", "escalation.patterns", YAML.readTree(yaml)));
    }

    @Test
    void aMissingSectionIsTheDefaults() {
        assertThat(PatternPolicy.from(new ConfigNode("policy.yaml", "escalation.patterns", null)))
                .isEqualTo(PatternPolicy.defaults());
    }

    @Test
    void theDocumentedSectionIsTheDefaults() throws Exception {
        String yaml =
                """
                warningBurst: {enabled: true, count: 3, within: 10m, atOrBelow: SEV3, severity: SEV2}
                warningThenCritical: {enabled: true, within: 15m, warning: SEV3, critical: SEV1, severity: SEV1, escalate: true}
                repeatedFlapping: {enabled: true, count: 3, within: 30m, severity: SEV2}
                systemicFailure: {enabled: true, count: 3, within: 1h, atOrBelow: SEV3, severity: SEV2}
                reEscalation: {enabled: true, within: 1h}
                """;
        assertThat(parse(yaml)).isEqualTo(PatternPolicy.defaults());
    }

    @Test
    void readsValuesAndKeepsDefaultsForWhatIsMissing() throws Exception {
        PatternPolicy p =
                parse(
                        """
                        warningBurst: {count: 5, within: 2m, atOrBelow: sev4}
                        warningThenCritical: {critical: SEV2, escalate: false}
                        repeatedFlapping: {enabled: false}
                        reEscalation: {within: 90m}
                        """);
        assertThat(p.warningBurst())
                .isEqualTo(
                        new PatternPolicy.WarningBurst(
                                true, 5, Duration.ofMinutes(2), Severity.SEV4, Severity.SEV2));
        assertThat(p.warningThenCritical())
                .isEqualTo(
                        new PatternPolicy.WarningThenCritical(
                                true,
                                Duration.ofMinutes(15),
                                Severity.SEV3,
                                Severity.SEV2,
                                Severity.SEV1,
                                false));
        assertThat(p.repeatedFlapping().enabled()).isFalse();
        assertThat(p.repeatedFlapping().count()).isEqualTo(3);
        assertThat(p.systemicFailure()).isEqualTo(PatternPolicy.defaults().systemicFailure());
        assertThat(p.reEscalation())
                .isEqualTo(new PatternPolicy.ReEscalation(true, Duration.ofMinutes(90)));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "warningBurst: {count: 1}|policy.yaml: escalation.patterns.warningBurst.count: must be between 2 and 100, got 1",
                "systemicFailure: {count: many}|policy.yaml: escalation.patterns.systemicFailure.count: expected an integer, found 'many'",
                "repeatedFlapping: {within: 0s}|policy.yaml: escalation.patterns.repeatedFlapping.within: must be greater than zero, got 0s",
                "reEscalation: {within: soon}|policy.yaml: escalation.patterns.reEscalation.within: cannot parse 'soon' as a duration (use e.g. 30s, 5m, 1h, 7d)",
                "warningBurst: {severity: SEV0}|policy.yaml: escalation.patterns.warningBurst.severity: unknown severity level 'SEV0' (one of SEV1, SEV2, SEV3, SEV4)",
                "systemicFailure: {atOrBelow: UNKNOWN}|policy.yaml: escalation.patterns.systemicFailure.atOrBelow: unknown severity level 'UNKNOWN' (one of SEV1, SEV2, SEV3, SEV4)",
                "warningThenCritical: {warning: SEV2, critical: SEV2}|policy.yaml: escalation.patterns.warningThenCritical.critical: critical (SEV2) must be more severe than warning (SEV2)",
                "warningThenCritical: {warning: SEV1}|policy.yaml: escalation.patterns.warningThenCritical.warning: critical (SEV1) must be more severe than warning (SEV1)",
                "warningThenCritical: {escalate: yes please}|policy.yaml: escalation.patterns.warningThenCritical.escalate: expected true or false, found 'yes please'",
                "warningBurst: {enabled: true, cuont: 3}|policy.yaml: escalation.patterns.warningBurst.cuont: unknown field (allowed here: atOrBelow, count, enabled, severity, within)",
                "flapping: {count: 3}|policy.yaml: escalation.patterns.flapping: unknown field (allowed here: reEscalation, repeatedFlapping, systemicFailure, warningBurst, warningThenCritical)",
                "reEscalation: [1h]|policy.yaml: escalation.patterns.reEscalation: expected a mapping, found array",
            })
    void errorsNameTheFileTheFieldAndTheReason(String yaml, String message) {
        assertThatThrownBy(() -> parse(yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }

    @Test
    void isSerializableForShippingToOperators() throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(PatternPolicy.defaults());
        }
        try (java.io.ObjectInputStream in =
                new java.io.ObjectInputStream(
                        new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(PatternPolicy.defaults());
        }
    }
}

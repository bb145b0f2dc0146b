package io.tocsin.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tocsin.avro.Severity;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyLoaderTest {

    private static Policy parse(String yaml) {
        return PolicyLoader.parse(
                "policy.yaml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theBundledDefaultPolicyEqualsTheBuiltInDefaults() {
        assertThat(PolicyLoader.loadResource("policy/default.yaml")).isEqualTo(Policy.defaults());
    }

    @Test
    void readsValuesAndKeepsDefaultsForWhatIsMissing() {
        Policy p =
                parse(
                        "dedupe:\n  resolveTimeout: 90s\nseverity:\n  map: {Disaster: SEV1}\n  default: sev4\n");
        assertThat(p.dedupe().resolveTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(p.dedupe().stateTtl()).isEqualTo(Duration.ofHours(24));
        assertThat(p.severity().normalise(Map.of("severity", "disaster"))).isEqualTo(Severity.SEV1);
        assertThat(p.severity().normalise(Map.of("severity", "critical"))).isEqualTo(Severity.SEV4);
        assertThat(p.correlation()).isEqualTo(CorrelationPolicy.defaults());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "dedupe:\\n  resolveTimout: 5m|policy.yaml: dedupe.resolveTimout: unknown field (allowed here: flapStableFor, flapThreshold, flapWindow, resolveTimeout, stateTtl)",
                "dedupe:\\n  resolveTimeout: 5 minutes|policy.yaml: dedupe.resolveTimeout: cannot parse '5 minutes' as a duration (use e.g. 30s, 5m, 1h, 7d)",
                "correlation:\\n  quietPeriod: 0s|policy.yaml: correlation.quietPeriod: must be greater than zero, got 0s",
                "severity:\\n  default: SEV9|policy.yaml: severity.default: unknown severity level 'SEV9' (one of SEV1, SEV2, SEV3, SEV4)",
                "ingest:\\n  maxRecordBytes: lots|policy.yaml: ingest.maxRecordBytes: expected an integer, found 'lots'",
                "dedupe: [1, 2]|policy.yaml: dedupe: expected a mapping, found array",
                "surprise: true|policy.yaml: surprise: unknown field (allowed here: anomaly, changes, correlation, dedupe, escalation, ingest, severity, suppression)",
                "escalation:\\n  chains: [{id: a, tiers: [{target: ghost}]}]|policy.yaml: escalation.chains[0].tiers[0].target: no target 'ghost' (defined: )",
                "escalation:\\n  targets: {x: {schedule: nope, routingKey: R}}|policy.yaml: escalation.targets.x.schedule: no schedule 'nope' (defined: )",
                "escalation:\\n  targets: {x: {routingKey: R}}|policy.yaml: escalation.targets.x: needs exactly one of schedule or person",
                "escalation:\\n  commands: {allowed: {SNOOZE: [a]}}|policy.yaml: escalation.commands.allowed.SNOOZE: unknown command type 'SNOOZE' (one of ACKNOWLEDGE, RESOLVE, UPGRADE, DOWNGRADE, REASSIGN, ADD_NOTE, APPROVE)",
                "escalation:\\n  levels: {SEV1: {acknowledgeWithin: 1h, resolveWithin: 10m}}|policy.yaml: escalation.levels.SEV1.resolveWithin: must not be shorter than acknowledgeWithin (1h)",
                "escalation:\\n  pageAtOrAbove: SEV7|policy.yaml: escalation.pageAtOrAbove: unknown severity level 'SEV7' (one of SEV1, SEV2, SEV3, SEV4)",
                "escalation:\\n  pageRateLimit: {maxPages: 100000}|policy.yaml: escalation.pageRateLimit.maxPages: must be between 1 and 10000, got 100000",
                "anomaly:\\n  fireLevel: 2|policy.yaml: anomaly.fireLevel: must be between 0.01 and 1.0, got 2",
                "anomaly:\\n  fireLevel: 0.5\\n  resolveLevel: 0.7|policy.yaml: anomaly.resolveLevel: must not be above fireLevel (0.5), got 0.7",
                "anomaly:\\n  fireWithin: 3\\n  fireAfter: 4|policy.yaml: anomaly.fireAfter: must be between 1 and 3, got 4",
                "anomaly:\\n  firingHold: 3d|policy.yaml: anomaly.firingHold: must be shorter than stateTtl (PT48H), got PT72H",
                "changes:\\n  suspectWindow: 3h\\n  keepFor: 1h|policy.yaml: changes.keepFor: must be at least changes.suspectWindow (3h), got 1h",
                "changes:\\n  maxHops: 11|policy.yaml: changes.maxHops: must be between 0 and 10, got 11",
                "changes:\\n  suspectWindw: 1h|policy.yaml: changes.suspectWindw: unknown field (allowed here: keepFor, maxChanges, maxHops, maxSuspects, suspectWindow)",
            })
    void errorsNameTheFileTheFieldAndTheReason(String yaml, String message) {
        assertThatThrownBy(() -> parse(yaml.replace("\\n", "\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }

    @Test
    void aMissingFileIsNamed() {
        assertThatThrownBy(() -> PolicyLoader.load(Path.of("/nonexistent/policy.yaml")))
                .hasMessage("/nonexistent/policy.yaml: file not found");
    }

    @Test
    void durationsRoundTrip() {
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("PT5M")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
    }
}

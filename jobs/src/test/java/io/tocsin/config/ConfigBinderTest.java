package io.tocsin.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Jackson's binding errors read as the hand-written walker's did. */
class ConfigBinderTest {

    private static Policy parse(String yaml) {
        return PolicyLoader.parse(
                "policy.yaml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "dedupe:\\n  flapThreshold: 1.5|policy.yaml: dedupe.flapThreshold: expected an integer, found '1.5'",
                "dedupe:\\n  flapThreshold: true|policy.yaml: dedupe.flapThreshold: expected an integer, found 'true'",
                "dedupe:\\n  flapThreshold: 0|policy.yaml: dedupe.flapThreshold: must be between 1 and 1000, got 0",
                "dedupe:\\n  stateTtl: [1]|policy.yaml: dedupe.stateTtl: expected a single value, found array",
                "dedupe: 5|policy.yaml: dedupe: expected a mapping, found number",
                "dedupe:\\n  flapThreshold: ''|policy.yaml: dedupe.flapThreshold: expected an integer, found ''",
                "dedupe:\\n  flapThreshold: 3000000000|policy.yaml: dedupe.flapThreshold: expected an integer, found '3000000000'",
                "anomaly:\\n  fireLevel: ''|policy.yaml: anomaly.fireLevel: expected a number, found ''",
                "correlation:\\n  crossDomainLinks: 'true'|policy.yaml: correlation.crossDomainLinks: expected true or false, found 'true'",
                "correlation:\\n  learning:\\n    enabled: 1|policy.yaml: correlation.learning.enabled: expected true or false, found '1'",
                "correlation:\\n  learning:\\n    minConfidence: 2|policy.yaml: correlation.learning.minConfidence: must be between 0.0 and 1.0, got 2",
                "correlation:\\n  learning:\\n    nope: 2|policy.yaml: correlation.learning.nope: unknown field (allowed here: burstGap, enabled, maxPairs, minConfidence, minSupport, retention, window)",
                "correlation:\\n  labelRules: [{name: a}]|policy.yaml: correlation.labelRules[0].equal: name at least one label",
                "correlation:\\n  labelRules: [{equal: [x, '']}]|policy.yaml: correlation.labelRules[0].equal[1]: required",
                "correlation:\\n  labelRules: [{equal: [x]}]|policy.yaml: correlation.labelRules[0].name: required",
                "correlation:\\n  meshCalls: [{caller: a, callee: a}]|policy.yaml: correlation.meshCalls[0].callee: must differ from caller ('a')",
                "correlation:\\n  meshCalls: [null]|policy.yaml: correlation.meshCalls[0].caller: required",
                "severity:\\n  labels: []|policy.yaml: severity.labels: must name at least one label",
                "severity:\\n  labels: [a, ~]|policy.yaml: severity.labels[1]: required",
                "severity:\\n  map: {x: [1]}|policy.yaml: severity.map.x: expected a single value, found array",
                "severity:\\n  map: {x: ~}|policy.yaml: severity.map.x: required",
                "severity:\\n  default: 3|policy.yaml: severity.default: unknown severity level '3' (one of SEV1, SEV2, SEV3, SEV4)",
                "severity:\\n  fallback: SEV1|policy.yaml: severity.fallback: unknown field (allowed here: default, labels, map)",
                "[1]|policy.yaml: expected a mapping, found array",
                "ingest:\\n  idleTimeout: 0m|policy.yaml: ingest.idleTimeout: must be greater than zero, got 0m",
            })
    void bindingErrorsNameTheFileTheFieldAndTheReason(String yaml, String message) {
        assertThatThrownBy(() -> parse(yaml.replace("\\n", "\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"dedupe:\\n  flapThreshold: '12'", "dedupe:\\n  flapThreshold: 12"})
    void anIntegerMayBeWrittenAsText(String yaml) {
        assertThat(parse(yaml.replace("\\n", "\n")).dedupe().flapThreshold()).isEqualTo(12);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "[1]|topology.json: expected a mapping, found array",
                "{'services':5}|topology.json: services: expected a list, found number",
                "{'services':[5]}|topology.json: services[0]: expected a mapping, found number",
                "{'services':[null]}|topology.json: services[0].name: required",
                "{'services':[{'name':['a']}]}|topology.json: services[0].name: expected a single value, found array",
                "{'services':[{'name':'a','team':{}}]}|topology.json: services[0].team: expected a single value, found object",
                "{'services':[{'name':'a','dependsOn':['']}]}|topology.json: services[0].dependsOn[0]: required",
                "{'services':[{'name':'a','dependsOn':[{}]}]}|topology.json: services[0].dependsOn[0]: expected a single value, found object",
                "{'services':[{'name':'a'},{'name':'a'}]}|topology.json: services[1].name: service 'a' is listed twice",
            })
    void topologyErrorsNameTheFileTheFieldAndTheReason(String json, String message) {
        assertThatThrownBy(
                        () ->
                                TopologyLoader.parse(
                                        "topology.json",
                                        new ByteArrayInputStream(
                                                json.replace('\'', '"')
                                                        .getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }
}

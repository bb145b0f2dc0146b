package io.tocsin.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tocsin.avro.Severity;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which chain an incident gets, by each criterion a chain can match on. */
class ChainMatchingTest {

    private static EscalationPolicy policy(String chains) {
        String yaml =
                "escalation:\n  targets: {t: {person: p, routingKey: R}}\n  chains:\n" + chains;
        return PolicyLoader.parse(
                        "policy.yaml",
                        new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
                .escalation();
    }

    private static final EscalationPolicy POLICY =
            policy(
                    """
                        - {id: sev1-only, severities: [SEV1], teams: [team-a], tiers: [{target: t}]}
                        - {id: at-least-sev2, severityAtLeast: SEV2, services: [svc-b], tiers: [{target: t}]}
                        - {id: gold, customerTiers: [gold], tiers: [{target: t}]}
                        - {id: west, regions: [eu-west-1], tiers: [{target: t}]}
                        - {id: datastores, serviceTiers: [datastore], tiers: [{target: t}]}
                        - {id: gold-west, customerTiers: [silver], regions: [us-east-1], tiers: [{target: t}]}
                        - {id: team-or-service, teams: [team-x], services: [svc-x], tiers: [{target: t}]}
                        - {id: default, tiers: [{target: t}]}
                    """);

    private static EscalationPolicy.RoutingFacts facts(
            List<String> services,
            Set<String> teams,
            Severity severity,
            Set<String> customerTiers,
            Set<String> regions,
            Set<String> serviceTiers) {
        return new EscalationPolicy.RoutingFacts(
                services, teams, severity, customerTiers, regions, serviceTiers);
    }

    static Stream<Arguments> cases() {
        Set<String> none = Set.of();
        return Stream.of(
                Arguments.of(
                        "severity in the set",
                        facts(List.of("s"), Set.of("team-a"), Severity.SEV1, none, none, none),
                        "sev1-only"),
                Arguments.of(
                        "severity not in the set",
                        facts(List.of("s"), Set.of("team-a"), Severity.SEV2, none, none, none),
                        "default"),
                Arguments.of(
                        "severity at least: equal",
                        facts(List.of("svc-b"), none, Severity.SEV2, none, none, none),
                        "at-least-sev2"),
                Arguments.of(
                        "severity at least: above",
                        facts(List.of("svc-b"), none, Severity.SEV1, none, none, none),
                        "at-least-sev2"),
                Arguments.of(
                        "severity at least: below",
                        facts(List.of("svc-b"), none, Severity.SEV3, none, none, none),
                        "default"),
                Arguments.of(
                        "customer tier",
                        facts(
                                List.of("s"),
                                none,
                                Severity.SEV3,
                                Set.of("bronze", "gold"),
                                none,
                                none),
                        "gold"),
                Arguments.of(
                        "region",
                        facts(
                                List.of("s"),
                                none,
                                Severity.SEV3,
                                Set.of("bronze"),
                                Set.of("eu-west-1"),
                                none),
                        "west"),
                Arguments.of(
                        "service tier",
                        facts(List.of("s"), none, Severity.SEV3, none, none, Set.of("datastore")),
                        "datastores"),
                Arguments.of(
                        "two criteria: both hold",
                        facts(
                                List.of("s"),
                                none,
                                Severity.SEV3,
                                Set.of("silver"),
                                Set.of("us-east-1"),
                                none),
                        "gold-west"),
                Arguments.of(
                        "two criteria: one holds",
                        facts(
                                List.of("s"),
                                none,
                                Severity.SEV3,
                                Set.of("silver"),
                                Set.of("eu-central-1"),
                                none),
                        "default"),
                Arguments.of(
                        "teams or services: team",
                        facts(List.of("s"), Set.of("team-x"), null, none, none, none),
                        "team-or-service"),
                Arguments.of(
                        "teams or services: service",
                        facts(List.of("svc-x"), none, null, none, none, none),
                        "team-or-service"),
                Arguments.of(
                        "nothing matches",
                        facts(List.of("s"), none, Severity.SEV1, none, none, none),
                        "default"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theFirstChainWhoseCriteriaAllHoldApplies(
            String name, EscalationPolicy.RoutingFacts facts, String chain) {
        assertThat(POLICY.chainFor(facts).id()).isEqualTo(chain);
    }

    @Test
    void theServicesAndTeamsLookupIsTheSameAsBefore() {
        assertThat(POLICY.chainFor(List.of("svc-x"), Set.of()).id()).isEqualTo("team-or-service");
        // criteria on severity or the catalog never match without those facts
        assertThat(POLICY.chainFor(List.of("svc-b"), Set.of("team-a")).id()).isEqualTo("default");
    }

    @Test
    void badMatchFieldsNameTheField() {
        assertThatThrownBy(
                        () ->
                                policy(
                                        "    - {id: a, severityAtLeast: SEV9, tiers: [{target: t}]}\n"))
                .hasMessageStartingWith("policy.yaml: escalation.chains[0].severityAtLeast: ");
        assertThatThrownBy(
                        () ->
                                policy(
                                        "    - {id: a, severities: [SEV1, bad], tiers: [{target: t}]}\n"))
                .hasMessageStartingWith("policy.yaml: escalation.chains[0].severities[1]: ");
        assertThatThrownBy(() -> policy("    - {id: a, regions: eu, tiers: [{target: t}]}\n"))
                .hasMessage(
                        "policy.yaml: escalation.chains[0].regions: expected a list, found string");
        // a chain with only a catalog criterion is not a second default
        assertThat(
                        policy(
                                        "    - {id: a, tiers: [{target: t}]}\n"
                                                + "    - {id: b, regions: [eu], tiers: [{target: t}]}\n")
                                .chains())
                .hasSize(2);
    }
}

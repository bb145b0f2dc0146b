package io.tocsin.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CatalogReaderTest {

    private static final Set<String> SCHEDULES = Set.of("identity-oncall", "platform-oncall");

    private static Catalog parse(String yaml) {
        return CatalogReader.parse(
                "catalog.yaml",
                new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)),
                SCHEDULES);
    }

    @Test
    void aGoodFileGivesEveryFieldAndLeavesOutWhatItLeavesOut() {
        Catalog c =
                parse(
                        """
                        services:
                          users-pg:
                            team: team-identity
                            schedule: identity-oncall
                            runbook: https://runbooks.example/users-pg
                            tier: datastore
                            customerTier: gold
                            region: eu-central-1
                          psp-api:
                            vendor: {name: payment-provider, responseSla: 30m}
                          bare-svc:
                        """);
        assertThat(c.services()).containsOnlyKeys("users-pg", "psp-api", "bare-svc");
        assertThat(c.service("users-pg"))
                .contains(
                        new Catalog.Service(
                                "users-pg",
                                "team-identity",
                                "identity-oncall",
                                "https://runbooks.example/users-pg",
                                "datastore",
                                "gold",
                                "eu-central-1",
                                null));
        assertThat(c.service("psp-api").orElseThrow().vendor())
                .isEqualTo(new Catalog.Vendor("payment-provider", Duration.ofMinutes(30)));
        assertThat(c.service("bare-svc"))
                .contains(
                        new Catalog.Service("bare-svc", null, null, null, null, null, null, null));
        assertThat(c.service("not-listed")).isEmpty();
    }

    @Test
    void jsonReadsTheSame() {
        Catalog c =
                parse(
                        "{\"services\":{\"users-pg\":{\"team\":\"t\",\"runbook\":\"http://rb.example/x\"}}}");
        assertThat(c.service("users-pg").orElseThrow().runbook()).isEqualTo("http://rb.example/x");
    }

    @Test
    void theBundledDemoCatalogLoadsWithTheDemoPolicysSchedules() {
        Policy demo = PolicyLoader.loadResource("demo/policy.yaml");
        Catalog c =
                CatalogReader.loadResource(
                        "demo/catalog.yaml", demo.escalation().schedules().ids());
        assertThat(c.service("users-pg").orElseThrow().customerTier()).isEqualTo("gold");
        assertThat(c.service("psp-api").orElseThrow().vendor().name())
                .isEqualTo("payment-provider");
        // every service of the demo topology is catalogued
        assertThat(c.services().keySet())
                .containsAll(TopologyLoader.loadResource("demo/topology.json").services().keySet());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "services:\\n  a: {schedule: nights}|catalog.yaml: services.a.schedule: no schedule 'nights' in the policy (defined: identity-oncall, platform-oncall)",
                "services:\\n  a: {runbook: 'ftp://rb.example/a'}|catalog.yaml: services.a.runbook: must be an http or https URL, got 'ftp://rb.example/a'",
                "services:\\n  a: {runbook: 'javascript:alert(1)'}|catalog.yaml: services.a.runbook: must be an http or https URL, got 'javascript:alert(1)'",
                "services:\\n  a: {runbook: '/relative/path'}|catalog.yaml: services.a.runbook: must be an http or https URL, got '/relative/path'",
                "services:\\n  a: {runbook: 'https:///nohost'}|catalog.yaml: services.a.runbook: URL has no host: 'https:///nohost'",
                "services:\\n  a: {owner: x}|catalog.yaml: services.a.owner: unknown field (allowed here: customerTier, region, runbook, schedule, team, tier, vendor)",
                "services:\\n  a: {vendor: {name: v, sla: 1h}}|catalog.yaml: services.a.vendor.sla: unknown field (allowed here: name, responseSla)",
                "services:\\n  a: {vendor: {responseSla: 1h}}|catalog.yaml: services.a.vendor.name: required",
                "services:\\n  a: {vendor: {name: v, responseSla: soon}}|catalog.yaml: services.a.vendor.responseSla: cannot parse 'soon' as a duration (use e.g. 30s, 5m, 1h, 7d)",
                "services:\\n  a: {team: [x, y]}|catalog.yaml: services.a.team: expected a single value, found array",
                "services:\\n  a: {team: ''}|catalog.yaml: services.a.team: required",
                "services: [a, b]|catalog.yaml: services: expected a mapping, found array",
                "service: {}|catalog.yaml: service: unknown field (allowed here: services)",
            })
    void errorsNameTheFileTheFieldAndTheReason(String yaml, String message) {
        assertThatThrownBy(() -> parse(yaml.replace("\\n", "\n"))).hasMessage(message);
    }

    @Test
    void aMissingOrEmptyFileFailsWithItsName() {
        assertThatThrownBy(() -> parse("")).hasMessage("catalog.yaml: empty file");
        assertThatThrownBy(
                        () -> CatalogReader.load(Path.of("/nonexistent/catalog.yaml"), SCHEDULES))
                .hasMessage("/nonexistent/catalog.yaml: file not found");
    }

    @Test
    void withoutSchedulesToCheckAgainstAnyScheduleNameIsKept() {
        Catalog c =
                CatalogReader.read(
                        ConfigNode.parseJson(
                                "control",
                                "catalog",
                                "{\"services\":{\"a\":{\"schedule\":\"nights\"}}}"),
                        null);
        assertThat(c.service("a").orElseThrow().schedule()).isEqualTo("nights");
    }
}

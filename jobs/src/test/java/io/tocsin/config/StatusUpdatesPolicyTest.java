package io.tocsin.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tocsin.avro.Severity;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The policy's statusUpdates section: templates checked at load, channel rules, bad values. */
class StatusUpdatesPolicyTest {

    @TempDir Path dir;

    private static Policy parse(String yaml) {
        return PolicyLoader.parse(
                "policy.yaml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest(name = "{0} at {1}: {2}")
    @CsvSource({
        "TECHNICAL, SEV1, page chat",
        "TECHNICAL, SEV2, page chat",
        "TECHNICAL, SEV3, chat",
        "TECHNICAL, SEV4, chat",
        "BUSINESS,  SEV1, email",
        "BUSINESS,  SEV4, email",
        "EXECUTIVE, SEV1, email sms",
        "EXECUTIVE, SEV2, email",
        "EXECUTIVE, SEV3, email",
        "CUSTOMER,  SEV1, status-page",
        "CUSTOMER,  SEV3, status-page"
    })
    void theDefaultChannelRulesPickTheChannelsByAudienceAndSeverity(
            StatusAudience audience, Severity severity, String channels) {
        assertThat(StatusUpdatePolicy.defaults().audience(audience).channelsFor(severity))
                .containsExactlyElementsOf(Arrays.asList(channels.split(" ")));
    }

    @Test
    void theFirstMatchingRuleWinsAndNoMatchMeansNoChannel() {
        Policy p =
                parse(
                        """
                        statusUpdates:
                          audiences:
                            technical:
                              channels:
                                - {severities: [SEV1], channels: [voice, page]}
                                - {severities: [SEV1, SEV2], channels: [sms]}
                        """);
        StatusUpdatePolicy.Audience t = p.statusUpdates().audience(StatusAudience.TECHNICAL);
        assertThat(t.channelsFor(Severity.SEV1)).containsExactly("voice", "page");
        assertThat(t.channelsFor(Severity.SEV2)).containsExactly("sms");
        assertThat(t.channelsFor(Severity.SEV3)).isEmpty();
        // what the file leaves out keeps its default
        assertThat(t.minInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(p.statusUpdates().audience(StatusAudience.CUSTOMER))
                .isEqualTo(StatusUpdatePolicy.defaults().audience(StatusAudience.CUSTOMER));
    }

    @Test
    void anInlineTemplateThatDoesNotCompileFailsWithFileFieldAndReason() {
        assertThatThrownBy(
                        () ->
                                parse(
                                        """
                                        statusUpdates:
                                          audiences:
                                            customer:
                                              template: "{{#resolved}}fixed"
                                        """))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(
                        "policy.yaml: statusUpdates.audiences.customer.template: template does not"
                                + " compile: ")
                .hasMessageContaining("resolved");
    }

    @Test
    void aBadSubjectFailsAtItsField() {
        assertThatThrownBy(
                        () ->
                                parse(
                                        """
                                        statusUpdates:
                                          audiences:
                                            executive: {subject: "{{severity"}
                                        """))
                .hasMessageStartingWith(
                        "policy.yaml: statusUpdates.audiences.executive.subject: template does not"
                                + " compile: ");
    }

    @Test
    void aTemplateFileIsReadNextToThePolicyAndABadOneNamesBothFiles() throws Exception {
        Files.writeString(dir.resolve("good.mustache"), "{{statusWord}}: {{impact}}");
        Files.writeString(dir.resolve("bad.mustache"), "line one\n{{/resolved}}");
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(
                policy,
                "statusUpdates:\n  audiences:\n    customer: {templateFile: good.mustache}\n");
        assertThat(
                        PolicyLoader.load(policy)
                                .statusUpdates()
                                .audience(StatusAudience.CUSTOMER)
                                .template())
                .isEqualTo("{{statusWord}}: {{impact}}");

        Files.writeString(
                policy,
                "statusUpdates:\n  audiences:\n    business: {templateFile: bad.mustache}\n");
        assertThatThrownBy(() -> PolicyLoader.load(policy))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(
                        policy
                                + ": statusUpdates.audiences.business.templateFile: bad.mustache:"
                                + " template does not compile: ");

        Files.writeString(
                policy,
                "statusUpdates:\n  audiences:\n    business: {templateFile: gone.mustache}\n");
        assertThatThrownBy(() -> PolicyLoader.load(policy))
                .hasMessage(
                        policy
                                + ": statusUpdates.audiences.business.templateFile: template file "
                                + dir.resolve("gone.mustache")
                                + " not found");
    }

    @Test
    void partialsAreRefusedSoATemplateCannotPullInAFile() {
        assertThatThrownBy(
                        () ->
                                parse(
                                        """
                                        statusUpdates:
                                          audiences:
                                            customer: {template: "{{> /etc/hostname}}"}
                                        """))
                .hasMessageStartingWith(
                        "policy.yaml: statusUpdates.audiences.customer.template: template does not"
                                + " compile: ")
                .hasMessageContaining("partials are not allowed");
    }

    @Test
    void badValuesFailAtTheirField() {
        assertThatThrownBy(
                        () ->
                                parse(
                                        "statusUpdates: {audiences: {technical: {channels:"
                                                + " [{channels: [pager]}]}}}"))
                .hasMessage(
                        "policy.yaml: statusUpdates.audiences.technical.channels[0].channels[0]:"
                                + " unknown channel 'pager' (one of chat, email, page, sms,"
                                + " status-page, voice)");
        assertThatThrownBy(
                        () ->
                                parse(
                                        "statusUpdates: {audiences: {executive: {triggers:"
                                                + " [OPENED, ACKED]}}}"))
                .hasMessage(
                        "policy.yaml: statusUpdates.audiences.executive.triggers[1]: unknown"
                                + " trigger 'ACKED' (OPENED, SEVERITY_CHANGED, ROOT_CAUSE_CHANGED"
                                + " or RESOLVED)");
        assertThatThrownBy(
                        () ->
                                parse(
                                        "statusUpdates: {audiences: {customer: {template: x,"
                                                + " templateFile: y}}}"))
                .hasMessage(
                        "policy.yaml: statusUpdates.audiences.customer.templateFile: give either"
                                + " template or templateFile, not both");
        assertThatThrownBy(() -> parse("statusUpdates: {audiences: {board: {}}}"))
                .hasMessageStartingWith(
                        "policy.yaml: statusUpdates.audiences.board: unknown field");
        assertThatThrownBy(() -> parse("statusUpdates: {audiences: {business: {minInterval: 0s}}}"))
                .hasMessageStartingWith(
                        "policy.yaml: statusUpdates.audiences.business.minInterval: must be"
                                + " greater than zero");
    }

    @Test
    void theDemoPolicyLoadsItsCustomerTemplateFromTheClassPath() {
        StatusUpdatePolicy s = PolicyLoader.loadResource("demo/policy.yaml").statusUpdates();
        assertThat(s.audience(StatusAudience.CUSTOMER).source())
                .isEqualTo("status/customer.mustache");
        assertThat(s.audience(StatusAudience.CUSTOMER).template()).startsWith("{{#resolved}}");
        assertThat(s.impactOf(Severity.SEV1))
                .isEqualTo("many shoppers cannot sign in or check out");
        assertThat(List.of(StatusAudience.values()))
                .allSatisfy(a -> assertThat(s.audience(a).enabled()).isTrue());
    }
}

package io.tocsin.escalate.page;

import static io.tocsin.escalate.page.PageFixtures.escalated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.Severity;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PagesTest {

    @Test
    void aPageCarriesTheIncidentFacts() {
        Page p =
                Pages.of(
                        escalated(Severity.SEV1).build(),
                        "rk-payments",
                        Page.TRIGGER,
                        Map.of("runbook", "https://runbooks.example/pg"));
        assertThat(p.routingKey).isEqualTo("rk-payments");
        assertThat(p.action).isEqualTo("trigger");
        assertThat(p.dedupKey).isEqualTo("prod-eu/inc-42");
        assertThat(p.eventTime).isEqualTo(PageFixtures.T0 + 1234);
        assertThat(p.summary)
                .isEqualTo(
                        "[SEV1] users-pg: PostgresTooManyConnections (+2 services) (root cause:"
                                + " users-pg)");
        assertThat(p.source).isEqualTo("users-pg");
        assertThat(p.severity).isEqualTo("critical");
        assertThat(p.component).isEqualTo("users-pg");
        assertThat(p.group).isEqualTo("prod-eu");
        assertThat(p.eventClass).isEqualTo("PostgresTooManyConnections");
        assertThat(p.coalesced).isZero();
        assertThat(p.customDetails)
                .containsEntry("incidentId", "prod-eu/inc-42")
                .containsEntry("eventType", "ESCALATED")
                .containsEntry("severity", "SEV1")
                .containsEntry("status", "OPEN")
                .containsEntry("services", "checkout-api,payments-svc,users-pg")
                .containsEntry("alertCount", "5")
                .containsEntry("activeAlertCount", "4")
                .containsEntry("escalationTier", "1")
                .containsEntry("target", "payments-secondary")
                .containsEntry("actor", "policy:payments")
                .containsEntry("reason", "tier 0 did not acknowledge within 15m")
                .containsEntry("evidence.trigger", "tier-timeout")
                .containsEntry("evidence.timeout", "15m")
                .containsEntry("runbook", "https://runbooks.example/pg");
    }

    @ParameterizedTest
    @CsvSource({"SEV1, critical", "SEV2, error", "SEV3, warning", "SEV4, info", "UNKNOWN, info"})
    void severityMapsOntoEventsV2Levels(Severity s, String expected) {
        assertThat(Pages.of(escalated(s).build(), "rk", Page.TRIGGER, Map.of()).severity)
                .isEqualTo(expected);
        assertThat(Pages.severity(s)).isEqualTo(expected);
    }

    @Test
    void withoutRootCauseTheSourceIsTheDomainAndOptionalFactsAreLeftOut() {
        IncidentEvent e =
                escalated(Severity.SEV3)
                        .setRootCauseService(null)
                        .setAlertName(null)
                        .setEscalationTier(null)
                        .setTarget(null)
                        .setReason(null)
                        .build();
        Page p = Pages.of(e, "rk", Page.ACKNOWLEDGE, null);
        assertThat(p.summary)
                .isEqualTo("[SEV3] users-pg: PostgresTooManyConnections (+2 services)");
        assertThat(p.source).isEqualTo("prod-eu");
        assertThat(p.component).isNull();
        assertThat(p.eventClass).isEqualTo("incident");
        assertThat(p.customDetails).doesNotContainKeys("escalationTier", "target", "reason");
    }

    @Test
    void theSummaryIsCutToTheEventsV2Limit() {
        String title = "x".repeat(2000);
        Page p = Pages.of(escalated(Severity.SEV2).setTitle(title).build(), "rk", "trigger", null);
        assertThat(p.summary)
                .hasSize(Pages.MAX_SUMMARY)
                .startsWith("[SEV2] xxx")
                .endsWith("\u2026");
        assertThat(Pages.truncate("a".repeat(1022) + "\uD83D\uDE00b", 1024))
                .as("a surrogate pair is not split")
                .isEqualTo("a".repeat(1022) + "\u2026");
    }

    @Test
    void aPageNeedsARoutingKeyAndAKnownAction() {
        IncidentEvent e = escalated(Severity.SEV1).build();
        assertThatThrownBy(() -> Pages.of(e, " ", Page.TRIGGER, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a page needs a routing key");
        assertThatThrownBy(() -> Pages.of(e, "rk", "snooze", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown page action 'snooze' (trigger, acknowledge or resolve)");
    }

    @ParameterizedTest(name = "held {0}@{1}, incoming {2}@{3} -> {4}")
    @CsvSource({
        "trigger,     10, resolve,     20, incoming",
        "resolve,     20, trigger,     15, held",
        "resolve,     20, trigger,     20, held",
        "trigger,     20, resolve,     20, incoming",
        "acknowledge, 20, trigger,     20, held",
        "trigger,     20, trigger,     20, incoming",
        "resolve,     20, trigger,     30, incoming",
        "resolve,     20, acknowledge, 10, held",
    })
    void theLatestStateOfAnIncidentWins(
            String heldAction, long heldAt, String inAction, long inAt, String winner) {
        Page held = PageFixtures.page("rk", "inc", heldAction, heldAt);
        Page incoming = PageFixtures.page("rk", "inc", inAction, inAt);
        assertThat(Pages.latest(held, incoming)).isSameAs(winner.equals("held") ? held : incoming);
    }
}

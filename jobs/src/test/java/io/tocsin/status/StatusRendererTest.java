package io.tocsin.status;

import static io.tocsin.status.StatusFixtures.INCIDENT;
import static io.tocsin.status.StatusFixtures.MINUTE;
import static io.tocsin.status.StatusFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.Severity;
import io.tocsin.config.StatusAudience;
import io.tocsin.config.StatusTrigger;
import io.tocsin.config.StatusUpdatePolicy;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The built-in templates over a fixed incident, exact text per audience; and the customer model
 * against a hostile template that names everything technical.
 */
class StatusRendererTest {

    private static final StatusRenderer DEFAULTS =
            new StatusRenderer(StatusUpdatePolicy.defaults());

    /** The incident 12 minutes in: SEV1 since the last update (SEV2), two people paged. */
    private static UpdateFacts severityRose() {
        return new UpdateFacts(
                INCIDENT,
                T0 + 12 * MINUTE,
                T0,
                "SEV1",
                "SEV2",
                "OPEN",
                "ledger-db: LedgerReplicaLag (+2 services)",
                "prod-pay-7",
                List.of("api-gw", "ledger-db", "ledger-svc"),
                4,
                3,
                "ledger-db",
                List.of("instance=ledger-db-2.pay.internal:9187", "rule=no-linked-incident"),
                List.of("dana", "omar"),
                EnumSet.of(StatusTrigger.SEVERITY_CHANGED),
                false,
                false,
                T0 + 22 * MINUTE,
                "many customers cannot use the service");
    }

    private static UpdateFacts resolved() {
        return new UpdateFacts(
                INCIDENT,
                T0 + 75 * MINUTE,
                T0,
                "SEV1",
                "SEV1",
                "RESOLVED",
                "ledger-db: LedgerReplicaLag (+2 services)",
                "prod-pay-7",
                List.of("api-gw", "ledger-db", "ledger-svc"),
                4,
                0,
                "ledger-db",
                List.of("rule=no-linked-incident"),
                List.of("dana"),
                EnumSet.of(StatusTrigger.ROOT_CAUSE_CHANGED, StatusTrigger.RESOLVED),
                false,
                false,
                null,
                "many customers cannot use the service");
    }

    @Test
    void technical() {
        StatusRenderer.Rendered r = DEFAULTS.render(StatusAudience.TECHNICAL, severityRose());
        assertThat(r.subject())
                .isEqualTo(
                        "[SEV1] INC-0000feedbeef open: ledger-db: LedgerReplicaLag (+2 services)");
        assertThat(r.text())
                .isEqualTo(
                        """
                        INC-0000feedbeef [SEV1] open: ledger-db: LedgerReplicaLag (+2 services)
                        Changes: severity SEV2 to SEV1.
                        Root cause: ledger-db (evidence: instance=ledger-db-2.pay.internal:9187, rule=no-linked-incident).
                        Services (3): api-gw, ledger-db, ledger-svc. Alerts firing: 3 of 4.
                        Paged: dana, omar. Open since 2026-11-02 02:00 UTC (12 min).
                        Next update with the next change, not before 2026-11-02 02:22 UTC.""");
        assertThat(DEFAULTS.render(StatusAudience.TECHNICAL, resolved()).text())
                .startsWith(
                        """
                        INC-0000feedbeef [SEV1] resolved: ledger-db: LedgerReplicaLag (+2 services)
                        Changes: root cause now ledger-db, resolved.
                        """)
                .endsWith("Paged: dana. Open since 2026-11-02 02:00 UTC (1 h 15 min).");
    }

    @Test
    void business() {
        StatusRenderer.Rendered r = DEFAULTS.render(StatusAudience.BUSINESS, severityRose());
        assertThat(r.subject())
                .isEqualTo("SEV1 incident open: many customers cannot use the service");
        assertThat(r.text())
                .isEqualTo(
                        """
                        SEV1 incident INC-0000feedbeef is open: many customers cannot use the service.
                        Severity changed from SEV2 to SEV1. Services affected: 3. It started at 2026-11-02 02:00 UTC, 12 min ago.
                        Next update with the next change, not before 2026-11-02 02:22 UTC.""");
        assertThat(DEFAULTS.render(StatusAudience.BUSINESS, resolved()).text())
                .isEqualTo(
                        """
                        SEV1 incident INC-0000feedbeef is resolved: many customers cannot use the service.
                        Services affected: 3. It lasted 1 h 15 min from 2026-11-02 02:00 UTC.""");
    }

    @Test
    void executive() {
        StatusRenderer.Rendered r = DEFAULTS.render(StatusAudience.EXECUTIVE, severityRose());
        assertThat(r.subject()).isEqualTo("SEV1 open");
        assertThat(r.text())
                .isEqualTo(
                        "A SEV1 incident (INC-0000feedbeef) is open since 2026-11-02 02:00 UTC:"
                                + " many customers cannot use the service. Next update not before"
                                + " 2026-11-02 02:22 UTC, or when it is resolved.");
        assertThat(DEFAULTS.render(StatusAudience.EXECUTIVE, resolved()).text())
                .isEqualTo(
                        "The SEV1 incident INC-0000feedbeef is resolved after 1 h 15 min (impact:"
                                + " many customers cannot use the service).");
    }

    @Test
    void customer() {
        StatusRenderer.Rendered r = DEFAULTS.render(StatusAudience.CUSTOMER, severityRose());
        assertThat(r.subject()).isEqualTo("Investigating: Major outage");
        assertThat(r.text())
                .isEqualTo(
                        "The impact has grown. Since 2026-11-02 02:00 UTC, many customers cannot"
                                + " use the service. Our engineers are working on it and we will"
                                + " post an update as soon as we know more.");
        StatusRenderer.Rendered done = DEFAULTS.render(StatusAudience.CUSTOMER, resolved());
        assertThat(done.subject()).isEqualTo("Resolved: Major outage");
        assertThat(done.text())
                .isEqualTo(
                        "This incident is resolved and the service is working normally again. It"
                                + " began at 2026-11-02 02:00 UTC and lasted 1 h 15 min. We are"
                                + " sorry for the disruption.");
    }

    /** Every name a template could try for something technical, plain and as sections. */
    static final String HOSTILE =
            "{{services}}|{{servicesText}}|{{#services}}{{.}}{{/services}}|{{title}}|{{rootCause}}"
                    + "|{{rootCauseService}}|{{evidence}}|{{evidenceText}}|{{#evidence}}{{key}}={{value}}"
                    + "{{/evidence}}|{{paged}}|{{pagedText}}|{{target}}|{{actor}}|{{domain}}"
                    + "|{{incidentId}}|{{alertName}}|{{alertname}}|{{fingerprint}}|{{labels}}"
                    + "|{{labels.instance}}|{{evidence.instance}}|{{alertCount}}|{{severity}}"
                    + "|{{previousSeverity}}|{{facts}}|{{facts.services}}|{{class}}|{{toString}}"
                    + "|{{#this}}{{services}}{{/this}}|{{.}}";

    @Test
    void aHostileCustomerTemplateGetsNothingTechnical() {
        StatusUpdatePolicy d = StatusUpdatePolicy.defaults();
        Map<StatusAudience, StatusUpdatePolicy.Audience> audiences =
                new EnumMap<>(StatusAudience.class);
        audiences.putAll(d.audiences());
        StatusUpdatePolicy.Audience c = d.audience(StatusAudience.CUSTOMER);
        audiences.put(
                StatusAudience.CUSTOMER,
                new StatusUpdatePolicy.Audience(
                        true,
                        "hostile",
                        HOSTILE,
                        HOSTILE,
                        c.triggers(),
                        c.severities(),
                        c.minInterval(),
                        c.channels()));
        StatusRenderer hostile =
                new StatusRenderer(new StatusUpdatePolicy(true, audiences, d.impact()));
        for (UpdateFacts f : List.of(severityRose(), resolved())) {
            StatusRenderer.Rendered r = hostile.render(StatusAudience.CUSTOMER, f);
            for (String technical :
                    Set.of(
                            "ledger",
                            "api-gw",
                            "LedgerReplicaLag",
                            "pay.internal",
                            "9187",
                            "no-linked-incident",
                            "dana",
                            "omar",
                            "prod-pay-7",
                            "INC-",
                            "feedbeef",
                            "SEV")) {
                assertThat(r.text()).as(technical).doesNotContain(technical);
                assertThat(r.subject()).as(technical).doesNotContain(technical);
            }
        }
        // the same template for the technical audience does see them: the names are right
        assertThat(DEFAULTS.render(StatusAudience.TECHNICAL, severityRose()).text())
                .contains("ledger-db");
    }

    @Test
    void theCustomerModelHoldsOnlyCustomerSafeNames() {
        assertThat(StatusModels.customer(severityRose()).keySet())
                .containsExactlyInAnyOrder(
                        "statusWord",
                        "headline",
                        "impact",
                        "startedAt",
                        "at",
                        "duration",
                        "nextUpdateAfter",
                        "firstUpdate",
                        "updated",
                        "reopened",
                        "resolved",
                        "worse",
                        "better",
                        "hasNextUpdate");
    }

    @Test
    void durationsInWords() {
        assertThat(StatusModels.duration(59_999)).isEqualTo("less than a minute");
        assertThat(StatusModels.duration(60_000)).isEqualTo("1 min");
        assertThat(StatusModels.duration(60 * MINUTE)).isEqualTo("1 h");
        assertThat(StatusModels.duration(125 * MINUTE + 59_000)).isEqualTo("2 h 5 min");
        assertThat(StatusModels.headline(Severity.SEV2.name())).isEqualTo("Partial outage");
    }
}

package io.tocsin.escalate.page;

import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.avro.IncidentStatus;
import io.tocsin.avro.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Named instants, pages and incident events for the page tests. */
final class PageFixtures {

    static final Instant BEGINNING = Instant.parse("2026-11-02T02:00:00Z");
    static final long T0 = BEGINNING.toEpochMilli();
    static final long SECOND = 1_000L;
    static final long MINUTE = 60 * SECOND;

    static final String PAYMENTS = "rk-payments";
    static final String CHECKOUT = "rk-checkout";

    private PageFixtures() {}

    /** A bare page: enough for the limiter, which looks at key, dedup key, action and time. */
    static Page page(String routingKey, String incident, String action, long eventTime) {
        Page p = new Page();
        p.routingKey = routingKey;
        p.dedupKey = incident;
        p.action = action;
        p.eventTime = eventTime;
        p.summary = "[SEV2] " + incident;
        p.source = "payments-svc";
        p.severity = "error";
        return p;
    }

    static Page trigger(String incident, long eventTime) {
        return page(PAYMENTS, incident, Page.TRIGGER, eventTime);
    }

    static Page resolve(String incident, long eventTime) {
        return page(PAYMENTS, incident, Page.RESOLVE, eventTime);
    }

    static Page acknowledge(String incident, long eventTime) {
        return page(PAYMENTS, incident, Page.ACKNOWLEDGE, eventTime);
    }

    /** An ESCALATED event of a payments incident, tier 1, with root cause and evidence. */
    static IncidentEvent.Builder escalated(Severity severity) {
        return IncidentEvent.newBuilder()
                .setEventId("prod-eu/inc-42/7")
                .setIncidentId("prod-eu/inc-42")
                .setSeq(7)
                .setType(IncidentEventType.ESCALATED)
                .setEventTime(BEGINNING.plusMillis(1234))
                .setDomain("prod-eu")
                .setSeverity(severity)
                .setStatus(IncidentStatus.OPEN)
                .setTitle("users-pg: PostgresTooManyConnections (+2 services)")
                .setServices(List.of("checkout-api", "payments-svc", "users-pg"))
                .setAlertCount(5)
                .setActiveAlertCount(4)
                .setAlertName("PostgresTooManyConnections")
                .setRootCauseService("users-pg")
                .setEvidence(Map.of("trigger", "tier-timeout", "timeout", "15m"))
                .setActor("policy:payments")
                .setReason("tier 0 did not acknowledge within 15m")
                .setEscalationTier(1)
                .setTarget("payments-secondary");
    }
}

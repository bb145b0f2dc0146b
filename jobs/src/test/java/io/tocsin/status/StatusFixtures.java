package io.tocsin.status;

import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.avro.IncidentStatus;
import io.tocsin.avro.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Incident events for the status stage's tests: one incident of a made-up payments system. */
final class StatusFixtures {

    static final String INCIDENT = "INC-0000feedbeef";
    static final long T0 = Instant.parse("2026-11-02T02:00:00Z").toEpochMilli();
    static final long SECOND = 1000;
    static final long MINUTE = 60 * SECOND;

    private StatusFixtures() {}

    /** An event of the incident at {@code T0 + offset}, open, 3 services, root cause ledger-db. */
    static IncidentEvent event(long seq, IncidentEventType type, long offset, Severity severity) {
        return IncidentEvent.newBuilder()
                .setEventId(INCIDENT + "/" + seq)
                .setIncidentId(INCIDENT)
                .setSeq(seq)
                .setType(type)
                .setEventTime(Instant.ofEpochMilli(T0 + offset))
                .setOpenedAt(Instant.ofEpochMilli(T0))
                .setFirstAlertAt(Instant.ofEpochMilli(T0 - 30 * SECOND))
                .setDomain("prod-pay-7")
                .setSeverity(severity)
                .setStatus(
                        type == IncidentEventType.RESOLVED
                                ? IncidentStatus.RESOLVED
                                : IncidentStatus.OPEN)
                .setTitle("ledger-db: LedgerReplicaLag (+2 services)")
                .setServices(List.of("api-gw", "ledger-db", "ledger-svc"))
                .setAlertCount(4)
                .setActiveAlertCount(type == IncidentEventType.RESOLVED ? 0 : 3)
                .setFingerprint("fp-9f8e7d")
                .setAlertName("LedgerReplicaLag")
                .setAlertService("ledger-db")
                .setRootCauseService("ledger-db")
                .setEvidence(
                        Map.of(
                                "rule", "no-linked-incident",
                                "instance", "ledger-db-2.pay.internal:9187",
                                "alertSeverity", "SEV2"))
                .setActor("policy:correlation")
                .setReason("first alert of a new incident")
                .build();
    }

    /** An ESCALATED event paging {@code target}. */
    static IncidentEvent paged(long seq, long offset, Severity severity, String target) {
        IncidentEvent e = event(seq, IncidentEventType.ESCALATED, offset, severity);
        e.setTarget(target);
        e.setEvidence(Map.of("routingKey", "R-LEDGER-0001", "trigger", "policy:open"));
        return e;
    }
}

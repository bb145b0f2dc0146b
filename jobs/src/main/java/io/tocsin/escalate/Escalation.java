package io.tocsin.escalate;

import io.tocsin.avro.IncidentEvent;
import io.tocsin.config.Policy;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The escalate stage of DESIGN.md: keyed by incident id, a state machine with timers and CEP
 * patterns that adds SEVERITY_CHANGED, ESCALATED and command-driven events. The foundation has no
 * escalation policy yet, so the correlator's events pass unchanged; this is where it plugs in.
 */
public final class Escalation {

    private Escalation() {}

    public static DataStream<IncidentEvent> apply(DataStream<IncidentEvent> events, Policy policy) {
        return events;
    }
}

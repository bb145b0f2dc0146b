package io.tocsin.status;

import io.tocsin.avro.IncidentEvent;
import io.tocsin.config.StatusUpdatePolicy;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The status stage: escalated incident events, keyed by incident id, become status updates per
 * audience (technical, business, executive, customer-facing) from the policy's templates, triggers,
 * rate limits and channel rules. Operator uid is stable: never change it.
 */
public final class StatusUpdates {

    private StatusUpdates() {}

    public static DataStream<StatusUpdate> apply(
            DataStream<IncidentEvent> escalated, StatusUpdatePolicy policy) {
        return escalated
                .keyBy(IncidentEvent::getIncidentId)
                .process(new StatusUpdateFunction(policy))
                .returns(StatusUpdate.class)
                .name("status-updates")
                .uid("status-updates");
    }
}

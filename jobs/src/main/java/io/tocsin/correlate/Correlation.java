package io.tocsin.correlate;

import io.tocsin.avro.Alert;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.config.CorrelationPolicy;
import io.tocsin.config.Topology;
import io.tocsin.time.ControlWatermarks;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The correlate stage of DESIGN.md: transitions keyed by partition ({@link CorrelationKey}) through
 * one {@link IncidentCorrelator}, with the topology from the file and, at run time, from topology
 * control messages and mesh calls (broadcast); out come incident lifecycle events. Operator uids
 * are stable: never change them.
 */
public final class Correlation {

    private Correlation() {}

    public static DataStream<IncidentEvent> apply(
            DataStream<Alert> transitions,
            DataStream<String> control,
            DataStream<String> meshCalls,
            CorrelationPolicy policy,
            Topology topology) {
        BroadcastStream<String> topologies =
                control.assignTimestampsAndWatermarks(ControlWatermarks.neverHoldBack())
                        .name("control-watermarks-topology")
                        .uid("control-watermarks-topology")
                        .union(meshCalls)
                        .broadcast(IncidentCorrelator.TOPOLOGY, IncidentCorrelator.MESH_CALLS);
        return transitions
                .keyBy(new CorrelationKey(policy))
                .connect(topologies)
                .process(new IncidentCorrelator(policy, topology))
                .name("correlate")
                .uid("correlate");
    }
}

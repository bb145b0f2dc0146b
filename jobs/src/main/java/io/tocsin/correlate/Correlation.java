package io.tocsin.correlate;

import io.tocsin.avro.Alert;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.config.CorrelationPolicy;
import io.tocsin.config.Topology;
import io.tocsin.control.TopologyVersion;
import org.apache.flink.api.common.typeinfo.TypeInformation;
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
            DataStream<TopologyVersion> topologyVersions,
            DataStream<String> meshCalls,
            CorrelationPolicy policy,
            Topology topology) {
        TypeInformation<TopologyInput> type = TypeInformation.of(TopologyInput.class);
        BroadcastStream<TopologyInput> topologies =
                topologyVersions
                        .map(TopologyInput::of)
                        .returns(type)
                        .name("topology-versions")
                        .uid("topology-versions")
                        .union(
                                meshCalls
                                        .map(TopologyInput::ofMeshCall)
                                        .returns(type)
                                        .name("mesh-call-inputs")
                                        .uid("mesh-call-inputs"))
                        .broadcast(IncidentCorrelator.TOPOLOGY, IncidentCorrelator.MESH_CALLS);
        return transitions
                .keyBy(new CorrelationKey(policy))
                .connect(topologies)
                .process(new IncidentCorrelator(policy, topology))
                .name("correlate")
                .uid("correlate");
    }
}

package io.tocsin.changes;

import io.tocsin.avro.Change;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.config.ChangesPolicy;
import io.tocsin.config.Topology;
import io.tocsin.control.TopologyVersion;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The changes stage: which recent changes (deploys, config, flags, infrastructure) each incident
 * names as suspects. The correlator's events keyed by incident id meet the changes and topology
 * versions (broadcast) in one {@link SuspectFunction}; out come CHANGE_SUSPECTED carrier events for
 * the escalate stage, which sequences them into each incident's stream. Operator uids are stable:
 * never change them.
 */
public final class ChangeSuspects {

    private ChangeSuspects() {}

    public static SingleOutputStreamOperator<IncidentEvent> apply(
            DataStream<IncidentEvent> correlatorEvents,
            DataStream<Change> changes,
            DataStream<TopologyVersion> topologyVersions,
            ChangesPolicy policy,
            Topology topology) {
        TypeInformation<ChangeFeed> type = TypeInformation.of(ChangeFeed.class);
        BroadcastStream<ChangeFeed> feed =
                changes.map(ChangeFeed::of)
                        .returns(type)
                        .name("change-feed")
                        .uid("change-feed")
                        .union(
                                topologyVersions
                                        .map(ChangeFeed::of)
                                        .returns(type)
                                        .name("change-topology-versions")
                                        .uid("change-topology-versions"))
                        .broadcast(SuspectFunction.CHANGES, SuspectFunction.TOPOLOGIES);
        return correlatorEvents
                .keyBy(IncidentEvent::getIncidentId)
                .connect(feed)
                .process(new SuspectFunction(policy, topology))
                .returns(IncidentEvent.class)
                .name("change-suspects")
                .uid("change-suspects");
    }
}

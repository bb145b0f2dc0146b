package io.tocsin.control;

import io.tocsin.avro.DeadLetter;
import io.tocsin.config.IngestPolicy;
import io.tocsin.time.ControlWatermarks;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.OutputTag;

/**
 * The control topic as typed streams, one per kind of change, each for the stage that uses it
 * (suppress: rule changes; correlate: topology versions; escalate: escalation policy versions and
 * service catalogs), plus the dead letters of malformed messages (each rejected once, here). Every
 * stream keeps the control stream's never-holding-back watermarks ({@link ControlWatermarks}) and
 * each message's record timestamp. Operator uids are stable: never change them.
 */
public final class ControlStreams {

    static final OutputTag<RuleChange> RULE_CHANGES =
            new OutputTag<>("control-rule-changes", TypeInformation.of(RuleChange.class));
    static final OutputTag<TopologyVersion> TOPOLOGIES =
            new OutputTag<>("control-topologies", TypeInformation.of(TopologyVersion.class));
    static final OutputTag<EscalationPolicyVersion> ESCALATION_POLICIES =
            new OutputTag<>(
                    "control-escalation-policies",
                    TypeInformation.of(EscalationPolicyVersion.class));
    static final OutputTag<CatalogVersion> CATALOGS =
            new OutputTag<>("control-catalogs", TypeInformation.of(CatalogVersion.class));
    static final OutputTag<DeadLetter> REJECTED =
            new OutputTag<>("rejected-control", TypeInformation.of(DeadLetter.class));

    private final SingleOutputStreamOperator<Void> parsed;

    private ControlStreams(SingleOutputStreamOperator<Void> parsed) {
        this.parsed = parsed;
    }

    /** Parses {@code control} (JSON lines, with the Kafka timestamp as record time if any). */
    public static ControlStreams of(DataStream<String> control) {
        return of(control, IngestPolicy.defaults());
    }

    /** As {@link #of(DataStream)}, refusing messages over the ingest section's limits. */
    public static ControlStreams of(DataStream<String> control, IngestPolicy ingest) {
        return new ControlStreams(
                control.assignTimestampsAndWatermarks(ControlWatermarks.neverHoldBack())
                        .name("control-watermarks")
                        .uid("control-watermarks")
                        .process(new ParseControl(ingest))
                        .returns(Types.VOID)
                        .name("control-parse")
                        .uid("control-parse"));
    }

    public DataStream<RuleChange> ruleChanges() {
        return parsed.getSideOutput(RULE_CHANGES);
    }

    public DataStream<TopologyVersion> topologies() {
        return parsed.getSideOutput(TOPOLOGIES);
    }

    public DataStream<EscalationPolicyVersion> escalationPolicies() {
        return parsed.getSideOutput(ESCALATION_POLICIES);
    }

    /** Service catalog replacements (for the escalate stage). */
    public DataStream<CatalogVersion> catalogs() {
        return parsed.getSideOutput(CATALOGS);
    }

    /** Malformed control messages, with the reason, as dead letters (stage "control"). */
    public DataStream<DeadLetter> rejected() {
        return parsed.getSideOutput(REJECTED);
    }
}

package io.tocsin.escalate;

import io.tocsin.avro.Command;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.config.Catalog;
import io.tocsin.config.Policy;
import io.tocsin.config.Topology;
import io.tocsin.control.CatalogVersion;
import io.tocsin.control.ControlUpdate;
import io.tocsin.control.EscalationPolicyVersion;
import io.tocsin.escalate.page.Page;
import io.tocsin.escalate.page.PageLimiter;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The escalate stage of DESIGN.md: the correlator's events, the commands and the CEP patterns'
 * signals, keyed by incident id, through one {@link EscalationFunction}; pages derived from its
 * events and rate-limited per routing key. Operator uids are stable: never change them.
 */
public final class Escalation {

    private Escalation() {}

    /**
     * The incident events after escalation. Commands that cannot reach an incident are on its
     * {@link EscalationFunction#REJECTED_COMMANDS} side output; escalation policy changes come from
     * {@code policyVersions}, service catalog changes from {@code catalogVersions} ({@code
     * catalog}: the one in force before any).
     */
    public static SingleOutputStreamOperator<IncidentEvent> apply(
            DataStream<IncidentEvent> events,
            DataStream<Command> commands,
            DataStream<EscalationSignal> signals,
            DataStream<EscalationPolicyVersion> policyVersions,
            DataStream<CatalogVersion> catalogVersions,
            Policy policy,
            Topology topology,
            Catalog catalog) {
        return apply(
                events,
                commands,
                signals,
                null,
                policyVersions,
                catalogVersions,
                policy,
                topology,
                catalog);
    }

    /**
     * As above, with the changes stage's CHANGE_SUSPECTED carriers ({@code suspects}, may be null):
     * each becomes a CHANGE_SUSPECTED event in its incident's sequence, after the correlator's
     * events, commands and signals of the same instant.
     */
    public static SingleOutputStreamOperator<IncidentEvent> apply(
            DataStream<IncidentEvent> events,
            DataStream<Command> commands,
            DataStream<EscalationSignal> signals,
            DataStream<IncidentEvent> suspects,
            DataStream<EscalationPolicyVersion> policyVersions,
            DataStream<CatalogVersion> catalogVersions,
            Policy policy,
            Topology topology,
            Catalog catalog) {
        TypeInformation<EscalationInput> type = TypeInformation.of(EscalationInput.class);
        DataStream<EscalationInput> inputs = inputs(events, commands, signals, type);
        if (suspects != null) {
            inputs =
                    inputs.union(
                            suspects.map(EscalationInput::of)
                                    .returns(type)
                                    .name("escalation-change-suspects")
                                    .uid("escalation-change-suspects"));
        }
        TypeInformation<ControlUpdate> control = TypeInformation.of(ControlUpdate.class);
        BroadcastStream<ControlUpdate> policies =
                policyVersions
                        .map(v -> (ControlUpdate) v)
                        .returns(control)
                        .name("escalation-policy-versions")
                        .uid("escalation-policy-versions")
                        .union(
                                catalogVersions
                                        .map(v -> (ControlUpdate) v)
                                        .returns(control)
                                        .name("escalation-catalog-versions")
                                        .uid("escalation-catalog-versions"))
                        .broadcast(EscalationFunction.POLICIES, EscalationFunction.CATALOGS);
        return inputs.keyBy(EscalationInput::incidentId)
                .connect(policies)
                .process(
                        new EscalationFunction(
                                policy.escalation(),
                                policy.suppression().maintenanceWindows(),
                                topology,
                                catalog,
                                policy.correlation().domainLabel()))
                .name("escalate")
                .uid("escalate");
    }

    private static DataStream<EscalationInput> inputs(
            DataStream<IncidentEvent> events,
            DataStream<Command> commands,
            DataStream<EscalationSignal> signals,
            TypeInformation<EscalationInput> type) {
        return events.map(EscalationInput::of)
                .returns(type)
                .name("escalation-events")
                .uid("escalation-events")
                .union(
                        commands.map(EscalationInput::of)
                                .returns(type)
                                .name("escalation-commands")
                                .uid("escalation-commands"),
                        signals.map(EscalationInput::of)
                                .returns(type)
                                .name("escalation-signals")
                                .uid("escalation-signals"));
    }

    /**
     * Pages for the pages topic (PageJson gives the Events v2 JSON), at most the policy's rate per
     * routing key.
     */
    public static DataStream<Page> pages(DataStream<IncidentEvent> escalated, Policy policy) {
        return escalated
                .flatMap(new PageRouter())
                .returns(Page.class)
                .name("pages")
                .uid("pages")
                .keyBy(p -> p.routingKey)
                .process(new PageLimiter(policy.escalation().pageRateLimit()))
                .name("page-rate-limit")
                .uid("page-rate-limit");
    }
}

package io.tocsin.pipeline;

import io.tocsin.anomaly.AnomalyScore;
import io.tocsin.anomaly.TelemetryAnomalies;
import io.tocsin.avro.Alert;
import io.tocsin.avro.Change;
import io.tocsin.avro.Command;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.MetricPoint;
import io.tocsin.changes.ChangeSuspects;
import io.tocsin.config.AnomalyPolicy;
import io.tocsin.config.Catalog;
import io.tocsin.config.Policy;
import io.tocsin.config.Topology;
import io.tocsin.control.ControlStreams;
import io.tocsin.correlate.Correlation;
import io.tocsin.correlate.MeshCalls;
import io.tocsin.dedupe.Deduplication;
import io.tocsin.escalate.Escalation;
import io.tocsin.escalate.EscalationFunction;
import io.tocsin.escalate.EscalationSignal;
import io.tocsin.escalate.cep.EscalationPatterns;
import io.tocsin.ingest.AlertDecoder;
import io.tocsin.ingest.ChangeDecoder;
import io.tocsin.ingest.CommandDecoder;
import io.tocsin.ingest.IngestWatermarks;
import io.tocsin.ingest.Ingested;
import io.tocsin.ingest.Ingestion;
import io.tocsin.ingest.MetricPointDecoder;
import io.tocsin.status.StatusUpdates;
import io.tocsin.suppress.Suppression;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Assembles Tocsin's data flow (DESIGN.md) between a {@link Sources} and a {@link Sinks}: decode,
 * telemetry anomalies (synthetic alerts joining the alerts), dedupe, suppress, correlate, the
 * changes each incident suspects, escalate. Each stage is a function from stream to stream, so
 * tests and backtest run exactly the code the live job runs. Every operator has a name and a stable
 * uid so savepoints survive upgrades: never change a uid.
 */
public final class Pipeline {

    private final Sources sources;
    private final Sinks sinks;
    private final Policy policy;
    private final Topology topology;
    private final Catalog catalog;

    public Pipeline(Sources sources, Sinks sinks, Policy policy, Topology topology) {
        this(sources, sinks, policy, topology, Catalog.empty());
    }

    /** {@code catalog}: the service catalog in force until the control topic replaces it. */
    public Pipeline(
            Sources sources, Sinks sinks, Policy policy, Topology topology, Catalog catalog) {
        this.sources = sources;
        this.sinks = sinks;
        this.policy = policy;
        this.topology = topology;
        this.catalog = catalog;
    }

    /** Adds the whole job to {@code env}. */
    public void build(StreamExecutionEnvironment env) {
        sources.heartbeats(env, policy.ingest().heartbeatInterval());
        AlertDecoder decoder = AlertDecoder.of(policy.ingest(), policy.severity());
        DataStream<Ingested> ingested =
                sources.alerts(
                        env,
                        decoder,
                        IngestWatermarks.forAlerts(policy.ingest(), sources.timeMode()));

        SingleOutputStreamOperator<Alert> alerts = Ingestion.alerts(ingested);

        SingleOutputStreamOperator<MetricPoint> points =
                Ingestion.telemetry(
                        sources.telemetry(
                                env,
                                MetricPointDecoder.of(policy.ingest()),
                                IngestWatermarks.forPoints(policy.ingest(), sources.timeMode())));
        SingleOutputStreamOperator<Alert> anomalies =
                TelemetryAnomalies.detect(points, policy.anomaly());
        sinks.anomalyScores(anomalousScores(anomalies, policy.anomaly()));

        DataStream<Alert> withAnomalies = TelemetryAnomalies.mergeInto(alerts, anomalies);
        DataStream<Alert> transitions = Deduplication.apply(withAnomalies, policy.dedupe());
        // Parsed once, before the stages; each stage gets the typed changes it uses.
        ControlStreams control = ControlStreams.of(sources.control(env), policy.ingest());
        SingleOutputStreamOperator<Alert> marked =
                Suppression.apply(transitions, control.ruleChanges(), policy);
        sinks.alertTransitions(marked);

        DataStream<IncidentEvent> events =
                Correlation.apply(
                        marked,
                        control.topologies(),
                        MeshCalls.observe(points, policy.correlation()),
                        policy.correlation(),
                        topology);
        SingleOutputStreamOperator<Command> commands =
                Ingestion.commands(
                        sources.commands(
                                env,
                                CommandDecoder.of(policy.ingest()),
                                IngestWatermarks.forCommands(policy.ingest(), sources.timeMode())));
        DataStream<EscalationSignal> signals =
                EscalationPatterns.signals(events, commands, policy.escalation().patterns());
        SingleOutputStreamOperator<Change> changes =
                Ingestion.changes(
                        sources.changes(
                                env,
                                new ChangeDecoder(policy.ingest().maxRecordBytes()),
                                IngestWatermarks.forChanges(policy.ingest(), sources.timeMode())));
        sinks.changes(changes);
        DataStream<IncidentEvent> suspects =
                ChangeSuspects.apply(
                        events, changes, control.topologies(), policy.changes(), topology);
        SingleOutputStreamOperator<IncidentEvent> escalated =
                Escalation.apply(
                        events,
                        commands,
                        signals,
                        suspects,
                        control.escalationPolicies(),
                        control.catalogs(),
                        policy,
                        topology,
                        catalog);
        sinks.incidentEvents(escalated);
        sinks.catalogs(control.catalogs(), catalog);
        sinks.pages(Escalation.pages(escalated, policy));
        if (policy.statusUpdates().enabled()) {
            sinks.statusUpdates(StatusUpdates.apply(escalated, policy.statusUpdates()));
        }

        sinks.deadLetters(
                alerts.getSideOutput(Ingestion.DEAD_LETTERS)
                        .union(
                                points.getSideOutput(Ingestion.DEAD_LETTERS),
                                control.rejected(),
                                commands.getSideOutput(Ingestion.DEAD_LETTERS),
                                changes.getSideOutput(Ingestion.DEAD_LETTERS),
                                escalated.getSideOutput(EscalationFunction.REJECTED_COMMANDS)));
    }

    /**
     * The scores analysts keep: points at least at the policy's resolve level (anomalous or close
     * to it), not the flood of normal ones.
     */
    static DataStream<AnomalyScore> anomalousScores(
            SingleOutputStreamOperator<Alert> detected, AnomalyPolicy policy) {
        double keep = policy.resolveLevel();
        return TelemetryAnomalies.scores(detected)
                .filter(s -> s.level >= keep || s.score >= keep)
                .name("anomalous-scores")
                .uid("anomalous-scores");
    }

    public Topology topology() {
        return topology;
    }
}

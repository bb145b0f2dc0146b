package io.tocsin.pipeline;

import io.tocsin.anomaly.AnomalyScore;
import io.tocsin.anomaly.TelemetryAnomalies;
import io.tocsin.avro.Alert;
import io.tocsin.avro.Command;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.MetricPoint;
import io.tocsin.config.AnomalyPolicy;
import io.tocsin.config.CorrelationPolicy;
import io.tocsin.config.DedupePolicy;
import io.tocsin.config.Policy;
import io.tocsin.config.Topology;
import io.tocsin.correlate.CorrelationKey;
import io.tocsin.correlate.Correlator;
import io.tocsin.correlate.IncidentCorrelator;
import io.tocsin.correlate.MeshCalls;
import io.tocsin.dedupe.AlertDeduplicator;
import io.tocsin.escalate.Escalation;
import io.tocsin.escalate.EscalationFunction;
import io.tocsin.escalate.EscalationSignal;
import io.tocsin.escalate.cep.EscalationPatterns;
import io.tocsin.ingest.AlertDecoder;
import io.tocsin.ingest.CommandDecoder;
import io.tocsin.ingest.IngestWatermarks;
import io.tocsin.ingest.Ingested;
import io.tocsin.ingest.IngestedCommand;
import io.tocsin.ingest.IngestedPoint;
import io.tocsin.ingest.MetricPointDecoder;
import io.tocsin.ingest.SplitDeadLetters;
import io.tocsin.ingest.SplitRejected;
import io.tocsin.metrics.MetricNames;
import io.tocsin.suppress.AlertSuppressor;
import io.tocsin.time.ControlWatermarks;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Assembles Tocsin's data flow (DESIGN.md) between a {@link Sources} and a {@link Sinks}: decode,
 * telemetry anomalies (synthetic alerts joining the alerts), dedupe, suppress, correlate, escalate.
 * Each stage is a function from stream to stream, so tests and backtest run exactly the code the
 * live job runs. Every operator has a name and a stable uid so savepoints survive upgrades: never
 * change a uid.
 */
public final class Pipeline {

    private final Sources sources;
    private final Sinks sinks;
    private final Policy policy;
    private final Topology topology;

    public Pipeline(Sources sources, Sinks sinks, Policy policy, Topology topology) {
        this.sources = sources;
        this.sinks = sinks;
        this.policy = policy;
        this.topology = topology;
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

        SingleOutputStreamOperator<Alert> alerts = splitDeadLetters(ingested);

        SingleOutputStreamOperator<MetricPoint> points =
                sources.telemetry(
                                env,
                                new MetricPointDecoder(policy.ingest().maxRecordBytes()),
                                IngestWatermarks.forPoints(policy.ingest(), sources.timeMode()))
                        .process(
                                new SplitRejected<IngestedPoint, MetricPoint>(
                                        MetricNames.POINTS_ACCEPTED))
                        .returns(MetricPoint.class)
                        .name("split-telemetry-dead-letters")
                        .uid("split-telemetry-dead-letters");
        SingleOutputStreamOperator<Alert> anomalies =
                TelemetryAnomalies.detect(points, policy.anomaly());
        sinks.anomalyScores(anomalousScores(anomalies, policy.anomaly()));

        DataStream<Alert> withAnomalies = TelemetryAnomalies.mergeInto(alerts, anomalies);
        DataStream<Alert> transitions = dedupe(withAnomalies, policy.dedupe());
        DataStream<String> control = sources.control(env);
        SingleOutputStreamOperator<Alert> marked = suppress(transitions, control, policy);
        sinks.alertTransitions(marked);

        DataStream<IncidentEvent> events =
                correlate(
                        marked,
                        control,
                        MeshCalls.observe(points, policy.correlation()),
                        policy.correlation(),
                        topology);
        SingleOutputStreamOperator<Command> commands =
                sources.commands(
                                env,
                                new CommandDecoder(policy.ingest().maxRecordBytes()),
                                IngestWatermarks.forCommands(policy.ingest(), sources.timeMode()))
                        .process(
                                new SplitRejected<IngestedCommand, Command>(
                                        MetricNames.COMMANDS_ACCEPTED))
                        .returns(Command.class)
                        .name("split-command-dead-letters")
                        .uid("split-command-dead-letters");
        DataStream<EscalationSignal> signals =
                EscalationPatterns.signals(events, commands, policy.escalation().patterns());
        SingleOutputStreamOperator<IncidentEvent> escalated =
                Escalation.apply(events, commands, signals, control, policy, topology);
        sinks.incidentEvents(escalated);
        sinks.pages(Escalation.pages(escalated, policy));

        sinks.deadLetters(
                alerts.getSideOutput(SplitDeadLetters.DEAD_LETTERS)
                        .union(
                                points.getSideOutput(SplitDeadLetters.DEAD_LETTERS),
                                marked.getSideOutput(AlertSuppressor.REJECTED_CONTROL),
                                commands.getSideOutput(SplitDeadLetters.DEAD_LETTERS),
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

    public static SingleOutputStreamOperator<Alert> splitDeadLetters(DataStream<Ingested> in) {
        return in.process(new SplitDeadLetters())
                .name("split-dead-letters")
                .uid("split-dead-letters");
    }

    public static DataStream<Alert> dedupe(DataStream<Alert> alerts, DedupePolicy policy) {
        return alerts.keyBy(new ByFingerprint())
                .process(new AlertDeduplicator(policy))
                .name("dedupe")
                .uid("dedupe");
    }

    /**
     * Marks transitions muted by maintenance windows, silences and inhibition, keyed by domain;
     * rules from the policy and, at run time, from {@code control} (broadcast). Rejected control
     * messages go to the {@link AlertSuppressor#REJECTED_CONTROL} side output.
     */
    public static SingleOutputStreamOperator<Alert> suppress(
            DataStream<Alert> transitions, DataStream<String> control, Policy policy) {
        BroadcastStream<String> rules =
                control.assignTimestampsAndWatermarks(ControlWatermarks.neverHoldBack())
                        .name("control-watermarks")
                        .uid("control-watermarks")
                        .broadcast(AlertSuppressor.RULES);
        return transitions
                .keyBy(new ByDomain(policy.correlation()))
                .connect(rules)
                .process(new AlertSuppressor(policy.suppression()))
                .name("suppress")
                .uid("suppress");
    }

    /**
     * Turns transitions into incident lifecycle events, keyed by partition, with the topology from
     * the file and, at run time, from topology control messages and mesh calls (broadcast).
     */
    public static DataStream<IncidentEvent> correlate(
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

    public Topology topology() {
        return topology;
    }

    /** Key of the dedupe stage. */
    public static final class ByFingerprint implements KeySelector<Alert, String> {
        @Override
        public String getKey(Alert a) {
            return a.getFingerprint();
        }
    }

    /** Key of the correlate stage: the correlation domain. */
    public static final class ByDomain implements KeySelector<Alert, String> {
        private final CorrelationPolicy policy;

        public ByDomain(CorrelationPolicy policy) {
            this.policy = policy;
        }

        @Override
        public String getKey(Alert a) {
            return Correlator.domainOf(a, policy);
        }
    }
}

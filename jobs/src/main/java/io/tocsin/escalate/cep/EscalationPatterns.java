package io.tocsin.escalate.cep;

import io.tocsin.avro.Command;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.config.PatternPolicy;
import io.tocsin.escalate.EscalationSignal;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.util.Collector;

/**
 * The escalation stage's Flink CEP patterns: turn incident events and commands into {@link
 * EscalationSignal}s (trigger {@code cep:<pattern>}) for the escalator to apply. All run in event
 * time on the inputs' timestamps and watermarks, so a backtest gives the live job's signals; inputs
 * with the same timestamp are ordered by {@link PatternKeys.SameTimeOrder}. An input at or behind
 * the watermark is late and dropped by CEP (Flink counts it in numLateRecordsDropped).
 *
 * <ul>
 *   <li>warning-burst, warning-then-critical, repeated-flapping, systemic-failure: keyed by domain
 *       and the alert's service; events without a service are not seen.
 *   <li>re-escalation-after-downgrade: keyed by a bucket of incident ids, on events and commands.
 * </ul>
 *
 * <p>State bound: every pattern has a window ({@code within}), and the CEP operator drops a partial
 * match once the watermark passes its first event plus the window, so each key holds at most the
 * pattern's inputs of the last window (a partial match is at most {@code count} of them, and a
 * skip-past-last match discards the partial matches it overlaps). The pattern operators only ever
 * see inputs that can take part (filtered before keying). What the CEP operator keeps beyond that
 * is one small NFA state per key that ever started a match: bounded by the number of services per
 * domain, and by {@link PatternKeys#INCIDENT_BUCKETS} for the per-incident pattern.
 */
public final class EscalationPatterns {

    private EscalationPatterns() {}

    /**
     * The signals of every enabled pattern in {@code policy}, as one stream. {@code commands} is
     * only read by re-escalation-after-downgrade; its watermark holds that pattern back, so the
     * commands source needs idleness handling (commands are rare).
     */
    public static DataStream<EscalationSignal> signals(
            DataStream<IncidentEvent> events, DataStream<Command> commands, PatternPolicy policy) {
        DataStream<PatternEvent> alerts =
                events.flatMap(new AboutAlerts())
                        .returns(PatternEvent.class)
                        .name("cep-alert-events")
                        .uid("cep-alert-events");
        List<DataStream<EscalationSignal>> signals = new ArrayList<>();

        PatternPolicy.WarningBurst burst = policy.warningBurst();
        if (burst.enabled()) {
            signals.add(
                    detect(
                            WarningBurstPattern.NAME,
                            alerts,
                            new WarningBurstPattern.IsWarning(burst),
                            new PatternKeys.ByService(),
                            WarningBurstPattern.pattern(burst),
                            WarningBurstPattern.signals(burst)));
        }
        PatternPolicy.WarningThenCritical worse = policy.warningThenCritical();
        if (worse.enabled()) {
            signals.add(
                    detect(
                            WarningThenCriticalPattern.NAME,
                            alerts,
                            new WarningThenCriticalPattern.IsWarningOrCritical(worse),
                            new PatternKeys.ByService(),
                            WarningThenCriticalPattern.pattern(worse),
                            WarningThenCriticalPattern.signals(worse)));
        }
        PatternPolicy.RepeatedFlapping flapping = policy.repeatedFlapping();
        if (flapping.enabled()) {
            signals.add(
                    detect(
                            RepeatedFlappingPattern.NAME,
                            alerts,
                            new RepeatedFlappingPattern.IsFlapping(),
                            new PatternKeys.ByService(),
                            RepeatedFlappingPattern.pattern(flapping),
                            RepeatedFlappingPattern.signals(flapping)));
        }
        PatternPolicy.SystemicFailure systemic = policy.systemicFailure();
        if (systemic.enabled()) {
            signals.add(
                    detect(
                            SystemicFailurePattern.NAME,
                            alerts,
                            new SystemicFailurePattern.IsLowOpening(systemic),
                            new PatternKeys.ByService(),
                            SystemicFailurePattern.pattern(systemic),
                            SystemicFailurePattern.signals(systemic)));
        }
        PatternPolicy.ReEscalation again = policy.reEscalation();
        if (again.enabled()) {
            DataStream<PatternEvent> withCommands =
                    alerts.union(
                            commands.map(new FromCommand())
                                    .returns(PatternEvent.class)
                                    .name("cep-commands")
                                    .uid("cep-commands"));
            signals.add(
                    detect(
                            ReEscalationPattern.NAME,
                            withCommands,
                            new ReEscalationPattern.IsRelevant(),
                            new PatternKeys.ByIncidentBucket(),
                            ReEscalationPattern.pattern(again),
                            ReEscalationPattern.signals(again)));
        }

        if (signals.isEmpty()) {
            return alerts.flatMap(new NoSignals())
                    .returns(EscalationSignal.class)
                    .name("cep-disabled")
                    .uid("cep-disabled");
        }
        DataStream<EscalationSignal> all = signals.get(0);
        for (DataStream<EscalationSignal> s : signals.subList(1, signals.size())) {
            all = all.union(s);
        }
        return all;
    }

    /** One pattern: keep what it can use, key it, match in event time, make signals. */
    private static <K> DataStream<EscalationSignal> detect(
            String name,
            DataStream<PatternEvent> in,
            FilterFunction<PatternEvent> relevant,
            KeySelector<PatternEvent, K> key,
            Pattern<PatternEvent, ?> pattern,
            PatternProcessFunction<PatternEvent, EscalationSignal> signals) {
        DataStream<PatternEvent> keyed =
                in.filter(relevant).name("cep-" + name + "-input").uid("cep-" + name + "-input");
        return CEP.pattern(keyed.keyBy(key), pattern, new PatternKeys.SameTimeOrder())
                .inEventTime()
                .process(signals, TypeInformation.of(EscalationSignal.class))
                .name("cep-" + name)
                .uid("cep-" + name);
    }

    /** Incident events about one alert, reduced for the patterns. */
    static final class AboutAlerts implements FlatMapFunction<IncidentEvent, PatternEvent> {
        @Override
        public void flatMap(IncidentEvent e, Collector<PatternEvent> out) {
            PatternEvent p = PatternEvent.of(e);
            if (p != null) {
                out.collect(p);
            }
        }
    }

    static final class FromCommand implements MapFunction<Command, PatternEvent> {
        @Override
        public PatternEvent map(Command c) {
            return PatternEvent.of(c);
        }
    }

    /** Every pattern is disabled: an empty stream of the right type. */
    static final class NoSignals implements FlatMapFunction<PatternEvent, EscalationSignal> {
        @Override
        public void flatMap(PatternEvent e, Collector<EscalationSignal> out) {}
    }
}

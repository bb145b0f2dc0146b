package io.tocsin.escalate.cep;

import io.tocsin.avro.Command;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.config.PatternPolicy;
import io.tocsin.escalate.EscalationSignal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.util.Collector;

/**
 * The escalation patterns, in Flink CEP over event time, turned into {@link EscalationSignal}s for
 * the escalator:
 *
 * <ul>
 *   <li>warning-burst: N warning-level alerts fire on one service within T;
 *   <li>warning-then-critical: a warning then a critical on one service within T;
 *   <li>repeated-flapping: N flapping alert changes on one service within T;
 *   <li>systemic-failure: N low-severity incidents open on one service within T: the newest is
 *       raised and names the others (one systemic failure, not N small ones);
 *   <li>re-escalation: a downgrade followed within T by an alert more severe than the level it
 *       lowered to.
 * </ul>
 *
 * Every pattern skips past the last event of a match, so a burst of 3N warnings gives N signals,
 * not every combination. State is bounded by {@code within}: partial matches older than T are
 * pruned as the watermark passes them, and a key without partial matches holds nothing.
 */
public final class EscalationPatterns {

    private EscalationPatterns() {}

    public static DataStream<EscalationSignal> signals(
            DataStream<IncidentEvent> events, DataStream<Command> commands, PatternPolicy policy) {
        TypeInformation<PatternEvent> type = TypeInformation.of(PatternEvent.class);
        DataStream<PatternEvent> alerts =
                events.flatMap(
                                (IncidentEvent e, Collector<PatternEvent> out) -> {
                                    PatternEvent p = PatternEvent.of(e);
                                    if (p != null) {
                                        out.collect(p);
                                    }
                                })
                        .returns(type)
                        .name("pattern-events")
                        .uid("pattern-events");
        DataStream<PatternEvent> downgrades =
                commands.flatMap(
                                (Command c, Collector<PatternEvent> out) -> {
                                    PatternEvent p = PatternEvent.of(c);
                                    if (p != null) {
                                        out.collect(p);
                                    }
                                })
                        .returns(type)
                        .name("pattern-downgrades")
                        .uid("pattern-downgrades");
        List<DataStream<EscalationSignal>> out = new ArrayList<>();
        PatternPolicy.Burst wb = policy.warningBurst();
        if (wb.enabled()) {
            int low = PatternEvent.rank(wb.atOrBelow());
            out.add(
                    burst(
                            alerts,
                            "warning-burst",
                            wb,
                            p -> p.firing() && p.alertRank >= low && p.alertRank < 4,
                            BY_SERVICE,
                            m ->
                                    m.size()
                                            + " alerts at "
                                            + wb.atOrBelow()
                                            + " or below on "
                                            + m.get(0).service
                                            + " within "
                                            + io.tocsin.config.Durations.format(wb.within())));
        }
        PatternPolicy.Burst fl = policy.repeatedFlapping();
        if (fl.enabled()) {
            out.add(
                    burst(
                            alerts,
                            "repeated-flapping",
                            fl,
                            p -> p.firing() && p.flapping,
                            BY_SERVICE,
                            m ->
                                    m.size()
                                            + " flapping alert changes on "
                                            + m.get(0).service
                                            + " within "
                                            + io.tocsin.config.Durations.format(fl.within())));
        }
        PatternPolicy.Burst sy = policy.systemicFailure();
        if (sy.enabled()) {
            int low = PatternEvent.rank(sy.atOrBelow());
            out.add(
                    burst(
                            alerts,
                            "systemic-failure",
                            sy,
                            p -> p.opened && p.incidentRank >= low,
                            BY_SERVICE,
                            m ->
                                    m.size()
                                            + " incidents opened on "
                                            + m.get(0).service
                                            + " within "
                                            + io.tocsin.config.Durations.format(sy.within())
                                            + ": one systemic failure"));
        }
        if (policy.warningThenCritical().enabled()) {
            out.add(warningThenCritical(alerts, policy.warningThenCritical()));
        }
        if (policy.reEscalation().enabled()) {
            out.add(reEscalation(alerts.union(downgrades), policy.reEscalation().within()));
        }
        if (out.isEmpty()) {
            // Every pattern disabled: an empty stream of the right type.
            return alerts.filter(p -> false)
                    .map(p -> new EscalationSignal())
                    .returns(EscalationSignal.class);
        }
        DataStream<EscalationSignal> all = out.get(0);
        for (int i = 1; i < out.size(); i++) {
            all = all.union(out.get(i));
        }
        return all;
    }

    private static final KeySelector<PatternEvent, String> BY_SERVICE = new ByService();

    static final class ByService implements KeySelector<PatternEvent, String> {
        @Override
        public String getKey(PatternEvent p) {
            return p.serviceKey();
        }
    }

    interface Condition extends java.io.Serializable {
        boolean test(PatternEvent p);
    }

    interface Reason extends java.io.Serializable {
        String of(List<PatternEvent> match);
    }

    /** N matching events on one key within T; the signal goes to the last one's incident. */
    private static DataStream<EscalationSignal> burst(
            DataStream<PatternEvent> in,
            String name,
            PatternPolicy.Burst policy,
            Condition condition,
            KeySelector<PatternEvent, String> key,
            Reason reason) {
        Pattern<PatternEvent, PatternEvent> pattern =
                Pattern.<PatternEvent>begin("e", AfterMatchSkipStrategy.skipPastLastEvent())
                        .where(SimpleCondition.of(condition::test))
                        .times(policy.count())
                        .within(policy.within());
        String trigger = "cep:" + name;
        return CEP.pattern(
                        in.filter(condition::test)
                                .name(name + "-input")
                                .uid(name + "-input")
                                .keyBy(key),
                        pattern)
                .inEventTime()
                .process(
                        new PatternProcessFunction<PatternEvent, EscalationSignal>() {
                            @Override
                            public void processMatch(
                                    Map<String, List<PatternEvent>> match,
                                    Context ctx,
                                    Collector<EscalationSignal> out) {
                                List<PatternEvent> m = match.get("e");
                                PatternEvent last = m.get(m.size() - 1);
                                out.collect(
                                        new EscalationSignal(
                                                last.incidentId,
                                                last.time,
                                                trigger,
                                                policy.severity(),
                                                false,
                                                reason.of(m),
                                                evidence(m, last)));
                            }
                        },
                        TypeInformation.of(EscalationSignal.class))
                .name(name)
                .uid(name);
    }

    private static Map<String, String> evidence(List<PatternEvent> m, PatternEvent last) {
        Map<String, String> ev = new TreeMap<>();
        Set<String> ids = new LinkedHashSet<>();
        Set<String> incidents = new LinkedHashSet<>();
        for (PatternEvent p : m) {
            ids.add(p.eventId);
            incidents.add(p.incidentId);
        }
        ev.put("count", Integer.toString(m.size()));
        ev.put("service", last.service);
        ev.put("events", String.join(",", ids));
        ev.put("windowStart", java.time.Instant.ofEpochMilli(m.get(0).time).toString());
        if (incidents.size() > 1) {
            ev.put("correlatedIncidents", String.join(",", incidents));
        }
        return ev;
    }

    private static DataStream<EscalationSignal> warningThenCritical(
            DataStream<PatternEvent> in, PatternPolicy.WarningThenCritical policy) {
        int warning = PatternEvent.rank(policy.warning());
        int critical = PatternEvent.rank(policy.critical());
        Pattern<PatternEvent, PatternEvent> pattern =
                Pattern.<PatternEvent>begin("warning", AfterMatchSkipStrategy.skipPastLastEvent())
                        .where(SimpleCondition.of(p -> p.alertRank >= warning && p.alertRank < 4))
                        .followedBy("critical")
                        .where(SimpleCondition.of(p -> p.alertRank <= critical))
                        .within(policy.within());
        return CEP.pattern(
                        in.filter(PatternEvent::firing)
                                .name("warning-then-critical-input")
                                .uid("warning-then-critical-input")
                                .keyBy(BY_SERVICE),
                        pattern)
                .inEventTime()
                .process(
                        new PatternProcessFunction<PatternEvent, EscalationSignal>() {
                            @Override
                            public void processMatch(
                                    Map<String, List<PatternEvent>> match,
                                    Context ctx,
                                    Collector<EscalationSignal> out) {
                                PatternEvent w = match.get("warning").get(0);
                                PatternEvent c = match.get("critical").get(0);
                                Map<String, String> ev = evidence(List.of(w, c), c);
                                out.collect(
                                        new EscalationSignal(
                                                c.incidentId,
                                                c.time,
                                                "cep:warning-then-critical",
                                                policy.severity(),
                                                policy.escalate(),
                                                "a warning on "
                                                        + c.service
                                                        + " turned critical within "
                                                        + io.tocsin.config.Durations.format(
                                                                policy.within()),
                                                ev));
                            }
                        },
                        TypeInformation.of(EscalationSignal.class))
                .name("warning-then-critical")
                .uid("warning-then-critical");
    }

    private static DataStream<EscalationSignal> reEscalation(
            DataStream<PatternEvent> in, Duration within) {
        Pattern<PatternEvent, PatternEvent> pattern =
                Pattern.<PatternEvent>begin("downgrade", AfterMatchSkipStrategy.skipPastLastEvent())
                        .where(SimpleCondition.of(p -> "DOWNGRADE".equals(p.kind)))
                        .followedBy("worse")
                        .where(
                                new IterativeCondition<PatternEvent>() {
                                    @Override
                                    public boolean filter(PatternEvent p, Context<PatternEvent> ctx)
                                            throws Exception {
                                        if (!p.firing()) {
                                            return false;
                                        }
                                        for (PatternEvent d :
                                                ctx.getEventsForPattern("downgrade")) {
                                            if (p.alertRank < d.targetRank) {
                                                return true;
                                            }
                                        }
                                        return false;
                                    }
                                })
                        .within(within);
        return CEP.pattern(in.keyBy(p -> p.incidentId), pattern)
                .inEventTime()
                .process(
                        new PatternProcessFunction<PatternEvent, EscalationSignal>() {
                            @Override
                            public void processMatch(
                                    Map<String, List<PatternEvent>> match,
                                    Context ctx,
                                    Collector<EscalationSignal> out) {
                                PatternEvent d = match.get("downgrade").get(0);
                                PatternEvent w = match.get("worse").get(0);
                                Map<String, String> ev = new TreeMap<>();
                                ev.put("downgradeCommandId", d.eventId);
                                ev.put("downgradedTo", PatternEvent.severity(d.targetRank).name());
                                ev.put("event", w.eventId);
                                ev.put("alertService", w.service);
                                out.collect(
                                        new EscalationSignal(
                                                w.incidentId,
                                                w.time,
                                                "cep:re-escalation",
                                                PatternEvent.severity(w.alertRank),
                                                false,
                                                "an alert at "
                                                        + PatternEvent.severity(w.alertRank)
                                                        + " fired after the downgrade to "
                                                        + PatternEvent.severity(d.targetRank),
                                                ev));
                            }
                        },
                        TypeInformation.of(EscalationSignal.class))
                .name("re-escalation")
                .uid("re-escalation");
    }
}

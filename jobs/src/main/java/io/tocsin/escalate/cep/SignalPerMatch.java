package io.tocsin.escalate.cep;

import io.tocsin.escalate.EscalationSignal;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.util.Collector;

/** Every pattern's CEP output: one escalation signal per match, made by the pattern's own rule. */
final class SignalPerMatch extends PatternProcessFunction<PatternEvent, EscalationSignal> {

    /** What a pattern says about one match (serializable: Flink ships it with the operator). */
    interface Rule extends Serializable {
        EscalationSignal signal(Map<String, List<PatternEvent>> match);
    }

    private final Rule rule;

    SignalPerMatch(Rule rule) {
        this.rule = rule;
    }

    @Override
    public void processMatch(
            Map<String, List<PatternEvent>> match, Context ctx, Collector<EscalationSignal> out) {
        out.collect(rule.signal(match));
    }
}

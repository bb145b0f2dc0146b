package io.tocsin.suppress;

import io.tocsin.avro.Alert;
import io.tocsin.config.CorrelationPolicy;
import io.tocsin.config.Policy;
import io.tocsin.control.RuleChange;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The suppress stage of DESIGN.md: transitions keyed by correlation domain, marked when a
 * maintenance window, silence or inhibition mutes them; rules from the policy and, at run time,
 * from the control topic (rule changes, broadcast). Operator uids are stable: never change them.
 */
public final class Suppression {

    private Suppression() {}

    public static SingleOutputStreamOperator<Alert> apply(
            DataStream<Alert> transitions, DataStream<RuleChange> ruleChanges, Policy policy) {
        BroadcastStream<RuleChange> rules = ruleChanges.broadcast(AlertSuppressor.RULES);
        return transitions
                .keyBy(new ByDomain(policy.correlation()))
                .connect(rules)
                .process(new AlertSuppressor(policy.suppression()))
                .name("suppress")
                .uid("suppress");
    }

    /** Key of the suppress stage: the correlation domain. */
    public static final class ByDomain implements KeySelector<Alert, String> {
        private final CorrelationPolicy policy;

        public ByDomain(CorrelationPolicy policy) {
            this.policy = policy;
        }

        @Override
        public String getKey(Alert a) {
            return policy.domainOf(a.getLabels());
        }
    }
}

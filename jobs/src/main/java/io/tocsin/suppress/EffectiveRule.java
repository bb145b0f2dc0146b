package io.tocsin.suppress;

import io.tocsin.config.MuteRule;
import java.io.Serializable;

/**
 * One version of a suppression rule with the event-time interval in which it is in force: rules
 * from the policy file are in force from the beginning of time; a control message changes a rule
 * from its own event time on, so a backtest over the same input gives the same answer.
 *
 * @param key the rule's {@link MuteRule#key()}
 * @param from first event time (epoch millis) the version is in force
 * @param until first event time it is no longer in force (Long.MAX_VALUE while current)
 */
public record EffectiveRule(String key, MuteRule rule, long from, long until)
        implements Serializable {

    /** A rule in force at every time (the policy file's). */
    public static EffectiveRule always(MuteRule rule) {
        return new EffectiveRule(rule.key(), rule, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    public boolean inForceAt(long t) {
        return from <= t && t < until;
    }
}

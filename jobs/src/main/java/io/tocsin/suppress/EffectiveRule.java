package io.tocsin.suppress;

import io.tocsin.config.InhibitRule;
import io.tocsin.config.MaintenanceWindow;
import io.tocsin.config.Silence;
import java.io.Serializable;

/**
 * One version of a suppression rule with the event-time interval in which it is in force: rules
 * from the policy file are in force from the beginning of time; a control message changes a rule
 * from its own event time on, so a backtest over the same input gives the same answer.
 *
 * @param key "maintenance:ID", "silence:ID" or "inhibit:ID"
 * @param rule a {@link MaintenanceWindow}, {@link Silence} or {@link InhibitRule}
 * @param from first event time (epoch millis) the version is in force
 * @param until first event time it is no longer in force (Long.MAX_VALUE while current)
 */
public record EffectiveRule(String key, Object rule, long from, long until)
        implements Serializable {

    public boolean inForceAt(long t) {
        return from <= t && t < until;
    }

    public static String keyOf(Object rule) {
        if (rule instanceof MaintenanceWindow w) {
            return "maintenance:" + w.id();
        }
        if (rule instanceof Silence s) {
            return "silence:" + s.id();
        }
        return "inhibit:" + ((InhibitRule) rule).id();
    }
}

package io.tocsin.control;

import io.tocsin.config.MuteRule;

/**
 * A change to one suppression rule (silence, maintenance window or inhibit rule): from {@code at}
 * on, the rule {@code key} is the one in {@code ruleJson}, or gone for a deletion.
 *
 * @param key the rule key ("silence:ID", "maintenance:ID" or "inhibit:ID")
 * @param ruleJson the rule body as "kind:{json}" for an upsert, null for a delete
 * @param at event time in epoch millis
 */
public record RuleChange(String key, String ruleJson, long at) implements ControlUpdate {

    /** The rule in a stored body ("kind:{json}", as in {@link #ruleJson()}). */
    public static MuteRule ruleOf(String ruleJson) {
        return ControlMessage.ruleOf(ruleJson);
    }
}

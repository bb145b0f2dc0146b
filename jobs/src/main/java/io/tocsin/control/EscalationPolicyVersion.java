package io.tocsin.control;

import io.tocsin.config.ConfigNode;
import io.tocsin.config.EscalationPolicy;
import io.tocsin.config.EscalationPolicyReader;

/**
 * An escalation policy replacing the one in force, from {@code at} on.
 *
 * @param at event time in epoch millis
 * @param json the policy file's {@code escalation} section as JSON
 */
public record EscalationPolicyVersion(long at, String json) implements ControlUpdate {

    /** The policy in a version's JSON (validated when the message was parsed). */
    public static EscalationPolicy policyOf(String json) {
        return EscalationPolicyReader.read(ConfigNode.parseJson("control", "escalation", json));
    }
}

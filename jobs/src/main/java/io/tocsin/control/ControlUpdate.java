package io.tocsin.control;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A control message, parsed once (by {@link ParseControl} on the control stream, before the stages)
 * into the change it makes, in force from its event time {@link #at()}. Each kind goes to the one
 * stage that uses it, on its own broadcast stream ({@link ControlStreams}).
 *
 * <p>Each carries its source text (JSON) as well: the stages keep that text in broadcast state, so
 * the state holds no class that could change shape, and rebuild the typed value from it with the
 * kind's own builder here ({@link RuleChange#ruleOf}, {@link TopologyVersion#topologyOf}, {@link
 * EscalationPolicyVersion#policyOf}, {@link CatalogVersion#catalogOf}).
 */
public sealed interface ControlUpdate
        permits RuleChange, TopologyVersion, EscalationPolicyVersion, CatalogVersion {

    /** Event time the change takes effect, epoch millis. */
    long at();

    /**
     * @param fallbackAt event time for a message without {@code at} (the record's timestamp), or
     *     null
     * @throws IllegalArgumentException with the reason (naming the field) for a malformed message
     */
    static ControlUpdate parse(String text, Long fallbackAt) {
        return of(ControlMessage.parse(text, fallbackAt));
    }

    /** As {@link #parse(String, Long)}, reading the JSON with {@code reader} (its limits). */
    static ControlUpdate parse(String text, Long fallbackAt, ObjectMapper reader) {
        return of(ControlMessage.parse(text, fallbackAt, reader));
    }

    private static ControlUpdate of(ControlMessage m) {
        return switch (m.key()) {
            case ControlMessage.TOPOLOGY -> new TopologyVersion(m.at(), m.ruleJson());
            case ControlMessage.ESCALATION -> new EscalationPolicyVersion(m.at(), m.ruleJson());
            case ControlMessage.CATALOG -> new CatalogVersion(m.at(), m.ruleJson());
            default -> new RuleChange(m.key(), m.ruleJson(), m.at());
        };
    }
}

package io.tocsin.suppress;

/**
 * Why an alert is muted and until when that reason holds at the latest.
 *
 * @param ruleKey the rule, e.g. "silence:db-migration"
 * @param until event time (epoch millis) the mute ends unless renewed; Long.MAX_VALUE when it ends
 *     on an event instead (an inhibiting alert resolving, a rule being deleted)
 */
public record Mute(String ruleKey, long until) {}

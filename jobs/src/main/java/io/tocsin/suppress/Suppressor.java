package io.tocsin.suppress;

import io.tocsin.avro.Alert;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Decides whether an alert is muted at an event time: the first rule in force that mutes it ({@link
 * io.tocsin.config.MuteRule}: maintenance windows, silences, inhibition, with Alertmanager's
 * semantics) names the mute. Plain logic: the rules, the firing alerts and the time are parameters.
 */
public final class Suppressor {

    private final List<EffectiveRule> rules;

    public Suppressor(Collection<EffectiveRule> rules) {
        List<EffectiveRule> sorted = new ArrayList<>(rules);
        // Deterministic precedence: maintenance, then silence, then inhibit; by key within each.
        sorted.sort(
                Comparator.comparingInt((EffectiveRule r) -> r.rule().precedence())
                        .thenComparing(EffectiveRule::key)
                        .thenComparingLong(EffectiveRule::from));
        this.rules = sorted;
    }

    /** Whether any rule needs the other firing alerts (so the caller must keep them). */
    public boolean hasInhibitRules() {
        return rules.stream().anyMatch(r -> r.rule().needsFiringAlerts());
    }

    /**
     * @param firing the other alerts firing in the domain (candidate inhibition sources)
     * @return the first rule muting {@code alert} at {@code t}, or null
     */
    public Mute mutedBy(Alert alert, long t, Collection<Alert> firing) {
        Instant at = Instant.ofEpochMilli(t);
        for (EffectiveRule r : rules) {
            if (!r.inForceAt(t)) {
                continue;
            }
            Long until = r.rule().mutesUntil(alert, at, firing);
            if (until != null) {
                return new Mute(r.key(), Math.min(until, r.until()));
            }
        }
        return null;
    }
}

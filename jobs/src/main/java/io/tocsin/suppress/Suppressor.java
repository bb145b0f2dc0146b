package io.tocsin.suppress;

import io.tocsin.avro.Alert;
import io.tocsin.config.InhibitRule;
import io.tocsin.config.LabelMatcher;
import io.tocsin.config.MaintenanceWindow;
import io.tocsin.config.Silence;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Decides whether an alert is muted at an event time, with Alertmanager's semantics: maintenance
 * windows and silences mute alerts whose labels match all their matchers while they are open; an
 * inhibition rule mutes a target while a different firing alert matches its source matchers with
 * equal values of the {@code equal} labels (a missing label equals the empty string), and an alert
 * that matches both sides cannot be inhibited by another alert that does too. Plain logic: the
 * rules, the firing alerts and the time are parameters.
 */
public final class Suppressor {

    private final List<EffectiveRule> rules;

    public Suppressor(Collection<EffectiveRule> rules) {
        List<EffectiveRule> sorted = new ArrayList<>(rules);
        // Deterministic precedence: maintenance, then silence, then inhibit; by key within each.
        sorted.sort(
                Comparator.comparing(EffectiveRule::key).thenComparingLong(EffectiveRule::from));
        sorted.sort(Comparator.comparingInt(r -> rank(r.rule())));
        this.rules = sorted;
    }

    private static int rank(Object rule) {
        if (rule instanceof MaintenanceWindow) {
            return 0;
        }
        return rule instanceof Silence ? 1 : 2;
    }

    public boolean hasInhibitRules() {
        for (EffectiveRule r : rules) {
            if (r.rule() instanceof InhibitRule) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param firing the other alerts firing in the domain (candidate inhibition sources)
     * @return the first rule muting {@code alert} at {@code t}, or null
     */
    public Mute mutedBy(Alert alert, long t, Collection<Alert> firing) {
        Map<String, String> labels = alert.getLabels();
        Instant at = Instant.ofEpochMilli(t);
        for (EffectiveRule r : rules) {
            if (!r.inForceAt(t)) {
                continue;
            }
            if (r.rule() instanceof MaintenanceWindow w) {
                if (LabelMatcher.allMatch(w.matchers(), labels)) {
                    Instant end = w.openUntil(at);
                    if (end != null) {
                        return new Mute(r.key(), Math.min(end.toEpochMilli(), r.until()));
                    }
                }
            } else if (r.rule() instanceof Silence s) {
                if (s.activeAt(at) && LabelMatcher.allMatch(s.matchers(), labels)) {
                    return new Mute(r.key(), Math.min(s.endsAt().toEpochMilli(), r.until()));
                }
            } else if (r.rule() instanceof InhibitRule ir && inhibited(ir, alert, firing)) {
                return new Mute(r.key(), r.until());
            }
        }
        return null;
    }

    static boolean inhibited(InhibitRule rule, Alert target, Collection<Alert> firing) {
        Map<String, String> t = target.getLabels();
        if (!LabelMatcher.allMatch(rule.targetMatchers(), t)) {
            return false;
        }
        boolean targetIsAlsoSource = LabelMatcher.allMatch(rule.sourceMatchers(), t);
        for (Alert source : firing) {
            if (source.getFingerprint().equals(target.getFingerprint())) {
                continue; // an alert never inhibits itself
            }
            Map<String, String> s = source.getLabels();
            if (!LabelMatcher.allMatch(rule.sourceMatchers(), s)) {
                continue;
            }
            if (targetIsAlsoSource && LabelMatcher.allMatch(rule.targetMatchers(), s)) {
                continue;
            }
            if (equalLabels(rule.equal(), s, t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean equalLabels(
            List<String> names, Map<String, String> a, Map<String, String> b) {
        for (String n : names) {
            if (!a.getOrDefault(n, "").equals(b.getOrDefault(n, ""))) {
                return false;
            }
        }
        return true;
    }
}

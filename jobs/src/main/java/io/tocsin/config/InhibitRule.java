package io.tocsin.config;

import io.tocsin.avro.Alert;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * An Alertmanager inhibition rule: while an alert matching {@code sourceMatchers} fires, alerts
 * matching {@code targetMatchers} with the same values of the {@code equal} labels are muted.
 * Evaluated within a correlation domain (the suppress stage is keyed by it).
 */
public record InhibitRule(
        String id,
        List<LabelMatcher> sourceMatchers,
        List<LabelMatcher> targetMatchers,
        List<String> equal)
        implements MuteRule {

    public InhibitRule {
        sourceMatchers = List.copyOf(sourceMatchers);
        targetMatchers = List.copyOf(targetMatchers);
        equal = List.copyOf(equal);
    }

    @Override
    public String key() {
        return "inhibit:" + id;
    }

    @Override
    public int precedence() {
        return 2;
    }

    @Override
    public boolean needsFiringAlerts() {
        return true;
    }

    /**
     * Mutes a target while a different firing alert matches the source matchers with equal values
     * of the {@code equal} labels (a missing label equals the empty string); an alert that matches
     * both sides cannot be inhibited by another alert that does too. Ends on an event (the source
     * resolving), so the answer has no time.
     */
    @Override
    public Long mutesUntil(Alert target, Instant at, Collection<Alert> firing) {
        Map<String, String> t = target.getLabels();
        if (!LabelMatcher.allMatch(targetMatchers, t)) {
            return null;
        }
        boolean targetIsAlsoSource = LabelMatcher.allMatch(sourceMatchers, t);
        for (Alert source : firing) {
            if (source.getFingerprint().equals(target.getFingerprint())) {
                continue; // an alert never inhibits itself
            }
            Map<String, String> s = source.getLabels();
            if (!LabelMatcher.allMatch(sourceMatchers, s)) {
                continue;
            }
            if (targetIsAlsoSource && LabelMatcher.allMatch(targetMatchers, s)) {
                continue;
            }
            if (equalLabels(s, t)) {
                return Long.MAX_VALUE;
            }
        }
        return null;
    }

    private boolean equalLabels(Map<String, String> a, Map<String, String> b) {
        for (String n : equal) {
            if (!a.getOrDefault(n, "").equals(b.getOrDefault(n, ""))) {
                return false;
            }
        }
        return true;
    }
}

package io.tocsin.config;

import java.io.Serializable;
import java.util.List;

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
        implements Serializable {

    public InhibitRule {
        sourceMatchers = List.copyOf(sourceMatchers);
        targetMatchers = List.copyOf(targetMatchers);
        equal = List.copyOf(equal);
    }
}

package io.tocsin.config;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/** An Alertmanager-style silence: alerts matching all matchers are muted in [startsAt, endsAt). */
public record Silence(
        String id,
        List<LabelMatcher> matchers,
        Instant startsAt,
        Instant endsAt,
        String createdBy,
        String comment)
        implements Serializable {

    public Silence {
        matchers = List.copyOf(matchers);
    }

    public boolean activeAt(Instant t) {
        return !t.isBefore(startsAt) && t.isBefore(endsAt);
    }
}

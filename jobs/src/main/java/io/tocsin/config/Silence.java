package io.tocsin.config;

import io.tocsin.avro.Alert;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** An Alertmanager-style silence: alerts matching all matchers are muted in [startsAt, endsAt). */
public record Silence(
        String id,
        List<LabelMatcher> matchers,
        Instant startsAt,
        Instant endsAt,
        String createdBy,
        String comment)
        implements MuteRule {

    public Silence {
        matchers = List.copyOf(matchers);
    }

    @Override
    public String key() {
        return "silence:" + id;
    }

    @Override
    public int precedence() {
        return 1;
    }

    @Override
    public Long mutesUntil(Alert alert, Instant at, Collection<Alert> firing) {
        return activeAt(at) && LabelMatcher.allMatch(matchers, alert.getLabels())
                ? endsAt.toEpochMilli()
                : null;
    }

    public boolean activeAt(Instant t) {
        return !t.isBefore(startsAt) && t.isBefore(endsAt);
    }
}

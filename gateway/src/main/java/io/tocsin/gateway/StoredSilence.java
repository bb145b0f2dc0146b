package io.tocsin.gateway;

import io.tocsin.config.LabelMatcher;
import java.time.Instant;
import java.util.List;

/**
 * A silence as the gateway last read it from the control topic, with what Alertmanager's API
 * reports: matchers, times, author and comment (the audit trail), and when it last changed.
 *
 * @param expiredAt when it was expired through the API (a delete on the control topic), or null
 */
public record StoredSilence(
        String id,
        List<LabelMatcher> matchers,
        Instant startsAt,
        Instant endsAt,
        String createdBy,
        String comment,
        Instant updatedAt,
        Instant expiredAt) {

    public StoredSilence {
        matchers = List.copyOf(matchers);
    }

    /** The end in force: the expiry time when it was expired early. */
    public Instant effectiveEnd() {
        return expiredAt != null && expiredAt.isBefore(endsAt) ? expiredAt : endsAt;
    }

    /** Alertmanager's state at {@code now}: pending, active or expired. */
    public String state(Instant now) {
        Instant end = effectiveEnd();
        if (!now.isBefore(end)) {
            return "expired";
        }
        return now.isBefore(startsAt) ? "pending" : "active";
    }

    /** The start reported after an early expiry of a pending silence (Alertmanager sets both). */
    public Instant effectiveStart() {
        Instant end = effectiveEnd();
        return startsAt.isAfter(end) ? end : startsAt;
    }

    StoredSilence expire(Instant at) {
        return new StoredSilence(id, matchers, startsAt, endsAt, createdBy, comment, at, at);
    }
}

package io.tocsin.config;

import io.tocsin.avro.Alert;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * A maintenance window: one-off ({@code start}..{@code end}) or recurring (every listed day of the
 * week at {@code dailyStart} local time in {@code zone}, for {@code duration}; a window may cross
 * midnight). Alerts matching all matchers are muted while it is open.
 */
public record MaintenanceWindow(
        String id,
        List<LabelMatcher> matchers,
        Instant start,
        Instant end,
        Set<DayOfWeek> days,
        LocalTime dailyStart,
        Duration duration,
        ZoneId zone,
        String comment)
        implements MuteRule {

    public MaintenanceWindow {
        matchers = List.copyOf(matchers);
        days = days == null ? Set.of() : Set.copyOf(days);
    }

    @Override
    public String key() {
        return "maintenance:" + id;
    }

    @Override
    public int precedence() {
        return 0;
    }

    @Override
    public Long mutesUntil(Alert alert, Instant at, Collection<Alert> firing) {
        if (!LabelMatcher.allMatch(matchers, alert.getLabels())) {
            return null;
        }
        Instant until = openUntil(at);
        return until == null ? null : until.toEpochMilli();
    }

    public boolean recurring() {
        return start == null;
    }

    /** The end of the window period open at {@code t}, or null when it is closed at {@code t}. */
    public Instant openUntil(Instant t) {
        if (!recurring()) {
            return !t.isBefore(start) && t.isBefore(end) ? end : null;
        }
        LocalDate today = t.atZone(zone).toLocalDate();
        // A period that started yesterday may still be open (windows crossing midnight).
        for (LocalDate d = today.minusDays(duration.toDays() + 1);
                !d.isAfter(today);
                d = d.plusDays(1)) {
            if (!days.contains(d.getDayOfWeek())) {
                continue;
            }
            ZonedDateTime from = ZonedDateTime.of(d, dailyStart, zone);
            Instant f = from.toInstant();
            Instant u = from.plus(duration).toInstant();
            if (!t.isBefore(f) && t.isBefore(u)) {
                return u;
            }
        }
        return null;
    }
}

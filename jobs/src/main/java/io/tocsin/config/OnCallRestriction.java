package io.tocsin.config;

import java.io.Serializable;
import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * When a layer is on call, in the schedule's local time: on the listed days, from {@code from} to
 * {@code to}. A period with {@code to} before {@code from} crosses midnight and belongs to the day
 * it starts on (FRI 22:00 to 06:00 covers Saturday 05:00). Without from and to, whole days.
 */
public record OnCallRestriction(Set<DayOfWeek> days, LocalTime from, LocalTime to)
        implements Serializable {

    public OnCallRestriction {
        days = Set.copyOf(days);
    }

    public boolean covers(LocalDateTime local) {
        DayOfWeek day = local.getDayOfWeek();
        if (from == null) {
            return days.contains(day);
        }
        LocalTime time = local.toLocalTime();
        if (from.isBefore(to)) {
            return days.contains(day) && !time.isBefore(from) && time.isBefore(to);
        }
        return (days.contains(day) && !time.isBefore(from))
                || (days.contains(day.minus(1)) && time.isBefore(to));
    }

    /**
     * The first local time after {@code local} at which {@link #covers} may change: the next {@code
     * from} or {@code to} of the day, or the next midnight for whole days.
     */
    public LocalDateTime nextBoundary(LocalDateTime local) {
        LocalDateTime midnight = local.toLocalDate().plusDays(1).atStartOfDay();
        if (from == null) {
            return midnight;
        }
        LocalDateTime next = midnight.plusDays(1);
        for (LocalTime b : List.of(from, to)) {
            LocalDateTime today = local.toLocalDate().atTime(b);
            LocalDateTime at = today.isAfter(local) ? today : today.plusDays(1);
            if (at.isBefore(next)) {
                next = at;
            }
        }
        return next;
    }

    /** A restriction as written; null where left out. */
    record RawRestriction(List<String> days, String from, String to) {}

    static OnCallRestriction from(ConfigNode n) {
        RawRestriction raw = ConfigBinder.bind(n, RawRestriction.class);
        Set<DayOfWeek> days = EnumSet.allOf(DayOfWeek.class);
        if (raw.days() != null) {
            days = EnumSet.noneOf(DayOfWeek.class);
            List<ConfigNode> daysAt = n.get("days").list();
            for (int i = 0; i < raw.days().size(); i++) {
                days.add(day(daysAt.get(i), raw.days().get(i)));
            }
            if (days.isEmpty()) {
                throw n.get("days").error("name at least one day (MON..SUN)");
            }
        }
        boolean hasFrom = raw.from() != null;
        if (hasFrom != (raw.to() != null)) {
            throw n.get(hasFrom ? "to" : "from")
                    .error("give both from and to, or neither for whole days");
        }
        if (!hasFrom) {
            return new OnCallRestriction(days, null, null);
        }
        LocalTime from = time(n.get("from"), raw.from());
        LocalTime to = time(n.get("to"), raw.to());
        if (from.equals(to)) {
            throw n.get("to").error("must differ from from (omit both for whole days)");
        }
        return new OnCallRestriction(days, from, to);
    }

    private static DayOfWeek day(ConfigNode d, String text) {
        String t = ConfigBinder.required(d, text).trim().toUpperCase(Locale.ROOT);
        for (DayOfWeek w : DayOfWeek.values()) {
            if (t.length() >= 3 && w.name().startsWith(t)) {
                return w;
            }
        }
        throw d.error("unknown day '" + text + "' (MON..SUN)");
    }

    private static LocalTime time(ConfigNode n, String text) {
        String t = ConfigBinder.required(n, text).trim();
        try {
            return LocalTime.parse(t);
        } catch (DateTimeParseException e) {
            throw n.error("expected a local time like 09:00, found '" + t + "'");
        }
    }
}

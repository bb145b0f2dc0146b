package io.tocsin.config;

import java.io.Serializable;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * On-call schedules: who holds a target at a given event time (the policy's {@code
 * escalation.schedules}). A schedule has a time zone, layers of rotations (later layers win where
 * they have someone) and overrides (win over everything):
 *
 * <pre>
 * payments-primary:
 *   timeZone: Europe/Berlin
 *   layers:
 *     - members: [alice, bob, carol]      # rotate in this order
 *       start: "2026-11-02T09:00"         # local time of the first handoff (members[0] starts)
 *       shift: 1w                         # days/weeks count local calendar days (handoff stays
 *                                         # 09:00 across DST); hours/minutes are absolute
 *       restrict: {days: [MON, TUE, WED, THU, FRI], from: "09:00", to: "17:00"}   # optional
 *   overrides:
 *     - {member: dave, start: 2026-11-20T18:00:00Z, end: 2026-11-21T09:00:00Z}
 * </pre>
 *
 * Nobody on call (before a layer starts, outside a restriction) is an empty answer: the escalator
 * then pages the chain's fallback.
 */
public final class OnCallSchedules implements Serializable {

    private final Map<String, Schedule> schedules;

    private OnCallSchedules(Map<String, Schedule> schedules) {
        this.schedules = schedules;
    }

    public static OnCallSchedules empty() {
        return new OnCallSchedules(Map.of());
    }

    public static OnCallSchedules from(ConfigNode node) {
        Map<String, Schedule> out = new TreeMap<>();
        node.map(v -> v).forEach((id, n) -> out.put(id, schedule(n)));
        return new OnCallSchedules(Map.copyOf(out));
    }

    public boolean has(String id) {
        return schedules.containsKey(id);
    }

    public Set<String> ids() {
        return schedules.keySet();
    }

    /** Who is on call in schedule {@code id} at {@code eventTimeMillis}. */
    public Optional<String> onCall(String id, long eventTimeMillis) {
        Schedule s = schedules.get(id);
        return s == null ? Optional.empty() : s.onCall(Instant.ofEpochMilli(eventTimeMillis));
    }

    record Swap(String member, Instant start, Instant end) implements Serializable {}

    record Restriction(Set<DayOfWeek> days, LocalTime from, LocalTime to) implements Serializable {

        /** True when local time {@code t} is inside (a window may cross midnight). */
        boolean covers(ZonedDateTime t) {
            LocalTime time = t.toLocalTime();
            if (!from.isAfter(to)) {
                return days.contains(t.getDayOfWeek()) && !time.isBefore(from) && time.isBefore(to);
            }
            // Crosses midnight: the window belongs to the day it starts on.
            if (!time.isBefore(from)) {
                return days.contains(t.getDayOfWeek());
            }
            return time.isBefore(to) && days.contains(t.getDayOfWeek().minus(1));
        }
    }

    record Layer(List<String> members, LocalDateTime start, Duration shift, Restriction restrict)
            implements Serializable {

        Optional<String> onCall(ZonedDateTime t) {
            ZonedDateTime first = start.atZone(t.getZone());
            if (t.isBefore(first) || (restrict != null && !restrict.covers(t))) {
                return Optional.empty();
            }
            long index;
            if (shift.toSeconds() % 86_400 == 0) {
                // Whole days: count local calendar days, so the handoff keeps its wall-clock time.
                long days = shift.toDays();
                long elapsed = ChronoUnit.DAYS.between(first, t);
                index = elapsed / days;
                // A DST day is 23 or 25 hours: between() counts whole 24h-normalised days, so
                // check the boundary against the local handoff instant.
                if (first.plusDays((index + 1) * days).compareTo(t) <= 0) {
                    index++;
                }
            } else {
                index = Duration.between(first, t).toMillis() / shift.toMillis();
            }
            return Optional.of(members.get((int) (index % members.size())));
        }
    }

    record Schedule(ZoneId zone, List<Layer> layers, List<Swap> overrides) implements Serializable {

        Optional<String> onCall(Instant t) {
            for (Swap o : overrides) {
                if (!t.isBefore(o.start()) && t.isBefore(o.end())) {
                    return Optional.of(o.member());
                }
            }
            ZonedDateTime local = t.atZone(zone);
            for (int i = layers.size() - 1; i >= 0; i--) {
                Optional<String> who = layers.get(i).onCall(local);
                if (who.isPresent()) {
                    return who;
                }
            }
            return Optional.empty();
        }
    }

    private static Schedule schedule(ConfigNode n) {
        n.allowOnly(Set.of("timeZone", "layers", "overrides"));
        ZoneId zone;
        try {
            zone = ZoneId.of(n.get("timeZone").requiredText());
        } catch (java.time.DateTimeException e) {
            throw n.get("timeZone").error("unknown time zone '" + n.get("timeZone").text("") + "'");
        }
        List<Layer> layers = new ArrayList<>();
        for (ConfigNode l : n.get("layers").list()) {
            l.allowOnly(Set.of("members", "start", "shift", "restrict"));
            List<String> members = l.get("members").textList();
            if (members.isEmpty()) {
                throw l.get("members").error("needs at least one member");
            }
            LocalDateTime start;
            try {
                start = LocalDateTime.parse(l.get("start").requiredText());
            } catch (DateTimeParseException e) {
                throw l.get("start")
                        .error(
                                "expected a local date-time like 2026-11-02T09:00, got '"
                                        + l.get("start").text("")
                                        + "'");
            }
            layers.add(
                    new Layer(
                            List.copyOf(members),
                            start,
                            l.get("shift").positiveDuration(Duration.ofDays(7)),
                            l.get("restrict").isMissing() ? null : restriction(l.get("restrict"))));
        }
        if (layers.isEmpty()) {
            throw n.get("layers").error("needs at least one layer");
        }
        List<Swap> overrides = new ArrayList<>();
        for (ConfigNode o : n.get("overrides").list()) {
            o.allowOnly(Set.of("member", "start", "end"));
            Instant start = instant(o.get("start"));
            Instant end = instant(o.get("end"));
            if (!end.isAfter(start)) {
                throw o.get("end").error("must be after start");
            }
            overrides.add(new Swap(o.get("member").requiredText(), start, end));
        }
        return new Schedule(zone, List.copyOf(layers), List.copyOf(overrides));
    }

    private static Restriction restriction(ConfigNode n) {
        n.allowOnly(Set.of("days", "from", "to"));
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (ConfigNode d : n.get("days").list()) {
            days.add(day(d));
        }
        if (n.get("days").isMissing()) {
            days = EnumSet.allOf(DayOfWeek.class);
        }
        LocalTime from = time(n.get("from"));
        LocalTime to = time(n.get("to"));
        if (from.equals(to)) {
            throw n.get("to").error("must differ from 'from'");
        }
        return new Restriction(Set.copyOf(days), from, to);
    }

    private static DayOfWeek day(ConfigNode n) {
        String t = n.requiredText().toUpperCase(Locale.ROOT);
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().startsWith(t) && t.length() >= 3) {
                return d;
            }
        }
        throw n.error("unknown day '" + n.requiredText() + "' (MON, TUE, WED, THU, FRI, SAT, SUN)");
    }

    private static LocalTime time(ConfigNode n) {
        try {
            return LocalTime.parse(n.requiredText());
        } catch (DateTimeParseException e) {
            throw n.error("expected a local time like 09:00, got '" + n.text("") + "'");
        }
    }

    private static Instant instant(ConfigNode n) {
        try {
            return Instant.parse(n.requiredText());
        } catch (DateTimeParseException e) {
            throw n.error(
                    "expected an RFC 3339 time like 2026-11-20T18:00:00Z, got '"
                            + n.text("")
                            + "'");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OnCallSchedules other && schedules.equals(other.schedules);
    }

    @Override
    public int hashCode() {
        return schedules.hashCode();
    }
}

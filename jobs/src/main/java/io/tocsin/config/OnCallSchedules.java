package io.tocsin.config;

import java.io.Serializable;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who holds each on-call role at a given event time: named {@link OnCallSchedule}s parsed once from
 * config. Immutable and serializable, so it can travel inside a Flink operator.
 *
 * <pre>
 * payments-primary:
 *   timeZone: Europe/Berlin
 *   layers:                      # later layers win where they have someone on call
 *     - members: [alice, bob]    # rotate in order
 *       start: "2026-11-02T09:00" # local date-time members[0] starts
 *       shift: 1w                # whole days count local days; else an absolute duration
 *       restrict: {days: [MON, TUE, WED, THU, FRI], from: "09:00", to: "17:00"}   # optional
 *   overrides:                   # highest precedence
 *     - {member: dave, start: 2026-11-20T18:00:00Z, end: 2026-11-21T09:00:00Z}
 * </pre>
 */
public final class OnCallSchedules implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final OnCallSchedules EMPTY = new OnCallSchedules(Map.of());

    private final Map<String, OnCallSchedule> schedules;

    private OnCallSchedules(Map<String, OnCallSchedule> schedules) {
        this.schedules = Collections.unmodifiableMap(new LinkedHashMap<>(schedules));
    }

    /** Reads a mapping of schedule id to schedule; a missing node gives no schedules. */
    public static OnCallSchedules from(ConfigNode node) {
        Map<String, OnCallSchedule> parsed = node.map(OnCallSchedule::from);
        for (String id : parsed.keySet()) {
            if (id.isBlank()) {
                throw node.error("a schedule id must not be blank");
            }
        }
        return parsed.isEmpty() ? EMPTY : new OnCallSchedules(parsed);
    }

    public static OnCallSchedules empty() {
        return EMPTY;
    }

    /**
     * Who is on call for {@code scheduleId} at {@code eventTimeMillis}; empty when nobody is, or
     * when there is no such schedule (check references with {@link #has} when loading policy).
     */
    public Optional<String> onCall(String scheduleId, long eventTimeMillis) {
        OnCallSchedule s = schedules.get(scheduleId);
        return s == null ? Optional.empty() : s.onCall(Instant.ofEpochMilli(eventTimeMillis));
    }

    /**
     * When the person on call for {@code scheduleId} next changes after {@code eventTimeMillis},
     * looking at most to {@code untilMillis}; empty when it does not (or there is no such
     * schedule).
     */
    public Optional<Long> nextChange(String scheduleId, long eventTimeMillis, long untilMillis) {
        OnCallSchedule s = schedules.get(scheduleId);
        return s == null
                ? Optional.empty()
                : s.nextChange(
                                Instant.ofEpochMilli(eventTimeMillis),
                                Instant.ofEpochMilli(untilMillis))
                        .map(Instant::toEpochMilli);
    }

    public boolean has(String scheduleId) {
        return schedules.containsKey(scheduleId);
    }

    /** Schedule ids in file order. */
    public Set<String> ids() {
        return schedules.keySet();
    }

    /** The parsed schedule, for tools that show a rota. */
    public Optional<OnCallSchedule> schedule(String scheduleId) {
        return Optional.ofNullable(schedules.get(scheduleId));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OnCallSchedules other && schedules.equals(other.schedules);
    }

    @Override
    public int hashCode() {
        return schedules.hashCode();
    }

    @Override
    public String toString() {
        return "OnCallSchedules" + schedules;
    }
}

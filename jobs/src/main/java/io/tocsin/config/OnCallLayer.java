package io.tocsin.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * One rotation: {@code members} take turns in order, each for one {@code shift}, the first from
 * {@code start} (local time in the schedule's zone). A shift of whole days counts local calendar
 * days, so a 09:00 handoff stays at 09:00 across daylight-saving changes; any other shift is an
 * absolute duration. An optional restriction masks the rotation without pausing it.
 */
public record OnCallLayer(
        List<String> members, LocalDateTime start, Duration shift, OnCallRestriction restrict)
        implements Serializable {

    private static final long DAY_SECONDS = 86_400;

    public OnCallLayer {
        members = List.copyOf(members);
    }

    /**
     * Who this layer has on call at {@code t}, or null (before start, or outside the restriction).
     */
    public String memberAt(Instant t, ZoneId zone) {
        if (restrict != null && !restrict.covers(t.atZone(zone).toLocalDateTime())) {
            return null;
        }
        long turn = calendarShift() ? calendarTurn(t, zone) : absoluteTurn(t, zone);
        return turn < 0 ? null : members.get((int) (turn % members.size()));
    }

    /** The instant the {@code turn}-th shift begins (turn 0 is {@code members[0]}'s first). */
    public Instant handoff(long turn, ZoneId zone) {
        if (calendarShift()) {
            return start.plusDays(turn * shiftDays()).atZone(zone).toInstant();
        }
        return start.atZone(zone).toInstant().plus(shift.multipliedBy(turn));
    }

    /**
     * The first handoff after {@code t}: the start of the next shift (of the first shift while
     * {@code t} is before the start). A restriction does not move handoffs.
     */
    public Instant nextHandoff(Instant t, ZoneId zone) {
        long turn = calendarShift() ? calendarTurn(t, zone) : absoluteTurn(t, zone);
        return handoff(Math.max(turn + 1, 0), zone);
    }

    private boolean calendarShift() {
        return shift.getNano() == 0 && shift.getSeconds() % DAY_SECONDS == 0;
    }

    private long shiftDays() {
        return shift.getSeconds() / DAY_SECONDS;
    }

    private long calendarTurn(Instant t, ZoneId zone) {
        long days = ChronoUnit.DAYS.between(start.toLocalDate(), t.atZone(zone).toLocalDate());
        long turn = Math.floorDiv(days, shiftDays());
        // The local date is a guess: the handoff time of day may not have come yet (or DST).
        while (handoff(turn, zone).isAfter(t)) {
            turn--;
        }
        while (!handoff(turn + 1, zone).isAfter(t)) {
            turn++;
        }
        return turn;
    }

    private long absoluteTurn(Instant t, ZoneId zone) {
        long since = t.toEpochMilli() - start.atZone(zone).toInstant().toEpochMilli();
        return Math.floorDiv(since, shift.toMillis());
    }

    /** A layer as written; null where left out. The restriction binds on its own. */
    record RawLayer(List<String> members, String start, Duration shift, JsonNode restrict) {}

    static OnCallLayer from(ConfigNode n) {
        RawLayer raw = ConfigBinder.bind(n, RawLayer.class);
        List<ConfigNode> membersAt = n.get("members").list();
        List<String> members = new ArrayList<>();
        for (int i = 0; raw.members() != null && i < raw.members().size(); i++) {
            members.add(ConfigBinder.required(membersAt.get(i), raw.members().get(i)).trim());
        }
        if (members.isEmpty()) {
            throw n.get("members").error("name at least one member");
        }
        ConfigNode s = n.get("start");
        String text = ConfigBinder.required(s, raw.start()).trim();
        LocalDateTime start;
        try {
            start = LocalDateTime.parse(text);
        } catch (DateTimeParseException e) {
            throw s.error(
                    "expected a local date-time like 2026-11-02T09:00 (no offset: the schedule's"
                            + " timeZone applies), found '"
                            + text
                            + "'");
        }
        ConfigNode shiftAt = n.get("shift");
        Duration shift = raw.shift();
        if (shift == null) {
            throw shiftAt.error("required");
        }
        if (shift.isNegative() || shift.isZero()) {
            throw shiftAt.error("must be greater than zero, got " + shiftAt.text("?"));
        }
        OnCallRestriction restrict =
                n.get("restrict").isMissing() ? null : OnCallRestriction.from(n.get("restrict"));
        return new OnCallLayer(members, start, shift, restrict);
    }
}

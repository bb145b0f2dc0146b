package io.tocsin.gateway;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A board search: incidents involving a service, with an alert of a name, opened in a time range
 * (each optional; text matches are case-insensitive substrings). Times are RFC 3339 instants, or
 * dates / local date-times in UTC (as HTML date and datetime-local inputs send them).
 */
record BoardQuery(String service, String alert, Instant from, Instant to) {

    static final int MAX_TEXT = 200;

    static BoardQuery parse(String service, String alert, String from, String to) {
        Instant f = time("from", from, false);
        Instant t = time("to", to, true);
        if (f != null && t != null && t.isBefore(f)) {
            throw new IllegalArgumentException("to: " + to + " is before from: " + from);
        }
        return new BoardQuery(text("service", service), text("alert", alert), f, t);
    }

    private static String text(String name, String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        if (v.length() > MAX_TEXT) {
            throw new IllegalArgumentException(name + ": longer than " + MAX_TEXT + " characters");
        }
        return v.trim();
    }

    private static Instant time(String name, String v, boolean endOfDay) {
        if (v == null || v.isBlank()) {
            return null;
        }
        String s = v.trim();
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            // try the other forms
        }
        try {
            return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // try a date
        }
        try {
            LocalDate d = LocalDate.parse(s);
            return (endOfDay ? d.plusDays(1) : d).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    name
                            + ": cannot parse \""
                            + (s.length() > 40 ? s.substring(0, 40) + "..." : s)
                            + "\" as a time (use e.g. 2026-11-02, 2026-11-02T02:00 or"
                            + " 2026-11-02T02:00:00Z)");
        }
    }

    boolean empty() {
        return service == null && alert == null && from == null && to == null;
    }

    boolean matches(BoardState.Incident i) {
        long opened = i.openedAt();
        if (from != null && opened < from.toEpochMilli()) {
            return false;
        }
        if (to != null && opened >= to.toEpochMilli()) {
            return false;
        }
        if (service != null) {
            String s = service.toLowerCase(Locale.ROOT);
            if (i.last.getServices().stream()
                    .noneMatch(x -> x.toLowerCase(Locale.ROOT).contains(s))) {
                return false;
            }
        }
        if (alert != null) {
            String a = alert.toLowerCase(Locale.ROOT);
            return i.members.values().stream()
                    .anyMatch(
                            m ->
                                    m.alertName != null
                                            && m.alertName.toLowerCase(Locale.ROOT).contains(a));
        }
        return true;
    }

    Map<String, Object> model() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("service", service);
        m.put("alert", alert);
        m.put("from", from == null ? null : from.toString());
        m.put("to", to == null ? null : to.toString());
        return m;
    }
}

package io.tocsin.config;

import io.tocsin.time.Rfc3339;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads suppression rules from a config node: the policy file's {@code suppression} section and the
 * rule bodies of control messages share this reader, so both fail the same way.
 */
public final class SuppressionRulesReader {

    private SuppressionRulesReader() {}

    public static SuppressionPolicy read(ConfigNode n) {
        n.allowOnly(Set.of("maintenanceWindows", "silences", "inhibitRules"));
        List<MaintenanceWindow> windows = new ArrayList<>();
        List<Silence> silences = new ArrayList<>();
        List<InhibitRule> inhibits = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (ConfigNode w : n.get("maintenanceWindows").list()) {
            MaintenanceWindow mw = maintenanceWindow(w);
            requireUnique(ids, w, "maintenance", mw.id());
            windows.add(mw);
        }
        for (ConfigNode s : n.get("silences").list()) {
            Silence si = silence(s);
            requireUnique(ids, s, "silence", si.id());
            silences.add(si);
        }
        for (ConfigNode r : n.get("inhibitRules").list()) {
            InhibitRule ir = inhibitRule(r);
            requireUnique(ids, r, "inhibit", ir.id());
            inhibits.add(ir);
        }
        return new SuppressionPolicy(windows, silences, inhibits);
    }

    private static void requireUnique(Set<String> ids, ConfigNode n, String kind, String id) {
        if (!ids.add(kind + ":" + id)) {
            throw n.get("id").error("duplicate " + kind + " id '" + id + "'");
        }
    }

    public static Silence silence(ConfigNode n) {
        n.allowOnly(Set.of("id", "matchers", "startsAt", "endsAt", "createdBy", "comment"));
        Instant start = instant(n.get("startsAt"));
        Instant end = instant(n.get("endsAt"));
        if (!end.isAfter(start)) {
            throw n.get("endsAt").error("must be after startsAt");
        }
        return new Silence(
                n.get("id").requiredText(),
                matchers(n.get("matchers")),
                start,
                end,
                n.get("createdBy").requiredText(),
                n.get("comment").text(""));
    }

    public static MaintenanceWindow maintenanceWindow(ConfigNode n) {
        n.allowOnly(Set.of("id", "matchers", "start", "end", "weekly", "timeZone", "comment"));
        String id = n.get("id").requiredText();
        List<LabelMatcher> matchers = matchers(n.get("matchers"));
        ZoneId zone;
        try {
            zone = ZoneId.of(n.get("timeZone").text("UTC"));
        } catch (DateTimeException e) {
            throw n.get("timeZone").error("unknown time zone '" + n.get("timeZone").text("") + "'");
        }
        boolean oneOff = !n.get("start").isMissing() || !n.get("end").isMissing();
        boolean weekly = !n.get("weekly").isMissing();
        if (oneOff == weekly) {
            throw n.error("give either start and end (one-off) or weekly (recurring)");
        }
        if (oneOff) {
            Instant start = instant(n.get("start"));
            Instant end = instant(n.get("end"));
            if (!end.isAfter(start)) {
                throw n.get("end").error("must be after start");
            }
            return new MaintenanceWindow(
                    id, matchers, start, end, null, null, null, zone, n.get("comment").text(""));
        }
        ConfigNode w = n.get("weekly").allowOnly(Set.of("days", "start", "duration"));
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (ConfigNode d : w.get("days").list()) {
            days.add(day(d));
        }
        if (days.isEmpty()) {
            throw w.get("days").error("name at least one day (MON..SUN)");
        }
        LocalTime start;
        try {
            start = LocalTime.parse(w.get("start").requiredText());
        } catch (DateTimeParseException e) {
            throw w.get("start").error("expected a local time like 02:00");
        }
        Duration duration = w.get("duration").positiveDuration(null);
        if (duration == null) {
            throw w.get("duration").error("required");
        }
        if (duration.compareTo(Duration.ofDays(7)) > 0) {
            throw w.get("duration").error("must be at most 7d");
        }
        return new MaintenanceWindow(
                id, matchers, null, null, days, start, duration, zone, n.get("comment").text(""));
    }

    public static InhibitRule inhibitRule(ConfigNode n) {
        n.allowOnly(Set.of("id", "sourceMatchers", "targetMatchers", "equal"));
        return new InhibitRule(
                n.get("id").requiredText(),
                matchers(n.get("sourceMatchers")),
                matchers(n.get("targetMatchers")),
                n.get("equal").textList());
    }

    private static DayOfWeek day(ConfigNode d) {
        String t = d.requiredText().trim().toUpperCase(Locale.ROOT);
        for (DayOfWeek w : DayOfWeek.values()) {
            if (w.name().startsWith(t) && t.length() >= 3) {
                return w;
            }
        }
        throw d.error("unknown day '" + d.text("") + "' (MON..SUN)");
    }

    static List<LabelMatcher> matchers(ConfigNode n) {
        List<LabelMatcher> out = new ArrayList<>();
        for (ConfigNode m : n.list()) {
            try {
                out.add(LabelMatcher.parse(m.requiredText()));
            } catch (IllegalArgumentException e) {
                throw m.error(e.getMessage());
            }
        }
        if (out.isEmpty()) {
            throw n.error("at least one matcher is required");
        }
        return out;
    }

    static Instant instant(ConfigNode n) {
        String t = n.requiredText();
        try {
            Instant i = Rfc3339.parseOrZero(t);
            if (i == null) {
                throw n.error("zero time is not allowed here");
            }
            return i;
        } catch (DateTimeParseException e) {
            throw n.error("cannot parse '" + t + "' as an RFC 3339 time");
        }
    }
}

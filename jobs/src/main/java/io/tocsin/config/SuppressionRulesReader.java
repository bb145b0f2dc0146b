package io.tocsin.config;

import static io.tocsin.config.ConfigBinder.required;

import com.fasterxml.jackson.databind.JsonNode;
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

    /** The {@code suppression} section as written; each entry is bound by its own reader. */
    record RawSuppression(
            List<JsonNode> maintenanceWindows,
            List<JsonNode> silences,
            List<JsonNode> inhibitRules) {}

    /** A silence as written; null where left out. */
    record RawSilence(
            String id,
            List<String> matchers,
            String startsAt,
            String endsAt,
            String createdBy,
            String comment) {}

    /** A maintenance window as written; null where left out. */
    record RawMaintenanceWindow(
            String id,
            List<String> matchers,
            String start,
            String end,
            RawWeekly weekly,
            String timeZone,
            String comment) {}

    /** A maintenance window's {@code weekly} recurrence as written; null where left out. */
    record RawWeekly(List<String> days, String start, Duration duration) {}

    /** An inhibit rule as written; null where left out. */
    record RawInhibitRule(
            String id,
            List<String> sourceMatchers,
            List<String> targetMatchers,
            List<String> equal) {}

    public static SuppressionPolicy read(ConfigNode n) {
        ConfigBinder.bind(n, RawSuppression.class);
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
        RawSilence raw = ConfigBinder.bind(n, RawSilence.class);
        Instant start = instant(n.get("startsAt"), raw.startsAt());
        Instant end = instant(n.get("endsAt"), raw.endsAt());
        if (!end.isAfter(start)) {
            throw n.get("endsAt").error("must be after startsAt");
        }
        return new Silence(
                required(n.get("id"), raw.id()),
                matchers(n.get("matchers"), raw.matchers()),
                start,
                end,
                required(n.get("createdBy"), raw.createdBy()),
                raw.comment() == null ? "" : raw.comment());
    }

    public static MaintenanceWindow maintenanceWindow(ConfigNode n) {
        RawMaintenanceWindow raw = ConfigBinder.bind(n, RawMaintenanceWindow.class);
        String id = required(n.get("id"), raw.id());
        List<LabelMatcher> matchers = matchers(n.get("matchers"), raw.matchers());
        String comment = raw.comment() == null ? "" : raw.comment();
        ZoneId zone;
        try {
            zone = ZoneId.of(raw.timeZone() == null ? "UTC" : raw.timeZone());
        } catch (DateTimeException e) {
            throw n.get("timeZone").error("unknown time zone '" + raw.timeZone() + "'");
        }
        boolean oneOff = raw.start() != null || raw.end() != null;
        boolean weekly = raw.weekly() != null;
        if (oneOff == weekly) {
            throw n.error("give either start and end (one-off) or weekly (recurring)");
        }
        if (oneOff) {
            Instant start = instant(n.get("start"), raw.start());
            Instant end = instant(n.get("end"), raw.end());
            if (!end.isAfter(start)) {
                throw n.get("end").error("must be after start");
            }
            return new MaintenanceWindow(id, matchers, start, end, null, null, null, zone, comment);
        }
        ConfigNode w = n.get("weekly");
        RawWeekly rw = raw.weekly();
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        List<ConfigNode> daysAt = w.get("days").list();
        for (int i = 0; rw.days() != null && i < rw.days().size(); i++) {
            days.add(day(daysAt.get(i), rw.days().get(i)));
        }
        if (days.isEmpty()) {
            throw w.get("days").error("name at least one day (MON..SUN)");
        }
        LocalTime start;
        try {
            start = LocalTime.parse(required(w.get("start"), rw.start()));
        } catch (DateTimeParseException e) {
            throw w.get("start").error("expected a local time like 02:00");
        }
        Duration duration = rw.duration();
        if (duration == null) {
            throw w.get("duration").error("required");
        }
        if (duration.isNegative() || duration.isZero()) {
            throw w.get("duration")
                    .error("must be greater than zero, got " + w.get("duration").text("?"));
        }
        if (duration.compareTo(Duration.ofDays(7)) > 0) {
            throw w.get("duration").error("must be at most 7d");
        }
        return new MaintenanceWindow(
                id, matchers, null, null, days, start, duration, zone, comment);
    }

    public static InhibitRule inhibitRule(ConfigNode n) {
        RawInhibitRule raw = ConfigBinder.bind(n, RawInhibitRule.class);
        String id = required(n.get("id"), raw.id());
        List<LabelMatcher> source = matchers(n.get("sourceMatchers"), raw.sourceMatchers());
        List<LabelMatcher> target = matchers(n.get("targetMatchers"), raw.targetMatchers());
        List<ConfigNode> equalAt = n.get("equal").list();
        List<String> equal = new ArrayList<>();
        for (int i = 0; raw.equal() != null && i < raw.equal().size(); i++) {
            equal.add(required(equalAt.get(i), raw.equal().get(i)));
        }
        return new InhibitRule(id, source, target, equal);
    }

    private static DayOfWeek day(ConfigNode d, String text) {
        String t = required(d, text).trim().toUpperCase(Locale.ROOT);
        for (DayOfWeek w : DayOfWeek.values()) {
            if (w.name().startsWith(t) && t.length() >= 3) {
                return w;
            }
        }
        throw d.error("unknown day '" + text + "' (MON..SUN)");
    }

    /** The matchers written in {@code texts} at {@code n}; at least one. */
    static List<LabelMatcher> matchers(ConfigNode n, List<String> texts) {
        List<ConfigNode> at = n.list();
        List<LabelMatcher> out = new ArrayList<>();
        for (int i = 0; texts != null && i < texts.size(); i++) {
            try {
                out.add(LabelMatcher.parse(required(at.get(i), texts.get(i))));
            } catch (IllegalArgumentException e) {
                throw at.get(i).error(e.getMessage());
            }
        }
        if (out.isEmpty()) {
            throw n.error("at least one matcher is required");
        }
        return out;
    }

    /** The RFC 3339 time written as {@code text} at {@code n}. */
    static Instant instant(ConfigNode n, String text) {
        String t = required(n, text);
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

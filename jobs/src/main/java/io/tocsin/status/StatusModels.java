package io.tocsin.status;

import io.tocsin.config.StatusAudience;
import io.tocsin.config.StatusTrigger;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The model each audience's template renders: a map holding only what that audience may see. The
 * customer model is built from the customer-safe facts alone (impact words, status, times), so no
 * template can name a service, a host, an alert, a label, a person or evidence in a status-page
 * update: there is nothing by that name to find.
 *
 * <p>Names, per audience (each model has the names of the one below it, except customer):
 *
 * <ul>
 *   <li>customer: statusWord (Investigating, Identified, Resolved), headline (Major outage, Partial
 *       outage, Degraded performance, Minor issue), impact, startedAt, at, duration,
 *       nextUpdateAfter, and the flags firstUpdate, updated, reopened, resolved, worse, better,
 *       hasNextUpdate
 *   <li>executive: incidentId, severity, previousSeverity, statusWord (open, acknowledged,
 *       resolved), impact, startedAt, at, duration, nextUpdateAfter, and the flags above plus
 *       severityChanged
 *   <li>business: serviceCount, rootCauseChanged
 *   <li>technical: title, domain, services, servicesText, rootCause, evidence (key, value),
 *       evidenceText, alertCount, activeAlertCount, paged, pagedText, hasPaged, changes
 * </ul>
 */
final class StatusModels {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private StatusModels() {}

    static Map<String, Object> of(StatusAudience audience, UpdateFacts f) {
        return switch (audience) {
            case CUSTOMER -> customer(f);
            case EXECUTIVE -> executive(f);
            case BUSINESS -> business(f);
            case TECHNICAL -> technical(f);
        };
    }

    /** Built from severity, status, times and the policy's impact words only. */
    static Map<String, Object> customer(UpdateFacts f) {
        Map<String, Object> m = new HashMap<>();
        common(m, f);
        m.put(
                "statusWord",
                f.resolved() ? "Resolved" : acknowledged(f) ? "Identified" : "Investigating");
        m.put("headline", headline(f.severity()));
        return m;
    }

    static Map<String, Object> executive(UpdateFacts f) {
        Map<String, Object> m = new HashMap<>();
        common(m, f);
        m.put("incidentId", f.incidentId());
        m.put("severity", f.severity());
        m.put("previousSeverity", f.previousSeverity() == null ? "" : f.previousSeverity());
        m.put("severityChanged", severityChanged(f));
        m.put("statusWord", f.resolved() ? "resolved" : acknowledged(f) ? "acknowledged" : "open");
        return m;
    }

    static Map<String, Object> business(UpdateFacts f) {
        Map<String, Object> m = executive(f);
        m.put("serviceCount", f.services().size());
        m.put("rootCauseChanged", f.triggers().contains(StatusTrigger.ROOT_CAUSE_CHANGED));
        return m;
    }

    static Map<String, Object> technical(UpdateFacts f) {
        Map<String, Object> m = business(f);
        m.put("title", orEmpty(f.title()));
        m.put("domain", orEmpty(f.domain()));
        m.put("services", f.services());
        m.put("servicesText", String.join(", ", f.services()));
        m.put("rootCause", orEmpty(f.rootCause()));
        List<Map<String, String>> evidence = new ArrayList<>();
        for (String kv : f.evidence()) {
            int eq = kv.indexOf('=');
            evidence.add(Map.of("key", kv.substring(0, eq), "value", kv.substring(eq + 1)));
        }
        m.put("evidence", evidence);
        m.put("evidenceText", String.join(", ", f.evidence()));
        m.put("alertCount", f.alertCount());
        m.put("activeAlertCount", f.activeAlertCount());
        m.put("paged", f.paged());
        m.put("pagedText", String.join(", ", f.paged()));
        m.put("hasPaged", !f.paged().isEmpty());
        m.put("changes", changes(f));
        return m;
    }

    private static void common(Map<String, Object> m, UpdateFacts f) {
        m.put("impact", f.impact());
        m.put("startedAt", time(f.openedAt()));
        m.put("at", time(f.at()));
        m.put("duration", duration(f.at() - f.openedAt()));
        m.put("firstUpdate", f.first());
        m.put("updated", !f.first() && !f.resolved());
        m.put("reopened", f.reopened());
        m.put("resolved", f.resolved());
        int rise = severityRise(f);
        m.put("worse", rise > 0);
        m.put("better", rise < 0);
        m.put("hasNextUpdate", f.nextUpdateAfter() != null);
        m.put("nextUpdateAfter", f.nextUpdateAfter() == null ? "" : time(f.nextUpdateAfter()));
    }

    /** What changed since this audience's last update, in words, e.g. "severity SEV3 to SEV1". */
    private static String changes(UpdateFacts f) {
        List<String> c = new ArrayList<>();
        if (f.first()) {
            c.add(f.reopened() ? "reopened" : "opened");
        }
        if (severityChanged(f)) {
            c.add("severity " + f.previousSeverity() + " to " + f.severity());
        }
        if (f.triggers().contains(StatusTrigger.ROOT_CAUSE_CHANGED)) {
            c.add("root cause now " + orEmpty(f.rootCause()));
        }
        if (f.resolved()) {
            c.add("resolved");
        }
        return String.join(", ", c);
    }

    private static boolean severityChanged(UpdateFacts f) {
        return f.previousSeverity() != null && !f.previousSeverity().equals(f.severity());
    }

    /** Positive when the severity rose since the last update (SEV1 is the most severe). */
    private static int severityRise(UpdateFacts f) {
        if (!severityChanged(f)) {
            return 0;
        }
        return Integer.compare(rank(f.previousSeverity()), rank(f.severity()));
    }

    private static int rank(String severity) {
        return severity.startsWith("SEV") ? severity.charAt(3) - '0' : 9;
    }

    private static boolean acknowledged(UpdateFacts f) {
        return "ACKNOWLEDGED".equals(f.status());
    }

    static String headline(String severity) {
        return switch (severity) {
            case "SEV1" -> "Major outage";
            case "SEV2" -> "Partial outage";
            case "SEV3" -> "Degraded performance";
            default -> "Minor issue";
        };
    }

    static String time(long epochMillis) {
        return TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    /** Whole minutes in words: "less than a minute", "12 min", "1 h 5 min". */
    static String duration(long millis) {
        long minutes = Math.max(0, millis) / 60_000;
        if (minutes < 1) {
            return "less than a minute";
        }
        if (minutes < 60) {
            return minutes + " min";
        }
        long h = minutes / 60;
        long rest = minutes % 60;
        return rest == 0 ? h + " h" : h + " h " + rest + " min";
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}

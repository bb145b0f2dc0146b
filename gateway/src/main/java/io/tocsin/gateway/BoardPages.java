package io.tocsin.gateway;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import io.tocsin.avro.Alert;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.Severity;
import io.tocsin.config.EscalationPolicy;
import io.tocsin.config.Topology;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Renders the board's HTML from {@link BoardState}: Mustache templates under {@code
 * resources/board}, every value escaped by the template engine ({@code {{x}}}); the only unescaped
 * insertions are fragments these templates rendered themselves. Links taken from alerts (runbook,
 * generator URL) are shown as links only when they are http(s) URLs, otherwise as text.
 */
final class BoardPages {

    static final String HTML = "text/html; charset=utf-8";
    static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
    static final int RECENT = 20;

    private final BoardState state;
    private final Topology topology;
    private final EscalationPolicy escalation;
    private final Mustache index;
    private final Mustache openFragment;
    private final Mustache incident;
    private final Mustache incidentFragment;
    private final Mustache search;
    private final Mustache error;

    BoardPages(BoardState state, Topology topology, EscalationPolicy escalation) {
        this.state = state;
        this.topology = topology;
        this.escalation = escalation;
        DefaultMustacheFactory f = new DefaultMustacheFactory("board");
        index = f.compile("index.mustache");
        openFragment = f.compile("open.mustache");
        incident = f.compile("incident.mustache");
        incidentFragment = f.compile("incident-body.mustache");
        search = f.compile("search.mustache");
        error = f.compile("error.mustache");
    }

    Reply index(BoardUsers.User user) {
        Map<String, Object> m = state.read(v -> openModel(v));
        m.put("user", userModel(user));
        return html(200, index, m);
    }

    Reply openFragment() {
        return html(200, openFragment, state.read(v -> openModel(v)));
    }

    Reply incident(String id, BoardUsers.User user, String sent) {
        Map<String, Object> m = state.read(v -> incidentModel(v, id));
        if (m == null) {
            return notFound(
                    "no incident "
                            + id
                            + " on the board (it may have been resolved"
                            + " long ago; search the history)");
        }
        m.put("user", userModel(user));
        m.put("canAct", user != null);
        if (sent != null && !sent.isBlank()) {
            m.put("sent", sent);
        }
        return html(200, incident, m);
    }

    Reply incidentFragment(String id, BoardUsers.User user) {
        Map<String, Object> m = state.read(v -> incidentModel(v, id));
        if (m == null) {
            return notFound("no incident " + id + " on the board");
        }
        m.put("canAct", user != null);
        return html(200, incidentFragment, m);
    }

    Reply notFound(String message) {
        return errorPage(404, message);
    }

    Reply errorPage(int status, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status);
        m.put("message", message);
        return html(status, error, m);
    }

    /** Search results; bad parameters are a 400 page naming the parameter. */
    Reply search(BoardQuery q, List<Map<String, Object>> history, String historyNote) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("q", q.model());
        List<Map<String, Object>> found =
                state.read(
                        v -> {
                            long now = state.now();
                            List<Map<String, Object>> out = new ArrayList<>();
                            for (BoardState.Incident i : v.all()) {
                                if (q.matches(i)) {
                                    out.add(card(v, i, now));
                                }
                            }
                            out.sort(
                                    (a, b) ->
                                            Long.compare(
                                                    (Long) b.get("openedAtMillis"),
                                                    (Long) a.get("openedAtMillis")));
                            return out.size() > 200 ? new ArrayList<>(out.subList(0, 200)) : out;
                        });
        m.put("found", found);
        m.put("count", found.size());
        m.put("history", history);
        m.put("historyNote", historyNote);
        return html(200, search, m);
    }

    private Map<String, Object> openModel(BoardState.View v) {
        long now = state.now();
        List<Map<String, Object>> open = new ArrayList<>();
        for (BoardState.Incident i : v.open()) {
            open.add(card(v, i, now));
        }
        List<Map<String, Object>> closed = new ArrayList<>();
        for (BoardState.Incident i : v.recentlyClosed(RECENT)) {
            closed.add(card(v, i, now));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("open", open);
        m.put("openCount", open.size());
        m.put("resolved", closed);
        m.put("now", TIME.format(Instant.ofEpochMilli(now)));
        return m;
    }

    private Map<String, Object> card(BoardState.View v, BoardState.Incident i, long now) {
        IncidentEvent e = i.last;
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", i.id);
        c.put("href", "/board/incident/" + pathSegment(i.id));
        c.put("severity", e.getSeverity().name());
        c.put("sevClass", "sev-" + e.getSeverity().name().toLowerCase(Locale.ROOT));
        c.put("status", e.getStatus().name());
        c.put("title", e.getTitle() == null ? i.id : e.getTitle());
        c.put("services", e.getServices());
        c.put("domain", e.getDomain());
        c.put("rootCause", e.getRootCauseService());
        c.put("evidence", entries(i.rootCauseEvidence));
        c.put("links", i.linkReasons);
        c.put("alertCount", e.getAlertCount());
        c.put("activeAlertCount", e.getActiveAlertCount());
        long opened = i.openedAt();
        c.put("openedAt", TIME.format(Instant.ofEpochMilli(opened)));
        c.put("openedAtMillis", opened);
        c.put("age", duration(now - opened));
        if (i.resolvedAt > 0) {
            c.put("resolvedAt", TIME.format(Instant.ofEpochMilli(i.resolvedAt)));
        }
        if (i.pagedTarget != null || i.tier != null) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("tier", i.tier == null ? "?" : Integer.toString(i.tier + 1));
            p.put("target", i.pagedTarget);
            p.put("ago", duration(now - i.pagedAt));
            c.put("paged", p);
        }
        if (i.acknowledgedAt != null) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("by", i.acknowledgedBy);
            a.put("after", duration(i.acknowledgedAt - opened));
            c.put("acked", a);
        }
        c.put("sla", sla(i, now));
        return c;
    }

    private List<Map<String, Object>> sla(BoardState.Incident i, long now) {
        List<Map<String, Object>> out = new ArrayList<>();
        EscalationPolicy.Level level =
                escalation == null ? null : escalation.levels().get(i.last.getSeverity());
        if (level == null) {
            return out;
        }
        long opened = i.openedAt();
        if (level.acknowledgeWithin() != null) {
            out.add(
                    clock(
                            "acknowledge",
                            opened,
                            level.acknowledgeWithin(),
                            i.acknowledgedAt != null
                                    ? i.acknowledgedAt
                                    : i.resolvedAt > 0 ? (Long) i.resolvedAt : null,
                            now));
        }
        if (level.resolveWithin() != null) {
            out.add(
                    clock(
                            "resolve",
                            opened,
                            level.resolveWithin(),
                            i.resolvedAt > 0 ? (Long) i.resolvedAt : null,
                            now));
        }
        return out;
    }

    private static Map<String, Object> clock(
            String what, long from, Duration within, Long doneAt, long now) {
        Map<String, Object> m = new LinkedHashMap<>();
        long due = from + within.toMillis();
        m.put("what", what);
        m.put("within", duration(within.toMillis()));
        if (doneAt != null) {
            boolean met = doneAt <= due;
            m.put("state", met ? "met" : "missed");
            m.put("text", (met ? "met, after " : "missed, after ") + duration(doneAt - from));
        } else if (now <= due) {
            m.put("state", now >= due - within.toMillis() / 5 ? "at-risk" : "running");
            m.put("text", duration(due - now) + " left");
        } else {
            m.put("state", "breached");
            m.put("text", "breached " + duration(now - due) + " ago");
        }
        return m;
    }

    private Map<String, Object> incidentModel(BoardState.View v, String id) {
        BoardState.Incident i = v.get(id);
        if (i == null) {
            return null;
        }
        long now = state.now();
        Map<String, Object> m = card(v, i, now);
        m.put("idAttr", i.id);
        m.put("actionHref", "/board/incident/" + pathSegment(i.id) + "/action");
        m.put("open", i.open());
        m.put("downgradeTo", downgradeTargets(i.last.getSeverity()));
        List<Map<String, Object>> pending = new ArrayList<>();
        for (BoardState.Pending p : i.pending.values()) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("commandId", p.commandId());
            pm.put("requestedBy", p.requestedBy());
            pm.put("targetSeverity", p.targetSeverity());
            pm.put("at", TIME.format(Instant.ofEpochMilli(p.at())));
            pending.add(pm);
        }
        m.put("pending", pending);
        m.put("members", members(v, i));
        m.put("neighbourhood", neighbourhood(i));
        List<Map<String, Object>> timeline = new ArrayList<>();
        for (IncidentEvent e : i.events) {
            timeline.add(event(e));
        }
        m.put("timeline", timeline);
        m.put("eventsDropped", i.eventsDropped > 0 ? i.eventsDropped : null);
        return m;
    }

    private static List<String> downgradeTargets(Severity s) {
        List<String> out = new ArrayList<>();
        for (Severity t : Severity.values()) {
            if (t != Severity.UNKNOWN && t.ordinal() > s.ordinal()) {
                out.add(t.name());
            }
        }
        return out;
    }

    private List<Map<String, Object>> members(BoardState.View v, BoardState.Incident i) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (BoardState.Member mem : i.members.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            Alert a = v.alert(mem.fingerprint);
            m.put("fingerprint", mem.fingerprint);
            m.put("alertName", mem.alertName != null ? mem.alertName : "(no alertname)");
            m.put("service", mem.service);
            m.put("state", mem.firing ? "firing" : "resolved");
            m.put("joinedAt", TIME.format(Instant.ofEpochMilli(mem.joinedAt)));
            m.put("labels", List.of());
            m.put("annotations", List.of());
            if (a != null) {
                m.put("labels", entries(new java.util.TreeMap<>(a.getLabels())));
                Map<String, String> ann = new java.util.TreeMap<>(a.getAnnotations());
                String runbook = ann.remove("runbook_url");
                m.put("annotations", entries(ann));
                if (runbook != null) {
                    m.put("runbook", link(runbook));
                }
                if (a.getGeneratorUrl() != null) {
                    m.put("generator", link(a.getGeneratorUrl()));
                }
            }
            out.add(m);
        }
        return out;
    }

    /** A URL from an alert: a link only when it is an absolute http(s) URL. */
    static Map<String, Object> link(String url) {
        // Every key is set (the template must not find a key of an enclosing section instead).
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("linkText", url);
        m.put("isLink", Boolean.FALSE);
        m.put("linkHref", "");
        try {
            URI u = new URI(url.trim());
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && u.getHost() != null) {
                m.put("isLink", Boolean.TRUE);
                m.put("linkHref", u.toASCIIString());
            }
        } catch (Exception e) {
            // shown as text
        }
        return m;
    }

    /**
     * The affected services and their direct neighbours in the topology, each with what it calls
     * and what calls it; the root cause first, marked.
     */
    private List<Map<String, Object>> neighbourhood(BoardState.Incident i) {
        IncidentEvent e = i.last;
        Set<String> involved = new TreeSet<>(e.getServices());
        String root = e.getRootCauseService();
        List<String> order = new ArrayList<>();
        if (root != null) {
            order.add(root);
        }
        for (String s : involved) {
            if (!s.equals(root)) {
                order.add(s);
            }
        }
        Set<String> firing = new TreeSet<>();
        for (BoardState.Member m : i.members.values()) {
            if (m.firing && m.service != null) {
                firing.add(m.service);
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (String s : order) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("service", s);
            m.put("root", s.equals(root));
            m.put("alerting", firing.contains(s));
            Topology.Service ts = topology.services().get(s);
            m.put("svcTier", ts == null ? "" : ts.tier());
            m.put("svcTeam", ts == null ? "" : ts.team());
            m.put("unknown", ts == null);
            m.put("calls", neighbours(topology.dependencies(s), involved));
            m.put("calledBy", neighbours(topology.dependents(s), involved));
            out.add(m);
        }
        return out;
    }

    private static List<Map<String, Object>> neighbours(
            java.util.Collection<String> names, Set<String> involved) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String n : new TreeSet<>(names)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", n);
            m.put("involved", involved.contains(n));
            out.add(m);
        }
        return out;
    }

    private static Map<String, Object> event(IncidentEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", e.getSeq());
        m.put("type", e.getType().name());
        m.put("typeClass", "ev-" + e.getType().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        m.put("time", TIME.format(Instant.ofEpochMilli(e.getEventTime().toEpochMilli())));
        m.put("actor", e.getActor());
        m.put("reason", e.getReason());
        m.put("alertName", e.getAlertName());
        m.put("alertService", e.getAlertService());
        m.put("severity", e.getSeverity().name());
        if (e.getPreviousSeverity() != null) {
            m.put("previousSeverity", e.getPreviousSeverity().name());
        }
        if (e.getEscalationTier() != null) {
            m.put("tier", e.getEscalationTier() + 1);
        }
        m.put("target", e.getTarget());
        m.put("mergedInto", e.getMergedInto());
        m.put("evidence", entries(new java.util.TreeMap<>(e.getEvidence())));
        return m;
    }

    private static Map<String, Object> userModel(BoardUsers.User user) {
        if (user == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", user.name());
        m.put("role", user.role());
        return m;
    }

    static List<Map<String, String>> entries(Map<String, String> map) {
        List<Map<String, String>> out = new ArrayList<>();
        for (Map.Entry<String, String> e : map.entrySet()) {
            out.add(Map.of("key", e.getKey(), "value", e.getValue() == null ? "" : e.getValue()));
        }
        return out;
    }

    static String pathSegment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String duration(long millis) {
        long s = Math.max(0, millis) / 1000;
        if (s < 60) {
            return s + "s";
        }
        long m = s / 60;
        if (m < 60) {
            return m + "m " + (s % 60) + "s";
        }
        long h = m / 60;
        if (h < 48) {
            return h + "h " + (m % 60) + "m";
        }
        return (h / 24) + "d " + (h % 24) + "h";
    }

    private static Reply html(int status, Mustache template, Map<String, Object> model) {
        StringWriter w = new StringWriter(8192);
        template.execute(w, model);
        return new Reply(status, HTML, w.toString().getBytes(StandardCharsets.UTF_8));
    }
}

package io.tocsin.gateway;

import io.tocsin.config.LabelMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which remote-written series go on to the telemetry topic: a list of Prometheus series selectors
 * ({@code http_request_duration_seconds{job="api"}}, {@code {__name__=~"node_.*"}}); a series
 * passes when any selector matches all its labels ({@code __name__} included). An empty list passes
 * nothing: forwarding everything Prometheus scrapes would make one detector per series.
 */
public final class SeriesAllowList {

    private final List<List<LabelMatcher>> selectors;

    private SeriesAllowList(List<List<LabelMatcher>> selectors) {
        this.selectors = List.copyOf(selectors);
    }

    public static SeriesAllowList none() {
        return new SeriesAllowList(List.of());
    }

    /**
     * @throws IllegalArgumentException naming the selector and what is wrong with it
     */
    public static SeriesAllowList parse(List<String> selectors) {
        List<List<LabelMatcher>> out = new ArrayList<>();
        for (String s : selectors) {
            out.add(selector(s.trim()));
        }
        return new SeriesAllowList(out);
    }

    public boolean isEmpty() {
        return selectors.isEmpty();
    }

    public int size() {
        return selectors.size();
    }

    /**
     * @param labels the series labels, {@code __name__} included
     */
    public boolean allows(Map<String, String> labels) {
        for (List<LabelMatcher> sel : selectors) {
            boolean all = true;
            for (LabelMatcher m : sel) {
                if (!m.matches(labels)) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    private static List<LabelMatcher> selector(String s) {
        List<LabelMatcher> out = new ArrayList<>();
        int brace = s.indexOf('{');
        String name = brace < 0 ? s : s.substring(0, brace).trim();
        if (!name.isEmpty()) {
            if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
                throw new IllegalArgumentException(
                        "series selector '" + s + "': '" + name + "' is not a metric name");
            }
            out.add(new LabelMatcher("__name__", LabelMatcher.Op.EQ, name));
        }
        if (brace >= 0) {
            if (!s.endsWith("}")) {
                throw new IllegalArgumentException(
                        "series selector '" + s + "': missing closing '}'");
            }
            for (String part : splitMatchers(s.substring(brace + 1, s.length() - 1))) {
                try {
                    out.add(LabelMatcher.parse(part));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            "series selector '" + s + "': " + e.getMessage());
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(
                    "series selector '" + s + "': name a metric or at least one label matcher");
        }
        return out;
    }

    /** Splits {@code a="x,y",b=~"z"} on the commas outside quotes. */
    private static List<String> splitMatchers(String body) {
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (quoted && c == '\\' && i + 1 < body.length()) {
                cur.append(c).append(body.charAt(++i));
                continue;
            }
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                parts.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (!cur.toString().isBlank()) {
            parts.add(cur.toString());
        }
        return parts;
    }
}

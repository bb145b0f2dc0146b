package io.tocsin.config;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One Alertmanager label matcher: {@code name="value"}, {@code name!="value"}, {@code
 * name=~"regex"} or {@code name!~"regex"}. Regexes are fully anchored and a missing label reads as
 * the empty string, as in Alertmanager.
 */
public record LabelMatcher(String name, Op op, String value) implements Serializable {

    /** Comparison operator. */
    public enum Op {
        EQ("="),
        NEQ("!="),
        RE("=~"),
        NRE("!~");

        final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }
    }

    private static final Pattern SYNTAX =
            Pattern.compile(
                    "\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*");

    public LabelMatcher {
        if (op == Op.RE || op == Op.NRE) {
            try {
                Pattern.compile(value);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(
                        "bad regex \"" + value + "\": " + e.getDescription());
            }
        }
    }

    /**
     * Parses {@code name<op>"value"}.
     *
     * @throws IllegalArgumentException with a readable reason
     */
    public static LabelMatcher parse(String text) {
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "cannot parse matcher '"
                            + text
                            + "' (use name=\"value\", name!=\"value\", name=~\"regex\" or"
                            + " name!~\"regex\")");
        }
        Op op =
                switch (m.group(2)) {
                    case "=" -> Op.EQ;
                    case "!=" -> Op.NEQ;
                    case "=~" -> Op.RE;
                    default -> Op.NRE;
                };
        return new LabelMatcher(
                m.group(1), op, m.group(3).replace("\\\"", "\"").replace("\\\\", "\\"));
    }

    public boolean matches(Map<String, String> labels) {
        String v = labels.getOrDefault(name, "");
        return switch (op) {
            case EQ -> v.equals(value);
            case NEQ -> !v.equals(value);
            case RE -> regex().matcher(v).matches();
            case NRE -> !regex().matcher(v).matches();
        };
    }

    // Records cannot hold a transient cache; patterns are compiled per call and cached globally.
    private Pattern regex() {
        return PatternCache.get(value);
    }

    /** True when every matcher matches (an empty list matches nothing, to avoid muting all). */
    public static boolean allMatch(List<LabelMatcher> matchers, Map<String, String> labels) {
        if (matchers.isEmpty()) {
            return false;
        }
        for (LabelMatcher m : matchers) {
            if (!m.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return name + op.symbol + "\"" + value + "\"";
    }

    /** Bounded cache of compiled patterns shared by all matchers. */
    static final class PatternCache {
        private static final int MAX = 1024;
        private static final Map<String, Pattern> CACHE =
                java.util.Collections.synchronizedMap(
                        new java.util.LinkedHashMap<>(64, 0.75f, true) {
                            @Override
                            protected boolean removeEldestEntry(Map.Entry<String, Pattern> e) {
                                return size() > MAX;
                            }
                        });

        static Pattern get(String regex) {
            Pattern p = CACHE.get(regex);
            if (p == null) {
                p = Pattern.compile(regex);
                CACHE.put(regex, p);
            }
            return p;
        }
    }
}

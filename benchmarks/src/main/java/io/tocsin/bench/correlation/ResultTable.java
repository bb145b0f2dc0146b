package io.tocsin.bench.correlation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark's results: one row per scenario and method, then the mean per family and method
 * (the family the policy was tuned on marked "tuned", the others "held out") and the ratio of
 * Tocsin's means to each baseline's, as a console or Markdown table.
 */
final class ResultTable {

    /** One scenario's description. */
    record ScenarioInfo(String family, long seed, int size, int clusters, int notifications) {}

    private final String tunedOn;

    ResultTable(String tunedOn) {
        this.tunedOn = tunedOn;
    }

    private record Row(ScenarioInfo scenario, Scorer.Score score) {}

    private static final String[] HEAD = {
        "family",
        "seed",
        "size",
        "cl",
        "eps",
        "faults",
        "method",
        "inc",
        "F1",
        "P",
        "R",
        "ARI",
        "compr",
        "inc/fault",
        "RC@1",
        "lost",
        "dup",
        "cov",
        "open p50",
        "open p95"
    };

    private final List<Row> rows = new ArrayList<>();

    void add(ScenarioInfo scenario, Scorer.Score score) {
        rows.add(new Row(scenario, score));
    }

    /** Plain text, aligned, for the console. */
    String text() {
        List<String[]> cells = cells();
        int[] width = new int[HEAD.length];
        for (String[] r : cells) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (int j = 0; j < cells.size(); j++) {
            String[] r = cells.get(j);
            for (int i = 0; i < r.length; i++) {
                boolean left = i == 0 || i == 6;
                String c = left ? pad(r[i], width[i]) : padLeft(r[i], width[i]);
                b.append(c).append(i == 5 ? " | " : " ");
            }
            b.append('\n');
            if (j == 0) {
                b.append("-".repeat(b.length() - 1)).append('\n');
            }
        }
        b.append(ratios());
        return b.toString();
    }

    /** A Markdown table with the same content. */
    String markdown() {
        List<String[]> cells = cells();
        StringBuilder b = new StringBuilder();
        for (int j = 0; j < cells.size(); j++) {
            b.append("| ").append(String.join(" | ", cells.get(j))).append(" |\n");
            if (j == 0) {
                b.append("|").append("---|".repeat(HEAD.length)).append('\n');
            }
        }
        b.append('\n').append(ratios());
        return b.toString();
    }

    private List<String[]> cells() {
        List<String[]> out = new ArrayList<>();
        out.add(HEAD);
        for (Row r : rows) {
            Scorer.Score s = r.score();
            out.add(
                    row(
                            r.scenario().family(),
                            Long.toString(r.scenario().seed()),
                            Integer.toString(r.scenario().size()),
                            Integer.toString(r.scenario().clusters()),
                            Integer.toString(s.episodes()),
                            Integer.toString(s.faults()),
                            s.method(),
                            Integer.toString(s.incidents()),
                            s.f1(),
                            s.precision(),
                            s.recall(),
                            s.ari(),
                            s.compression(),
                            s.incidentsPerFault(),
                            s.rootCauseTop1(),
                            s.lost(),
                            s.duplicates(),
                            s.covered(),
                            s.openDelayMedian().toMillis() / 1000.0,
                            s.openDelayP95().toMillis() / 1000.0));
        }
        for (Map.Entry<String, Mean> m : means().entrySet()) {
            Mean a = m.getValue();
            out.add(
                    row(
                            a.family,
                            a.family.equals(tunedOn) ? "tuned" : "held out",
                            "mean",
                            "",
                            fmt0(a.episodes / a.n),
                            fmt0(a.faults / a.n),
                            a.method,
                            fmt0(a.incidents / a.n),
                            a.f1 / a.n,
                            a.precision / a.n,
                            a.recall / a.n,
                            a.ari / a.n,
                            a.compression / a.n,
                            a.incidentsPerFault / a.n,
                            a.rootCause / a.n,
                            a.lost,
                            a.duplicates,
                            a.covered,
                            a.delayMedian / a.n,
                            a.delayP95 / a.n));
        }
        return out;
    }

    /** Tocsin's mean over each baseline's mean, for the metrics where higher is better. */
    private String ratios() {
        Map<String, Mean> means = means();
        StringBuilder b = new StringBuilder("mean rows: lost, dup and cov are totals\n");
        for (Mean o : means.values()) {
            Mean tocsin = means.get(o.family + "/tocsin");
            if (tocsin == null || o.method.equals("tocsin")) {
                continue;
            }
            b.append(
                    String.format(
                            Locale.ROOT,
                            "%s: tocsin / %s (means): F1 x%.2f, ARI x%.2f, compression x%.2f,"
                                    + " RC@1 x%.2f; incidents per fault %.2f vs %.2f%n",
                            o.family,
                            o.method,
                            tocsin.f1 / o.f1,
                            tocsin.ari / o.ari,
                            tocsin.compression / o.compression,
                            tocsin.rootCause / o.rootCause,
                            tocsin.incidentsPerFault / tocsin.n,
                            o.incidentsPerFault / o.n));
        }
        return b.toString();
    }

    private static final class Mean {
        String family;
        String method;
        double n;
        double episodes;
        double faults;
        double incidents;
        double f1;
        double precision;
        double recall;
        double ari;
        double compression;
        double incidentsPerFault;
        double rootCause;
        long lost;
        long duplicates;
        long covered;
        double delayMedian;
        double delayP95;
    }

    private Map<String, Mean> means() {
        Map<String, Mean> out = new LinkedHashMap<>();
        for (Row r : rows) {
            Scorer.Score s = r.score();
            Mean m =
                    out.computeIfAbsent(
                            r.scenario().family() + "/" + s.method(),
                            k -> {
                                Mean fresh = new Mean();
                                fresh.family = r.scenario().family();
                                fresh.method = s.method();
                                return fresh;
                            });
            m.n++;
            m.episodes += s.episodes();
            m.faults += s.faults();
            m.incidents += s.incidents();
            m.f1 += s.f1();
            m.precision += s.precision();
            m.recall += s.recall();
            m.ari += s.ari();
            m.compression += s.compression();
            m.incidentsPerFault += s.incidentsPerFault();
            m.rootCause += s.rootCauseTop1();
            m.lost += s.lost();
            m.duplicates += s.duplicates();
            m.covered += s.covered();
            m.delayMedian += s.openDelayMedian().toMillis() / 1000.0;
            m.delayP95 += s.openDelayP95().toMillis() / 1000.0;
        }
        return out;
    }

    private static String[] row(Object... values) {
        String[] out = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            if (v instanceof Double d) {
                // Delays (the last two columns) in seconds with one decimal, ratios with three.
                out[i] =
                        i >= values.length - 2
                                ? String.format(Locale.ROOT, "%.1fs", d)
                                : String.format(Locale.ROOT, "%.3f", d);
            } else {
                out[i] = String.valueOf(v);
            }
        }
        return out;
    }

    private static String fmt0(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(Math.max(0, w - s.length()));
    }

    private static String padLeft(String s, int w) {
        return " ".repeat(Math.max(0, w - s.length())) + s;
    }
}

package io.tocsin.bench.nab;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * NAB's data files in memory, in the labels' order: each file's rows (timestamp, value) and its
 * category (the directory it lives in), so detectors can be run over the corpus many times without
 * re-reading it.
 */
public final class NabCorpus {

    /** One data file: its path relative to data/, its category, its rows. */
    public record Series(
            String relativePath,
            String category,
            List<LocalDateTime> timestamps,
            long[] millis,
            double[] values) {}

    private final List<Series> series;

    private NabCorpus(List<Series> series) {
        this.series = List.copyOf(series);
    }

    /** Reads every labelled file under {@code dataDir}. */
    public static NabCorpus load(Path dataDir, NabLabels labels) throws IOException {
        List<Series> out = new ArrayList<>();
        for (String relative : labels.files()) {
            out.add(read(dataDir.resolve(relative), relative));
        }
        return new NabCorpus(out);
    }

    public List<Series> series() {
        return series;
    }

    /** The categories, sorted. */
    public List<String> categories() {
        TreeSet<String> c = new TreeSet<>();
        series.forEach(s -> c.add(s.category()));
        return List.copyOf(c);
    }

    /** The category of a relative path: its first directory. */
    public static String categoryOf(String relativePath) {
        int slash = relativePath.indexOf('/');
        return slash < 0 ? "" : relativePath.substring(0, slash);
    }

    /** Runs a fresh scorer over every file, point by point, and returns the scored files. */
    public List<ScoredFile> score(java.util.function.Supplier<SeriesScorer> scorers) {
        List<ScoredFile> out = new ArrayList<>(series.size());
        for (Series s : series) {
            SeriesScorer scorer = scorers.get();
            double[] scores = new double[s.values().length];
            for (int i = 0; i < scores.length; i++) {
                double v = scorer.score(s.millis()[i], s.values()[i]);
                scores[i] = Double.isFinite(v) ? v : 0;
            }
            out.add(new ScoredFile(s.relativePath(), s.timestamps(), scores));
        }
        return out;
    }

    private static Series read(Path file, String relative) throws IOException {
        List<LocalDateTime> ts = new ArrayList<>();
        List<Double> vs = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file)) {
            String header = in.readLine();
            if (header == null || !header.trim().startsWith("timestamp,value")) {
                throw new IOException(file + ": expected a timestamp,value header");
            }
            String line;
            int lineNo = 1;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",", -1);
                try {
                    ts.add(NabTimes.parse(f[0]));
                    vs.add(Double.parseDouble(f[1].trim()));
                } catch (RuntimeException e) {
                    throw new IOException(file + ":" + lineNo + ": " + e.getMessage(), e);
                }
            }
        }
        long[] millis = new long[ts.size()];
        double[] values = new double[ts.size()];
        for (int i = 0; i < millis.length; i++) {
            millis[i] = ts.get(i).toInstant(ZoneOffset.UTC).toEpochMilli();
            values[i] = vs.get(i);
        }
        return new Series(relative, categoryOf(relative), List.copyOf(ts), millis, values);
    }
}

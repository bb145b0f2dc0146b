package io.tocsin.bench.nab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * NAB's ground truth: the anomaly windows of every data file, keyed by the file's path relative to
 * the data directory ({@code realKnownCause/nyc_taxi.csv}), read from {@code
 * combined_windows.json}.
 */
public final class NabLabels {

    private final Map<String, List<AnomalyWindow>> windows;

    private NabLabels(Map<String, List<AnomalyWindow>> windows) {
        this.windows = windows;
    }

    public static NabLabels load(Path combinedWindowsJson) throws IOException {
        JsonNode root = new ObjectMapper().readTree(combinedWindowsJson.toFile());
        Map<String, List<AnomalyWindow>> windows = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            List<AnomalyWindow> list = new ArrayList<>();
            for (JsonNode w : e.getValue()) {
                if (!w.isArray() || w.size() != 2) {
                    throw new IOException(
                            combinedWindowsJson
                                    + ": "
                                    + e.getKey()
                                    + ": window is not [start, end]");
                }
                list.add(
                        new AnomalyWindow(
                                NabTimes.parse(w.get(0).asText()),
                                NabTimes.parse(w.get(1).asText())));
            }
            list.sort((a, b) -> a.start().compareTo(b.start()));
            windows.put(e.getKey(), Collections.unmodifiableList(list));
        }
        return new NabLabels(Collections.unmodifiableMap(windows));
    }

    /** The labels of the named files only: to score a part of the corpus on its own. */
    public NabLabels only(Collection<String> relativePaths) {
        Map<String, List<AnomalyWindow>> part = new TreeMap<>();
        for (String f : relativePaths) {
            part.put(f, windows(f));
        }
        return new NabLabels(Collections.unmodifiableMap(part));
    }

    /** Relative paths of every labelled file, sorted. */
    public List<String> files() {
        return List.copyOf(windows.keySet());
    }

    /** The windows of one file, in time order; empty when it has none. */
    public List<AnomalyWindow> windows(String relativePath) {
        List<AnomalyWindow> w = windows.get(relativePath);
        if (w == null) {
            throw new IllegalArgumentException("no labels for " + relativePath);
        }
        return w;
    }

    /** Number of windows over the whole corpus: the perfect detector's raw score per unit A_TP. */
    public int windowCount() {
        return windows.values().stream().mapToInt(List::size).sum();
    }
}

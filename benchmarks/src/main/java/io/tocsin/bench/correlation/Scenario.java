package io.tocsin.bench.correlation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One generated scenario: the topology, the alerts file lines (sorted by receivedAt), the ground
 * truth and, for families that have it, telemetry lines (service-mesh request metrics). {@link
 * #write} lays them out as {@code topology.json}, {@code alerts.jsonl}, {@code truth.json} and
 * {@code telemetry.jsonl}, ready for {@code tocsin backtest --alerts ... --topology ...
 * [--telemetry ...]}.
 */
public record Scenario(
        ScenarioTopology topology,
        List<String> alertLines,
        GroundTruth truth,
        List<String> telemetryLines) {

    public static final String TOPOLOGY_FILE = "topology.json";
    public static final String ALERTS_FILE = "alerts.jsonl";
    public static final String TRUTH_FILE = "truth.json";
    public static final String TELEMETRY_FILE = "telemetry.jsonl";

    public Scenario {
        alertLines = List.copyOf(alertLines);
        telemetryLines = List.copyOf(telemetryLines);
    }

    public Scenario(ScenarioTopology topology, List<String> alertLines, GroundTruth truth) {
        this(topology, alertLines, truth, List.of());
    }

    /**
     * Faults that overlap in time with another fault (of the same cluster, where every service runs
     * in every cluster) whose alerting services are at most one dependency apart: the cases where
     * the topology alone cannot tell the two apart, a rough measure of how hard the scenario is.
     */
    public int concurrentNeighbourFaults() {
        Map<String, long[]> span = new HashMap<>();
        for (GroundTruth.Episode e : truth.episodes()) {
            long[] s = span.computeIfAbsent(e.fault(), k -> new long[] {Long.MAX_VALUE, 0});
            s[0] = Math.min(s[0], e.startsAt().toEpochMilli());
            s[1] = Math.max(s[1], e.endsAt().toEpochMilli());
        }
        List<GroundTruth.Fault> faults = truth.faults();
        Set<String> hard = new HashSet<>();
        for (int i = 0; i < faults.size(); i++) {
            for (int j = i + 1; j < faults.size(); j++) {
                GroundTruth.Fault a = faults.get(i);
                GroundTruth.Fault b = faults.get(j);
                long[] sa = span.get(a.id());
                long[] sb = span.get(b.id());
                if ((a.cluster().equals(b.cluster()) || !topology.everyServiceInEveryCluster())
                        && sa[0] < sb[1]
                        && sb[0] < sa[1]
                        && adjacent(a.services(), b.services())) {
                    hard.add(a.id());
                    hard.add(b.id());
                }
            }
        }
        return hard.size();
    }

    private boolean adjacent(List<String> a, List<String> b) {
        Map<String, List<String>> calls = topology.dependsOn();
        for (String x : a) {
            for (String y : b) {
                if (x.equals(y)
                        || calls.getOrDefault(x, List.of()).contains(y)
                        || calls.getOrDefault(y, List.of()).contains(x)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Writes the three files into {@code dir} (created when missing). */
    public void write(Path dir) {
        try {
            Files.createDirectories(dir);
            topology.write(dir.resolve(TOPOLOGY_FILE));
            Files.write(dir.resolve(ALERTS_FILE), alertLines, StandardCharsets.UTF_8);
            truth.write(dir.resolve(TRUTH_FILE));
            if (!telemetryLines.isEmpty()) {
                Files.write(dir.resolve(TELEMETRY_FILE), telemetryLines, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the scenario to " + dir, e);
        }
    }
}

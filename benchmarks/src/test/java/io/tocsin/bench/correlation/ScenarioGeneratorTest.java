package io.tocsin.bench.correlation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.config.Topology;
import io.tocsin.config.TopologyLoader;
import io.tocsin.ingest.Fingerprint;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated scenario is deterministic, consistent with its truth and with the contracts. */
class ScenarioGeneratorTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final ScenarioGenerator.Settings SETTINGS = ScenarioGenerator.Settings.forSize(40);

    @Test
    void sameSeedSameScenarioOtherSeedAnother() {
        Scenario a = ScenarioGenerator.generate(7, SETTINGS);
        Scenario b = ScenarioGenerator.generate(7, SETTINGS);
        Scenario c = ScenarioGenerator.generate(8, SETTINGS);
        assertThat(a.alertLines()).isEqualTo(b.alertLines());
        assertThat(a.truth()).isEqualTo(b.truth());
        assertThat(a.topology()).isEqualTo(b.topology());
        assertThat(a.alertLines()).isNotEqualTo(c.alertLines());
    }

    @Test
    void topologyFollowsTheTiersAndTheFileContract(@TempDir Path dir) {
        Scenario s = ScenarioGenerator.generate(3, SETTINGS);
        SyntheticTopology topology = (SyntheticTopology) s.topology();
        Map<String, SyntheticTopology.Node> nodes = topology.byName();
        assertThat(nodes).hasSize(40);
        for (SyntheticTopology.Node n : nodes.values()) {
            int tier = SyntheticTopology.TIERS.indexOf(n.tier());
            assertThat(tier).as(n.name()).isGreaterThanOrEqualTo(0);
            if (tier < 3) {
                assertThat(n.dependsOn()).as(n.name()).isNotEmpty().hasSizeLessThanOrEqualTo(3);
            } else {
                assertThat(n.dependsOn()).as(n.name()).isEmpty();
            }
            for (String d : n.dependsOn()) {
                assertThat(SyntheticTopology.TIERS.indexOf(nodes.get(d).tier()))
                        .as(n.name() + " -> " + d)
                        .isGreaterThan(tier);
            }
            if (tier > 0) {
                assertThat(topology.callers(n.name())).as(n.name()).isNotEmpty();
            }
        }
        s.write(dir);
        Topology loaded = TopologyLoader.load(dir.resolve(Scenario.TOPOLOGY_FILE));
        assertThat(loaded.services()).hasSize(40);
        for (SyntheticTopology.Node n : nodes.values()) {
            assertThat(loaded.services().get(n.name()).tier()).isEqualTo(n.tier());
            assertThat(loaded.services().get(n.name()).team()).isEqualTo(n.team());
            assertThat(loaded.dependencies(n.name())).isEqualTo(n.dependsOn());
        }
        assertThat(GroundTruth.read(dir.resolve(Scenario.TRUTH_FILE))).isEqualTo(s.truth());
    }

    @Test
    void everyNotificationBelongsToATruthEpisodeAndEveryEpisodeIsDelivered() throws Exception {
        Scenario s = ScenarioGenerator.generate(11, SETTINGS);
        Map<EpisodeKey, GroundTruth.Episode> truth = new HashMap<>();
        for (GroundTruth.Episode e : s.truth().episodes()) {
            assertThat(truth.put(e.key(), e)).as("episode %s twice", e.key()).isNull();
        }
        Set<EpisodeKey> delivered = new HashSet<>();
        Instant previous = Instant.MIN;
        int resolved = 0;
        Set<String> distinctLines = new HashSet<>();
        for (String line : s.alertLines()) {
            JsonNode n = JSON.readTree(line);
            Map<String, String> labels = new TreeMap<>();
            n.get("labels")
                    .fields()
                    .forEachRemaining(f -> labels.put(f.getKey(), f.getValue().asText()));
            assertThat(labels.keySet())
                    .containsExactly("alertname", "cluster", "instance", "service", "severity");
            assertThat(n.get("annotations").get("summary").asText()).isNotBlank();
            Instant received = Instant.parse(n.get("receivedAt").asText());
            assertThat(received).as("sorted by receivedAt").isAfterOrEqualTo(previous);
            previous = received;
            EpisodeKey k =
                    new EpisodeKey(
                            Fingerprint.of(labels), Instant.parse(n.get("startsAt").asText()));
            GroundTruth.Episode e = truth.get(k);
            assertThat(e).as("notification of an unknown episode: %s", line).isNotNull();
            assertThat(received).isAfterOrEqualTo(e.startsAt());
            if (n.get("status").asText().equals("firing")) {
                assertThat(received).isBefore(e.endsAt());
                assertThat(n.get("endsAt").asText()).isEqualTo("0001-01-01T00:00:00Z");
                delivered.add(k);
            } else {
                resolved++;
                assertThat(Instant.parse(n.get("endsAt").asText())).isEqualTo(e.endsAt());
            }
            distinctLines.add(line.replaceAll("\"receivedAt\":\"[^\"]*\"", ""));
        }
        assertThat(delivered).isEqualTo(truth.keySet());
        // One resolve per episode plus the HA copies; re-sends make most lines repeats.
        assertThat(resolved).isBetween(truth.size(), 2 * truth.size());
        assertThat(distinctLines.size()).isLessThan(s.alertLines().size() / 3);
        assertThat(s.truth().notifications()).isEqualTo(s.alertLines().size());
    }

    @Test
    void haDuplicatesArriveAbout300msLaterForAboutAThird() throws Exception {
        Scenario s = ScenarioGenerator.generate(5, SETTINGS);
        int copies = 0;
        String previous = null;
        Instant previousAt = null;
        for (String line : s.alertLines()) {
            Instant at = Instant.parse(JSON.readTree(line).get("receivedAt").asText());
            String body = line.replaceAll("\"receivedAt\":\"[^\"]*\"", "");
            if (body.equals(previous) && at.toEpochMilli() - previousAt.toEpochMilli() == 300) {
                copies++;
            }
            previous = body;
            previousAt = at;
        }
        int originals = s.alertLines().size() - copies;
        assertThat(copies / (double) originals).isBetween(0.2, 0.4);
    }

    @Test
    void cascadesStartAtTheirRootAndFaultsAgreeWithTheirEpisodes() {
        Scenario s = ScenarioGenerator.generate(2, ScenarioGenerator.Settings.forSize(100));
        assertThat(s.truth().clusters()).hasSize(3);
        Map<String, GroundTruth.Fault> faults = s.truth().faultsById();
        Map<String, Integer> counts = new HashMap<>();
        Map<String, Set<String>> services = new HashMap<>();
        Map<String, Instant> firstStart = new HashMap<>();
        Map<String, String> firstService = new HashMap<>();
        for (GroundTruth.Episode e : s.truth().episodes()) {
            GroundTruth.Fault f = faults.get(e.fault());
            assertThat(f).isNotNull();
            assertThat(e.cluster()).isEqualTo(f.cluster());
            counts.merge(f.id(), 1, Integer::sum);
            services.computeIfAbsent(f.id(), k -> new HashSet<>()).add(e.service());
            if (!firstStart.containsKey(f.id())) {
                firstStart.put(f.id(), e.startsAt()); // episodes are sorted by startsAt
                firstService.put(f.id(), e.service());
            }
            assertThat(e.firstReceivedAt()).isAfterOrEqualTo(e.startsAt());
            assertThat(f.firstAlertAt()).isBeforeOrEqualTo(e.firstReceivedAt());
        }
        int cascades = 0;
        int spread = 0;
        for (GroundTruth.Fault f : s.truth().faults()) {
            assertThat(counts.get(f.id())).as(f.id()).isEqualTo(f.episodes());
            assertThat(Set.copyOf(f.services())).isEqualTo(services.get(f.id()));
            assertThat(f.firstStartsAt()).isEqualTo(firstStart.get(f.id()));
            assertThat(firstService.get(f.id())).as(f.id()).isEqualTo(f.rootCauseService());
            switch (f.kind()) {
                case GroundTruth.NOISE -> assertThat(f.episodes()).isEqualTo(1);
                case GroundTruth.FLAPPING -> assertThat(f.episodes()).isBetween(5, 8);
                default -> {
                    cascades++;
                    spread += f.services().size() > 1 ? 1 : 0;
                }
            }
        }
        assertThat(cascades).isGreaterThan(20);
        assertThat(spread / (double) cascades).isGreaterThan(0.7);
    }

    @Test
    void aServiceNeverServesTwoFaultsWithin10Minutes() {
        Scenario s = ScenarioGenerator.generate(9, ScenarioGenerator.Settings.forSize(100));
        Map<String, Map<String, long[]>> spans = new TreeMap<>();
        for (GroundTruth.Episode e : s.truth().episodes()) {
            long[] span =
                    spans.computeIfAbsent(e.cluster() + "/" + e.service(), k -> new TreeMap<>())
                            .computeIfAbsent(e.fault(), k -> new long[] {Long.MAX_VALUE, 0});
            span[0] = Math.min(span[0], e.startsAt().toEpochMilli());
            span[1] = Math.max(span[1], e.endsAt().toEpochMilli());
        }
        for (Map.Entry<String, Map<String, long[]>> svc : spans.entrySet()) {
            List<long[]> list = List.copyOf(svc.getValue().values());
            for (int i = 0; i < list.size(); i++) {
                for (int j = i + 1; j < list.size(); j++) {
                    long[] a = list.get(i);
                    long[] b = list.get(j);
                    boolean apart = a[1] + 600_000 <= b[0] || b[1] + 600_000 <= a[0];
                    assertThat(apart).as(svc.getKey()).isTrue();
                }
            }
        }
    }
}

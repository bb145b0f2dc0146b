package io.tocsin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.config.Policy;
import io.tocsin.config.Topology;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backtest command over the bundled storm: the file contract and byte-for-byte determinism. */
class BacktestITCase {

    @TempDir static Path dir;
    static Path input;

    @BeforeAll
    static void writeInput() throws Exception {
        List<String> lines = new ArrayList<>(resource("demo/storm.jsonl"));
        List<String> bad = resource("demo/bad-records.jsonl");
        lines.addAll(100, bad);
        input = dir.resolve("storm-with-bad.jsonl");
        Files.write(input, lines, StandardCharsets.UTF_8);
    }

    static List<String> resource(String name) throws Exception {
        try (InputStream in = BacktestITCase.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(l -> !l.isBlank())
                    .toList();
        }
    }

    @Test
    void withTheTopologyTheCascadeIsOneIncidentRootedAtTheDatabaseAtAnyParallelism()
            throws Exception {
        Path topologyFile = dir.resolve("topology.json");
        Files.writeString(topologyFile, String.join("\n", resource("demo/topology.json")));
        Topology topology = io.tocsin.config.TopologyLoader.load(topologyFile);
        Path p1 = dir.resolve("topo-p1");
        Path p4 = dir.resolve("topo-p4");
        // The demo policy: escalation chains, on-call schedules and the CEP patterns all run.
        Policy policy = io.tocsin.config.PolicyLoader.loadResource("demo/policy.yaml");
        BacktestCommand.backtest(input, p1, policy, topology, 1);
        BacktestCommand.backtest(input, p4, policy, topology, 4);
        for (String f : List.of("incident-events.jsonl", "pages.jsonl")) {
            assertThat(Files.readAllBytes(p4.resolve(f)))
                    .as(f)
                    .isEqualTo(Files.readAllBytes(p1.resolve(f)));
        }
        assertThat(Files.readAllLines(p1.resolve("pages.jsonl"))).isNotEmpty();
        assertThat(Files.readAllLines(p1.resolve("incident-events.jsonl")))
                .anyMatch(l -> l.contains("\"type\":\"ESCALATED\""));

        // Ground truth (demo/storm-truth.json): every alert of the first users-pg fault is in one
        // incident, whose root cause is users-pg; the search fault is another, rooted at search-es.
        ObjectMapper json = new ObjectMapper();
        JsonNode truth = json.readTree(String.join("\n", resource("demo/storm-truth.json")));
        Map<String, String> incidentOf = new java.util.HashMap<>();
        Map<String, String> rootOf = new java.util.HashMap<>();
        for (String l : Files.readAllLines(p1.resolve("incident-events.jsonl"))) {
            JsonNode e = json.readTree(l);
            String id = e.get("incidentId").asText();
            if (e.hasNonNull("fingerprint")
                    && !incidentOf.containsKey(e.get("fingerprint").asText())) {
                incidentOf.put(e.get("fingerprint").asText(), id);
            }
            if (e.hasNonNull("rootCauseService")) {
                rootOf.put(id, e.get("rootCauseService").asText());
            }
        }
        for (JsonNode episode : truth.get("episodes")) {
            String id = episode.get("id").asText();
            if (!id.equals("users-pg-connections-1") && !id.equals("search-es-disk")) {
                continue;
            }
            Set<String> incidents = new HashSet<>();
            for (JsonNode alert : episode.get("alerts")) {
                java.util.Map<String, String> labels = new java.util.TreeMap<>();
                alert.get("labels")
                        .fields()
                        .forEachRemaining(f -> labels.put(f.getKey(), f.getValue().asText()));
                String incident = incidentOf.get(io.tocsin.ingest.Fingerprint.of(labels));
                assertThat(incident).as("%s: alert %s reached an incident", id, labels).isNotNull();
                incidents.add(incident);
            }
            assertThat(incidents).as("%s is one incident", id).hasSize(1);
            assertThat(rootOf.get(incidents.iterator().next()))
                    .isEqualTo(id.equals("search-es-disk") ? "search-es" : "users-pg");
        }
    }

    @Test
    void sameInputGivesTheSameBytesAtParallelism1And4() throws Exception {
        Path p1 = dir.resolve("p1");
        Path p4 = dir.resolve("p4");
        Map<String, Long> c1 =
                BacktestCommand.backtest(input, p1, Policy.defaults(), Topology.empty(), 1);
        Map<String, Long> c4 =
                BacktestCommand.backtest(input, p4, Policy.defaults(), Topology.empty(), 4);
        assertThat(c4).isEqualTo(c1);
        for (String f :
                List.of("incident-events.jsonl", "dead-letters.jsonl", "alert-transitions.jsonl")) {
            assertThat(Files.readAllBytes(p4.resolve(f)))
                    .as(f)
                    .isEqualTo(Files.readAllBytes(p1.resolve(f)));
        }

        ObjectMapper json = new ObjectMapper();
        List<JsonNode> events = new ArrayList<>();
        for (String l : Files.readAllLines(p1.resolve("incident-events.jsonl"))) {
            events.add(json.readTree(l));
        }
        assertThat(events).isNotEmpty();
        Set<String> types = new HashSet<>();
        for (JsonNode e : events) {
            types.add(e.get("type").asText());
            assertThat(e.get("incidentId").asText()).startsWith("INC-");
            assertThat(e.get("eventTime").asText())
                    .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
            assertThat(e.has("severity") && e.has("services") && e.has("rootCauseService"))
                    .isTrue();
            if (Set.of("OPENED", "ALERT_ADDED", "ALERT_RESOLVED")
                    .contains(e.get("type").asText())) {
                assertThat(e.get("fingerprint").isNull())
                        .as("fingerprint on alert events")
                        .isFalse();
            }
        }
        assertThat(types).contains("OPENED", "ALERT_ADDED", "ALERT_RESOLVED", "RESOLVED");

        List<String> dead = Files.readAllLines(p1.resolve("dead-letters.jsonl"));
        List<String> bad = resource("demo/bad-records.jsonl");
        assertThat(dead).hasSize(bad.size());
        for (int i = 0; i < dead.size(); i++) {
            JsonNode d = json.readTree(dead.get(i));
            assertThat(d.get("line").asLong()).isEqualTo(101 + i);
            assertThat(d.get("original").asText()).isEqualTo(bad.get(i));
            assertThat(d.get("reason").asText()).isNotBlank();
        }
    }
}

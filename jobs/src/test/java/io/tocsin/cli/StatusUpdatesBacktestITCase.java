package io.tocsin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.config.Policy;
import io.tocsin.config.PolicyLoader;
import io.tocsin.config.Topology;
import io.tocsin.config.TopologyLoader;
import io.tocsin.pipeline.BacktestSinks;
import io.tocsin.pipeline.FileSources;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo storm (with its telemetry, topology and policy) through the whole job at parallelism 1
 * and 3: the status updates of the main incident (the users-pg database outage, which resolves and
 * reopens) are exactly these, and the file is byte-identical at both parallelisms.
 */
class StatusUpdatesBacktestITCase {

    private static final String MAIN = "INC-3381eed137f9";

    @TempDir Path dir;

    private Path copy(String resource) throws Exception {
        Path p = dir.resolve(Path.of(resource).getFileName());
        Files.write(p, BacktestITCase.resource(resource), StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void theMainIncidentsUpdatesAreExactlyTheseAtParallelism1And3() throws Exception {
        Path alerts = copy("demo/storm.jsonl");
        Path telemetry = copy("demo/telemetry.jsonl");
        Topology topology = TopologyLoader.load(copy("demo/topology.json"));
        Policy policy = PolicyLoader.loadResource("demo/policy.yaml");
        Path p1 = dir.resolve("p1");
        Path p3 = dir.resolve("p3");
        BacktestCommand.backtest(new FileSources(alerts, null, telemetry), p1, policy, topology, 1);
        BacktestCommand.backtest(new FileSources(alerts, null, telemetry), p3, policy, topology, 3);
        byte[] one = Files.readAllBytes(p1.resolve(BacktestSinks.STATUS_UPDATES));
        assertThat(Files.readAllBytes(p3.resolve(BacktestSinks.STATUS_UPDATES))).isEqualTo(one);

        ObjectMapper json = new ObjectMapper();
        List<String> main = new ArrayList<>();
        List<String> customerTexts = new ArrayList<>();
        for (String line : Files.readAllLines(p1.resolve(BacktestSinks.STATUS_UPDATES))) {
            JsonNode u = json.readTree(line);
            String audience = u.get("audience").asText();
            if (audience.equals("customer")) {
                customerTexts.add(u.get("subject").asText() + " " + u.get("text").asText());
            }
            if (!u.get("incidentId").asText().equals(MAIN)) {
                continue;
            }
            main.add(
                    u.get("updateId").asText()
                            + " "
                            + u.get("eventTime").asText()
                            + " "
                            + u.get("triggers")
                            + " "
                            + u.get("severity").asText()
                            + " "
                            + u.get("channels")
                            + (u.get("first").asBoolean() ? " first" : ""));
            if (audience.equals("customer") && u.get("seq").asLong() == 4) {
                assertThat(u.get("subject").asText())
                        .isEqualTo("Investigating: Major outage of the shop");
                assertThat(u.get("text").asText())
                        .isEqualTo(
                                "Investigating - since 2026-11-02 02:01 UTC many shoppers cannot"
                                        + " sign in or check out. Our team is working on a fix; we"
                                        + " will update this page as soon as we know more.");
            }
            if (audience.equals("executive") && u.get("seq").asLong() == 40) {
                assertThat(u.get("text").asText())
                        .isEqualTo(
                                "SEV1 INC-3381eed137f9 resolved after 26 min (impact: many"
                                        + " shoppers cannot sign in or check out).");
            }
        }
        String i = MAIN + "/";
        assertThat(main)
                .containsExactly(
                        // opened by the connection-count anomaly at SEV3
                        i + "business/1 2026-11-02T02:01:00Z [\"OPENED\"] SEV3 [\"email\"] first",
                        i + "technical/1 2026-11-02T02:01:00Z [\"OPENED\"] SEV3 [\"chat\"] first",
                        // SEV1: executive and customer are told; technical's 2m are over
                        i
                                + "customer/4 2026-11-02T02:03:38.030Z [\"SEVERITY_CHANGED\"] SEV1"
                                + " [\"status-page\"] first",
                        i
                                + "executive/4 2026-11-02T02:03:38.030Z [\"SEVERITY_CHANGED\"] SEV1"
                                + " [\"email\",\"sms\"] first",
                        i
                                + "technical/4 2026-11-02T02:03:38.030Z [\"SEVERITY_CHANGED\"] SEV1"
                                + " [\"page\",\"chat\"]",
                        // business's 5m held the change back; the next event after them sends it
                        i
                                + "business/16 2026-11-02T02:06:00Z [\"SEVERITY_CHANGED\"] SEV1"
                                + " [\"email\"]",
                        i + "business/40 2026-11-02T02:27:10.334Z [\"RESOLVED\"] SEV1 [\"email\"]",
                        i
                                + "customer/40 2026-11-02T02:27:10.334Z [\"RESOLVED\"] SEV1"
                                + " [\"status-page\"]",
                        i
                                + "executive/40 2026-11-02T02:27:10.334Z [\"RESOLVED\"] SEV1"
                                + " [\"email\",\"sms\"]",
                        i
                                + "technical/40 2026-11-02T02:27:10.334Z [\"RESOLVED\"] SEV1"
                                + " [\"page\",\"chat\"]",
                        // the recurrence reopens it: everyone is told again
                        i
                                + "business/41 2026-11-02T02:29:42.152Z [\"OPENED\"] SEV1"
                                + " [\"email\"] first",
                        i
                                + "customer/41 2026-11-02T02:29:42.152Z [\"OPENED\"] SEV1"
                                + " [\"status-page\"] first",
                        i
                                + "executive/41 2026-11-02T02:29:42.152Z [\"OPENED\"] SEV1"
                                + " [\"email\",\"sms\"] first",
                        i
                                + "technical/41 2026-11-02T02:29:42.152Z [\"OPENED\"] SEV1"
                                + " [\"page\",\"chat\"] first",
                        i + "business/53 2026-11-02T02:43:52.356Z [\"RESOLVED\"] SEV1 [\"email\"]",
                        i
                                + "customer/53 2026-11-02T02:43:52.356Z [\"RESOLVED\"] SEV1"
                                + " [\"status-page\"]",
                        i
                                + "executive/53 2026-11-02T02:43:52.356Z [\"RESOLVED\"] SEV1"
                                + " [\"email\",\"sms\"]",
                        i
                                + "technical/53 2026-11-02T02:43:52.356Z [\"RESOLVED\"] SEV1"
                                + " [\"page\",\"chat\"]");

        // no customer-facing update of any incident names a service, a person or an alert
        assertThat(customerTexts).isNotEmpty();
        for (String t : customerTexts) {
            for (String name : topology.services().keySet()) {
                assertThat(t).as(t).doesNotContain(name);
            }
            assertThat(t).doesNotContain("INC-").doesNotContain("SEV").doesNotContain("Alert");
        }
    }
}

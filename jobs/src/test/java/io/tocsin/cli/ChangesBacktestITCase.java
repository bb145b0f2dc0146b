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
 * The demo storm (telemetry, topology, policy) with four changes (changes/demo-changes.jsonl)
 * through the whole job at parallelism 1 and 3: a deploy on users-pg 5 min before the users-pg
 * incident's first alert (02:00, the connection anomaly), a decoy config change on
 * notifications-svc (no incident service depends on it), a config change on cart-svc (one hop below
 * web-frontend and checkout-api) and a users-pg config change at 02:10, after the incident started.
 * Every output file, changes.jsonl included, is byte-identical at both parallelisms, and the
 * CHANGE_SUSPECTED events are exactly these.
 */
class ChangesBacktestITCase {

    private static final String MAIN = "INC-3381eed137f9";

    @TempDir Path dir;

    private Path copy(String resource) throws Exception {
        Path p = dir.resolve(Path.of(resource).getFileName());
        Files.write(p, BacktestITCase.resource(resource), StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void theDeployIsTheTopSuspectAtParallelism1And3() throws Exception {
        Path alerts = copy("demo/storm.jsonl");
        Path telemetry = copy("demo/telemetry.jsonl");
        Path changes = copy("changes/demo-changes.jsonl");
        Topology topology = TopologyLoader.load(copy("demo/topology.json"));
        Policy policy = PolicyLoader.loadResource("demo/policy.yaml");
        Path p1 = dir.resolve("p1");
        Path p3 = dir.resolve("p3");
        BacktestCommand.backtest(
                new FileSources(alerts, null, telemetry).withChanges(changes),
                p1,
                policy,
                topology,
                1);
        BacktestCommand.backtest(
                new FileSources(alerts, null, telemetry).withChanges(changes),
                p3,
                policy,
                topology,
                3);
        for (String f :
                List.of(
                        BacktestSinks.INCIDENT_EVENTS,
                        BacktestSinks.CHANGES,
                        BacktestSinks.PAGES,
                        BacktestSinks.STATUS_UPDATES,
                        BacktestSinks.DEAD_LETTERS)) {
            assertThat(Files.readAllBytes(p3.resolve(f)))
                    .as("%s at parallelism 3", f)
                    .isEqualTo(Files.readAllBytes(p1.resolve(f)));
        }

        ObjectMapper json = new ObjectMapper();
        List<String> accepted = new ArrayList<>();
        for (String line : Files.readAllLines(p1.resolve(BacktestSinks.CHANGES))) {
            JsonNode c = json.readTree(line);
            accepted.add(c.get("time").asText() + " " + c.get("changeId").asText());
        }
        assertThat(accepted)
                .as("changes.jsonl: every accepted change, in change-time order")
                .containsExactly(
                        "2026-11-02T01:54:00Z chg-notifications-config",
                        "2026-11-02T01:55:00Z chg-users-pg-deploy",
                        "2026-11-02T01:58:00Z chg-cart-config",
                        "2026-11-02T02:10:00Z chg-users-pg-after");
        assertThat(Files.readAllLines(p1.resolve(BacktestSinks.DEAD_LETTERS))).isEmpty();

        List<String> suspected = new ArrayList<>();
        JsonNode firstOfMain = null;
        for (String line : Files.readAllLines(p1.resolve(BacktestSinks.INCIDENT_EVENTS))) {
            JsonNode e = json.readTree(line);
            if (!e.get("type").asText().equals("CHANGE_SUSPECTED")) {
                continue;
            }
            JsonNode ev = e.get("evidence");
            StringBuilder s =
                    new StringBuilder(
                            e.get("incidentId").asText()
                                    + "/"
                                    + e.get("seq").asLong()
                                    + " "
                                    + e.get("eventTime").asText()
                                    + " "
                                    + e.get("services")
                                    + ":");
            int n = ev.get("suspect.count").asInt();
            for (int r = 1; r <= n; r++) {
                s.append(' ')
                        .append(ev.get("suspect." + r + ".changeId").asText())
                        .append('@')
                        .append(ev.get("suspect." + r + ".hops").asText());
            }
            suspected.add(s.toString());
            if (firstOfMain == null && e.get("incidentId").asText().equals(MAIN)) {
                firstOfMain = e;
            }
        }
        assertThat(suspected)
                .containsExactly(
                        // opened by the anomaly on users-pg alone: its deploy, 5 min before
                        MAIN + "/2 2026-11-02T02:01:00Z [\"users-pg\"]: chg-users-pg-deploy@0",
                        // web-frontend joins: cart-svc is one hop below it; the deploy stays first
                        MAIN
                                + "/14 2026-11-02T02:05:32.176Z"
                                + " [\"users-pg\",\"users-svc\",\"web-frontend\"]:"
                                + " chg-users-pg-deploy@0 chg-cart-config@1",
                        // a later checkout-api incident (first alert 02:32:30): the 02:10
                        // change is before it, so it is a suspect there (2 hops)
                        "INC-25493bccebd4/2 2026-11-02T02:32:31.522Z [\"checkout-api\"]:"
                                + " chg-cart-config@1 chg-users-pg-after@2 chg-users-pg-deploy@2");
        // checkout-api and edge-lb joining the main incident later add no suspect (cart-svc is
        // still one hop away), the 02:10 change is after its first alert, notifications-svc is
        // no dependency of any of its services: no further CHANGE_SUSPECTED for it.

        JsonNode ev = firstOfMain.get("evidence");
        assertThat(firstOfMain.get("firstAlertAt").asText()).isEqualTo("2026-11-02T02:00:00Z");
        assertThat(ev.get("suspect.1.minutesBefore").asText()).isEqualTo("5");
        assertThat(ev.get("suspect.1.path").asText()).isEqualTo("users-pg");
        assertThat(ev.get("suspect.1.version").asText()).isEqualTo("15.4-1 -> 15.4-2");
        assertThat(ev.get("suspect.1.link").asText()).isEqualTo("https://ci.example/deploys/812");
        assertThat(firstOfMain.get("reason").asText())
                .isEqualTo(
                        "top suspect: deploy of users-pg: a service of the incident, 5 min before"
                                + " the first alert");
    }
}

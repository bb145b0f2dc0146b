package io.tocsin.suppress;

import static io.tocsin.testing.Alerts.BEGINNING;
import static io.tocsin.testing.Alerts.alert;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.Alert;
import io.tocsin.config.ConfigNode;
import io.tocsin.config.CorrelationPolicy;
import io.tocsin.config.SuppressionPolicy;
import io.tocsin.config.SuppressionRulesReader;
import io.tocsin.control.ControlUpdate;
import io.tocsin.control.RuleChange;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The suppress stage in a harness: marks, releases, resolves and rule changes in event time. */
class AlertSuppressorTest {

    private KeyedBroadcastOperatorTestHarness<String, Alert, RuleChange, Alert> harness;

    private static Instant at(int seconds) {
        return BEGINNING.plusSeconds(seconds);
    }

    private void start(String policyYaml) throws Exception {
        SuppressionPolicy rules =
                SuppressionRulesReader.read(
                        new ConfigNode(
                                "policy.yaml",
                                "suppression",
                                new com.fasterxml.jackson.databind.ObjectMapper(
                                                new com.fasterxml.jackson.dataformat.yaml
                                                        .YAMLFactory())
                                        .readTree(policyYaml)));
        harness =
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                        new AlertSuppressor(rules),
                        new Suppression.ByDomain(CorrelationPolicy.defaults()),
                        Types.STRING,
                        AlertSuppressor.RULES);
        harness.processBroadcastWatermark(Long.MAX_VALUE);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    private void send(Alert a) throws Exception {
        harness.processElement(a, a.getReceivedAt().toEpochMilli());
    }

    private void control(String json) throws Exception {
        harness.processBroadcastElement((RuleChange) ControlUpdate.parse(json, 0L), 0L);
    }

    private void watermark(Instant t) throws Exception {
        harness.processWatermark(t.toEpochMilli());
    }

    /** "alertname/status[/suppressedBy]@seconds" for each output. */
    private List<String> out() {
        return harness.extractOutputValues().stream()
                .map(
                        a ->
                                a.getLabels().get("alertname")
                                        + "/"
                                        + a.getStatus()
                                        + (a.getSuppressed() ? "/" + a.getSuppressedBy() : "")
                                        + "@"
                                        + (a.getReceivedAt().getEpochSecond()
                                                - BEGINNING.getEpochSecond()))
                .toList();
    }

    private static final String SILENCE_PG =
            """
            silences:
              - id: pg-upgrade
                matchers: ['service="users-pg"']
                startsAt: 2026-11-02T02:00:00Z
                endsAt: 2026-11-02T02:10:00Z
                createdBy: alice
                comment: planned upgrade
            """;

    @Test
    void silencedAlertsFlowOnMarkedAndAreReleasedWhenTheSilenceEndsWhileStillFiring()
            throws Exception {
        start(SILENCE_PG);
        var pg = alert("PgDown", "users-pg");
        var svc = alert("Latency", "users-svc");
        send(pg.firing(at(60), at(60)).build());
        send(svc.firing(at(90), at(90)).build());
        watermark(at(599));
        assertThat(out())
                .containsExactly("PgDown/FIRING/silence:pg-upgrade@60", "Latency/FIRING@90");
        watermark(at(600));
        assertThat(out())
                .as("released at the silence's end exactly")
                .containsExactly(
                        "PgDown/FIRING/silence:pg-upgrade@60",
                        "Latency/FIRING@90",
                        "PgDown/FIRING@600");
    }

    @Test
    void theResolveOfASilencedAlertIsMutedTooButTheResolveOfAnAlertThatWentOutIsNot()
            throws Exception {
        start(SILENCE_PG);
        var silenced = alert("PgDown", "users-pg");
        send(silenced.firing(at(60), at(60)).build());
        send(silenced.resolved(at(120)).build());
        watermark(at(120));
        assertThat(out())
                .containsExactly(
                        "PgDown/FIRING/silence:pg-upgrade@60",
                        "PgDown/RESOLVED/silence:pg-upgrade@120");
    }

    @Test
    void anAlertThatFiredBeforeASilenceStartedResolvesUnmuted() throws Exception {
        start(
                """
                silences:
                  - id: late
                    matchers: ['service="users-pg"']
                    startsAt: 2026-11-02T02:05:00Z
                    endsAt: 2026-11-02T03:00:00Z
                    createdBy: bob
                """);
        var pg = alert("PgDown", "users-pg");
        send(pg.firing(at(0), at(0)).build());
        send(pg.resolved(at(400)).build());
        watermark(at(400));
        assertThat(out()).containsExactly("PgDown/FIRING@0", "PgDown/RESOLVED@400");
    }

    @Test
    void overlappingWindowsHoldTheAlertUntilTheLastOneCloses() throws Exception {
        start(
                """
                maintenanceWindows:
                  - id: first
                    matchers: ['service="users-pg"']
                    start: 2026-11-02T02:00:00Z
                    end: 2026-11-02T02:10:00Z
                  - id: second
                    matchers: ['cluster="prod-eu"']
                    start: 2026-11-02T02:05:00Z
                    end: 2026-11-02T02:20:00Z
                """);
        send(alert("PgDown", "users-pg").firing(at(60), at(60)).build());
        watermark(at(1199));
        assertThat(out()).containsExactly("PgDown/FIRING/maintenance:first@60");
        watermark(at(1200));
        assertThat(out())
                .containsExactly("PgDown/FIRING/maintenance:first@60", "PgDown/FIRING@1200");
    }

    @Test
    void targetsAreReleasedWhenTheInhibitingAlertResolvesWhileTheyStillFire() throws Exception {
        start(
                """
                inhibitRules:
                  - id: db-down
                    sourceMatchers: ['alertname="PgDown"']
                    targetMatchers: ['alertname="Latency"']
                    equal: [cluster]
                """);
        var source = alert("PgDown", "users-pg");
        var target = alert("Latency", "users-svc");
        send(source.firing(at(0), at(0)).build());
        send(target.firing(at(30), at(30)).build());
        send(source.resolved(at(300)).build());
        watermark(at(300));
        assertThat(out())
                .containsExactly(
                        "PgDown/FIRING@0",
                        "Latency/FIRING/inhibit:db-down@30",
                        "PgDown/RESOLVED@300",
                        "Latency/FIRING@300");
    }

    @Test
    void rulesChangedOnTheControlStreamApplyFromTheirEventTimeOn() throws Exception {
        start("{}");
        control(
                "{\"op\":\"upsert\",\"at\":\"2026-11-02T02:05:00Z\",\"silence\":{\"id\":\"s\",\"matchers\":[\"service=\\\"users-pg\\\"\"],"
                        + "\"startsAt\":\"2026-11-02T00:00:00Z\",\"endsAt\":\"2026-11-02T06:00:00Z\",\"createdBy\":\"carol\"}}");
        control(
                "{\"op\":\"delete\",\"at\":\"2026-11-02T02:15:30Z\",\"kind\":\"silence\",\"id\":\"s\"}");
        send(alert("Before", "users-pg").firing(at(60), at(60)).build());
        send(alert("During", "users-pg").firing(at(400), at(400)).build());
        send(alert("After", "users-pg").firing(at(1000), at(1000)).build());
        watermark(at(1000));
        // Held from 02:06:40, released exactly when the deletion takes effect (02:15:30).
        assertThat(out())
                .containsExactly(
                        "Before/FIRING@60",
                        "During/FIRING/silence:s@400",
                        "During/FIRING@930",
                        "After/FIRING@1000");
    }

    @Test
    void aDeletionArrivingAfterTheAlertWasHeldReleasesItAtTheNextMinuteOfEventTime()
            throws Exception {
        start(SILENCE_PG.replace("02:10:00Z", "04:00:00Z"));
        send(alert("PgDown", "users-pg").firing(at(60), at(60)).build());
        watermark(at(100));
        assertThat(out()).containsExactly("PgDown/FIRING/silence:pg-upgrade@60");
        control(
                "{\"op\":\"delete\",\"at\":\"2026-11-02T02:01:50Z\",\"kind\":\"silence\",\"id\":\"pg-upgrade\"}");
        watermark(at(119));
        assertThat(out()).hasSize(1);
        watermark(at(120));
        assertThat(out())
                .containsExactly("PgDown/FIRING/silence:pg-upgrade@60", "PgDown/FIRING@120");
    }

    @Test
    void stateHoldsOnlyFiringAlerts() throws Exception {
        start(SILENCE_PG);
        var a = alert("Latency", "users-svc");
        send(a.firing(at(0), at(0)).build());
        send(a.resolved(at(60)).build());
        watermark(at(3600));
        var backend =
                (org.apache.flink.runtime.state.heap.HeapKeyedStateBackend<?>)
                        ((org.apache.flink.streaming.api.operators.AbstractStreamOperator<?>)
                                        harness.getOperator())
                                .getKeyedStateBackend();
        assertThat(backend.numKeyValueStateEntries()).as("firing map and buffer empty").isZero();
    }
}

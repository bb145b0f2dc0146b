package io.tocsin.escalate;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.avro.Severity;
import io.tocsin.config.Policy;
import io.tocsin.config.PolicyLoader;
import io.tocsin.config.TopologyLoader;
import io.tocsin.correlate.IncidentIds;
import io.tocsin.escalate.page.Page;
import io.tocsin.escalate.page.PageJson;
import io.tocsin.pipeline.TocsinJob;
import io.tocsin.testing.CollectingSinks;
import io.tocsin.testing.CollectionSources;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The escalate stage in the whole job (MiniCluster, parallelism 2), fed alerts, commands and a
 * control message as a backtest would be: a SEV1 at 03:00 Berlin on a Monday, when the identity
 * team's business-hours rotation has nobody on call; its tier times out at the exact event time;
 * the lead acknowledges; a downgrade waits for a second person; a command from a role without the
 * right is rejected; the escalation policy is replaced mid-stream and the next incident follows the
 * new one; commands that cannot reach an incident are dead-lettered.
 */
class EscalationPipelineITCase {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    static final String POLICY =
            """
            escalation:
              levels:
                SEV1: {acknowledgeWithin: 30m, resolveWithin: 2h}
              schedules:
                identity-oncall:
                  timeZone: Europe/Berlin
                  layers:
                    - members: [ines, jonas]
                      start: "2026-10-26T09:00"
                      shift: 1w
                      restrict: {days: [MON, TUE, WED, THU, FRI], from: "09:00", to: "17:00"}
              targets:
                identity-primary: {schedule: identity-oncall, routingKey: RK-IDENTITY}
                platform-primary: {person: priya, routingKey: RK-PLATFORM}
                identity-lead: {person: bob, routingKey: RK-LEAD}
              chains:
                - id: identity
                  teams: [team-identity]
                  tiers:
                    - {target: identity-primary, timeout: 5m}
                    - {target: identity-lead, timeout: 5m}
                  fallback: platform-primary
              patterns:
                warningThenCritical: {enabled: false}
            """;

    static final String TOPOLOGY =
            """
            {"services": [
              {"name": "users-pg", "tier": "datastore", "team": "team-identity", "dependsOn": []},
              {"name": "search-es", "tier": "datastore", "team": "team-search", "dependsOn": []}
            ]}
            """;

    static String alert(String service, String cluster, String status, String at) {
        return "{\"fingerprint\":\"fp-"
                + service
                + "\",\"labels\":{\"alertname\":\"Down\",\"severity\":\"critical\",\"service\":\""
                + service
                + "\",\"cluster\":\""
                + cluster
                + "\"},\"startsAt\":\"2026-11-02T02:00:00Z\","
                + ("resolved".equals(status) ? "\"endsAt\":\"" + at + "\"," : "")
                + "\"status\":\""
                + status
                + "\",\"receivedAt\":\""
                + at
                + "\"}";
    }

    static String command(
            String id,
            String incident,
            String type,
            String actor,
            String role,
            String at,
            String extra) {
        return "{\"commandId\":\""
                + id
                + "\",\"incidentId\":\""
                + incident
                + "\",\"type\":\""
                + type
                + "\",\"actor\":\""
                + actor
                + "\",\"role\":\""
                + role
                + "\",\"reason\":\"checked the dashboards\",\"issuedAt\":\""
                + at
                + "\""
                + extra
                + "}";
    }

    static long ms(String t) {
        return Instant.parse(t).toEpochMilli();
    }

    @Test
    void commandsTimersFallbackAndAPolicyChangedMidStream() throws Exception {
        String a = IncidentIds.of("prod", "users-pg", ms("2026-11-02T02:00:00Z"), "fp-users-pg");
        String b =
                IncidentIds.of("staging", "search-es", ms("2026-11-02T02:40:00Z"), "fp-search-es");
        List<String> alerts =
                List.of(
                        alert("users-pg", "prod", "firing", "2026-11-02T02:00:00Z"),
                        alert("users-pg", "prod", "firing", "2026-11-02T02:03:00Z"),
                        alert("users-pg", "prod", "firing", "2026-11-02T02:06:00Z"),
                        alert("users-pg", "prod", "firing", "2026-11-02T02:09:00Z"),
                        alert("users-pg", "prod", "firing", "2026-11-02T02:12:00Z"),
                        alert("users-pg", "prod", "firing", "2026-11-02T02:15:00Z"),
                        alert("users-pg", "prod", "firing", "2026-11-02T02:18:00Z"),
                        alert("users-pg", "prod", "resolved", "2026-11-02T02:20:00Z"),
                        alert("search-es", "staging", "firing", "2026-11-02T02:40:00Z"),
                        alert("search-es", "staging", "resolved", "2026-11-02T02:44:00Z"));
        List<String> commands =
                List.of(
                        command(
                                "c1",
                                a,
                                "acknowledge",
                                "bob",
                                "team-lead",
                                "2026-11-02T02:06:00Z",
                                ""),
                        command(
                                "c2",
                                a,
                                "downgrade",
                                "bob",
                                "team-lead",
                                "2026-11-02T02:07:00Z",
                                ",\"targetSeverity\":\"SEV3\""),
                        command(
                                "c3",
                                a,
                                "reassign",
                                "eve",
                                "responder",
                                "2026-11-02T02:07:30Z",
                                ",\"assignee\":\"eve\""),
                        command(
                                "c4",
                                a,
                                "approve",
                                "carol",
                                "incident-commander",
                                "2026-11-02T02:08:00Z",
                                ",\"approvesCommandId\":\"c2\""),
                        command(
                                "c5",
                                "INC-000000000000",
                                "acknowledge",
                                "bob",
                                "team-lead",
                                "2026-11-02T02:09:00Z",
                                ""),
                        "{\"commandId\":\"c6\",\"type\":\"acknowledge\"}");
        String newPolicy =
                "{\"op\":\"escalation\",\"at\":\"2026-11-02T02:30:00Z\",\"escalation\":{"
                        + "\"targets\":{\"night\":{\"person\":\"zoe\",\"routingKey\":\"RK-NIGHT\"}},"
                        + "\"chains\":[{\"id\":\"night\",\"tiers\":[{\"target\":\"night\",\"timeout\":\"3m\"}]}]}}";

        Policy policy =
                PolicyLoader.parse(
                        "policy.yaml",
                        new ByteArrayInputStream(POLICY.getBytes(StandardCharsets.UTF_8)));
        CollectingSinks sinks = new CollectingSinks();
        new TocsinJob(
                        new CollectionSources(alerts)
                                .withCommands(commands)
                                .withControl(List.of(newPolicy)),
                        sinks,
                        policy,
                        TopologyLoader.parse(
                                "topology.json",
                                new ByteArrayInputStream(
                                        TOPOLOGY.getBytes(StandardCharsets.UTF_8))),
                        new TocsinJob.Settings("escalation-it", 2, Duration.ZERO))
                .execute(StreamExecutionEnvironment.getExecutionEnvironment());

        List<String> first = trail(sinks, a);
        assertThat(first)
                .containsExactly(
                        "02:00 OPENED SEV1 policy:correlation",
                        // nobody on the identity rotation at 03:00 Berlin: the fallback is paged
                        "02:00 ESCALATED SEV1 policy:open -> priya (tier 0)",
                        // tier 0 not acknowledged in 5m: the next tier, at exactly 02:05
                        "02:05 ESCALATED SEV1 policy:tier-timeout -> bob (tier 1)",
                        "02:06 ACKNOWLEDGED SEV1 bob",
                        "02:07 APPROVAL_REQUESTED SEV1 bob",
                        "02:07 COMMAND_REJECTED SEV1 eve",
                        "02:08 SEVERITY_CHANGED SEV3 carol",
                        "02:20 ALERT_RESOLVED SEV3 policy:correlation",
                        "02:25 RESOLVED SEV3 policy:correlation");
        IncidentEvent page0 = event(sinks, a, IncidentEventType.ESCALATED);
        assertThat(page0.getEvidence())
                .containsEntry("nobodyOnCall", "identity-primary")
                .containsEntry("via", "platform-primary")
                .containsEntry(Escalator.ROUTING_KEY, "RK-PLATFORM");
        IncidentEvent change = event(sinks, a, IncidentEventType.SEVERITY_CHANGED);
        assertThat(change.getPreviousSeverity()).isEqualTo(Severity.SEV1);
        assertThat(change.getEvidence())
                .containsEntry("approvedBy", "carol")
                .containsEntry("requestedBy", "bob");

        // After the policy change at 02:30 the staging incident follows the new chain.
        assertThat(trail(sinks, b))
                .startsWith(
                        "02:40 OPENED SEV1 policy:correlation",
                        "02:40 ESCALATED SEV1 policy:open -> zoe (tier 0)",
                        "02:43 NOTE_ADDED SEV1 policy:tier-timeout");

        assertThat(sinks.pages())
                .extracting(p -> p.action + " " + p.routingKey + " " + p.dedupKey.equals(a))
                .containsExactlyInAnyOrder(
                        "trigger RK-PLATFORM true",
                        "trigger RK-LEAD true",
                        "acknowledge RK-PLATFORM true",
                        "acknowledge RK-LEAD true",
                        "resolve RK-PLATFORM true",
                        "resolve RK-LEAD true",
                        "trigger RK-NIGHT false",
                        "resolve RK-NIGHT false");
        Page trigger =
                sinks.pages().stream()
                        .filter(
                                p ->
                                        p.routingKey.equals("RK-LEAD")
                                                && p.action.equals(Page.TRIGGER))
                        .findFirst()
                        .orElseThrow();
        assertThat(PageJson.toJson(trigger))
                .contains(
                        "\"event_action\":\"trigger\"",
                        "\"dedup_key\":\"" + a + "\"",
                        "\"severity\":\"critical\"");

        assertThat(sinks.deadLetters())
                .extracting(d -> d.getStage() + ":" + d.getReasonCode())
                .containsExactlyInAnyOrder("escalate:UNKNOWN_INCIDENT", "commands:NOT_A_COMMAND");
    }

    private static List<String> trail(CollectingSinks sinks, String incident) {
        return sinks.events().stream()
                .filter(e -> e.getIncidentId().equals(incident))
                .sorted(Comparator.comparingLong(IncidentEvent::getSeq))
                .map(
                        e ->
                                e.getEventTime().toString().substring(11, 16)
                                        + " "
                                        + e.getType()
                                        + " "
                                        + e.getSeverity()
                                        + " "
                                        + e.getActor()
                                        + (e.getTarget() == null
                                                ? ""
                                                : " -> "
                                                        + e.getTarget()
                                                        + " (tier "
                                                        + e.getEscalationTier()
                                                        + ")"))
                .toList();
    }

    private static IncidentEvent event(
            CollectingSinks sinks, String incident, IncidentEventType type) {
        return sinks.events().stream()
                .filter(e -> e.getIncidentId().equals(incident) && e.getType() == type)
                .findFirst()
                .orElseThrow();
    }
}

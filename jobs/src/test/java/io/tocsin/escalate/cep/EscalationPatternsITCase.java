package io.tocsin.escalate.cep;

import static io.tocsin.avro.CommandType.ACKNOWLEDGE;
import static io.tocsin.avro.CommandType.DOWNGRADE;
import static io.tocsin.avro.CommandType.UPGRADE;
import static io.tocsin.avro.IncidentEventType.ALERT_ADDED;
import static io.tocsin.avro.IncidentEventType.ALERT_RESOLVED;
import static io.tocsin.avro.IncidentEventType.OPENED;
import static io.tocsin.avro.IncidentEventType.REOPENED;
import static io.tocsin.avro.Severity.SEV1;
import static io.tocsin.avro.Severity.SEV2;
import static io.tocsin.avro.Severity.SEV3;
import static io.tocsin.avro.Severity.SEV4;
import static io.tocsin.avro.Severity.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tocsin.avro.Command;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.config.ConfigNode;
import io.tocsin.config.PatternPolicy;
import io.tocsin.escalate.EscalationSignal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each escalation pattern on a MiniCluster (parallelism 2) with the default thresholds and only
 * that pattern enabled. Every story mixes the case that must fire with near misses on other
 * services or incidents (one short, spread one window wide, wrong order, other domain, wrong event
 * type), and the exact signals are asserted.
 */
class EscalationPatternsITCase {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static final List<String> SECTIONS =
            List.of(
                    "warningBurst",
                    "warningThenCritical",
                    "repeatedFlapping",
                    "systemicFailure",
                    "reEscalation");

    /** The default policy with every pattern but {@code section} disabled. */
    private static PatternPolicy only(String section) throws Exception {
        StringBuilder yaml = new StringBuilder();
        for (String s : SECTIONS) {
            yaml.append(s).append(": {enabled: ").append(s.equals(section)).append("}\n");
        }
        return PatternPolicy.from(
                new ConfigNode("test", "escalation.patterns", YAML.readTree(yaml.toString())));
    }

    private static List<EscalationSignal> run(IncidentStory story, PatternPolicy policy)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DataStream<IncidentEvent> events =
                env.fromData(story.events(), TypeInformation.of(IncidentEvent.class))
                        .assignTimestampsAndWatermarks(
                                WatermarkStrategy.<IncidentEvent>forMonotonousTimestamps()
                                        .withTimestampAssigner(
                                                (e, ts) -> e.getEventTime().toEpochMilli()));
        // fromData cannot make an empty stream: without commands, an empty one off the events.
        DataStream<Command> commands =
                story.commands().isEmpty()
                        ? events.flatMap((IncidentEvent e, Collector<Command> out) -> {})
                                .returns(Command.class)
                        : env.fromData(story.commands(), TypeInformation.of(Command.class))
                                .assignTimestampsAndWatermarks(
                                        WatermarkStrategy.<Command>forMonotonousTimestamps()
                                                .withTimestampAssigner(
                                                        (c, ts) -> c.getIssuedAt().toEpochMilli()));
        List<EscalationSignal> out = new ArrayList<>();
        try (CloseableIterator<EscalationSignal> it =
                EscalationPatterns.signals(events, commands, policy).executeAndCollect()) {
            it.forEachRemaining(out::add);
        }
        out.sort(
                Comparator.comparingLong((EscalationSignal s) -> s.eventTime)
                        .thenComparing(s -> s.incidentId));
        return out;
    }

    /** "incident trigger severity [escalate] hh:mm:ss" for exact assertions. */
    private static String brief(EscalationSignal s) {
        return s.incidentId
                + " "
                + s.trigger
                + " "
                + s.severity
                + (s.escalate ? " escalate " : " ")
                + Instant.ofEpochMilli(s.eventTime).atOffset(ZoneOffset.UTC).toLocalTime();
    }

    @Test
    void warningBurstFiresOncePerThreeWarningsOnOneServiceWithinTenMinutes() throws Exception {
        IncidentStory story = new IncidentStory();
        // checkout: three warnings within 9m59s over two incidents, then three more.
        story.opened("inc-w1", "checkout", SEV3, "02:00")
                .alert(ALERT_ADDED, "inc-w1", SEV4)
                .at("02:03")
                .opened("inc-w2", "checkout", SEV3, "02:09:59")
                .added("inc-w2", "checkout", SEV3, "02:10:30")
                .alert(REOPENED, "inc-w2", SEV3)
                .at("02:11")
                .added("inc-w2", "checkout", SEV4, "02:12");
        // payments: three warnings, first to last exactly one window.
        story.opened("inc-p", "payments", SEV3, "03:00")
                .added("inc-p", "payments", SEV3, "03:05")
                .added("inc-p", "payments", SEV3, "03:10");
        // search: the third is a resolve.
        story.opened("inc-s", "search", SEV3, "02:00")
                .added("inc-s", "search", SEV3, "02:01")
                .alert(ALERT_RESOLVED, "inc-s", SEV3)
                .on("search")
                .at("02:02");
        // users: the third is an error (SEV2), and one more warning is in another domain.
        story.opened("inc-u", "users", SEV3, "02:00")
                .added("inc-u", "users", SEV3, "02:01")
                .added("inc-u", "users", SEV2, "02:02")
                .alert(OPENED, "inc-u-staging", SEV3)
                .on("users")
                .in("staging")
                .at("02:03");
        // cart: the third has no known severity.
        story.opened("inc-c", "cart", SEV3, "02:00")
                .added("inc-c", "cart", SEV3, "02:01")
                .added("inc-c", "cart", UNKNOWN, "02:02");

        List<EscalationSignal> signals = run(story, only("warningBurst"));

        assertThat(signals)
                .extracting(EscalationPatternsITCase::brief)
                .containsExactly(
                        "inc-w2 cep:warning-burst SEV2 02:09:59",
                        "inc-w2 cep:warning-burst SEV2 02:12");
        EscalationSignal first = signals.get(0);
        assertThat(first.evidence)
                .containsEntry("eventIds", "inc-w1/1,inc-w1/2,inc-w2/1")
                .containsEntry("incidents", "inc-w1,inc-w2")
                .containsEntry("count", "3")
                .containsEntry("window", "10m")
                .containsEntry("domain", "prod")
                .containsEntry("service", "checkout");
        assertThat(first.reason)
                .isEqualTo(
                        "3 alerts at SEV3 or below fired on checkout in prod within 10m:"
                                + " a burst of warnings, raising to SEV2.");
    }

    @Test
    void disabledPatternsGiveNoSignals() throws Exception {
        IncidentStory story = new IncidentStory();
        story.opened("inc-w1", "checkout", SEV3, "02:00")
                .added("inc-w1", "checkout", SEV3, "02:01")
                .added("inc-w1", "checkout", SEV3, "02:02")
                .added("inc-w1", "checkout", SEV1, "02:03");
        assertThat(run(story, only("none"))).isEmpty();
        assertThat(run(story, only("warningBurst"))).hasSize(1);
    }

    @Test
    void warningThenCriticalPagesTheCriticalsIncidentOnce() throws Exception {
        IncidentStory story = new IncidentStory();
        // checkout: two warnings, then a critical 14m59s after the first, then another.
        story.opened("inc-c1", "checkout", SEV3, "02:00")
                .added("inc-c1", "checkout", SEV4, "02:01")
                .opened("inc-c2", "checkout", SEV1, "02:14:59")
                .added("inc-c2", "checkout", SEV1, "02:16");
        // payments: critical first, warning after.
        story.opened("inc-p", "payments", SEV1, "02:00").added("inc-p", "payments", SEV3, "02:05");
        // search: the critical exactly one window after the warning.
        story.opened("inc-s", "search", SEV3, "02:00").added("inc-s", "search", SEV1, "02:15");
        // users: the critical is in another domain; in this one only an error (SEV2) follows.
        story.opened("inc-u", "users", SEV3, "02:00")
                .alert(OPENED, "inc-u-staging", SEV1)
                .on("users")
                .in("staging")
                .at("02:05")
                .added("inc-u", "users", SEV2, "02:06");
        // cart: the critical is a resolve.
        story.opened("inc-k", "cart", SEV3, "02:00")
                .alert(ALERT_RESOLVED, "inc-k", SEV1)
                .on("cart")
                .at("02:02");

        List<EscalationSignal> signals = run(story, only("warningThenCritical"));

        assertThat(signals)
                .extracting(EscalationPatternsITCase::brief)
                .containsExactly("inc-c2 cep:warning-then-critical SEV1 escalate 02:14:59");
        assertThat(signals.get(0).evidence)
                .containsEntry("warningEventId", "inc-c1/1")
                .containsEntry("warningIncident", "inc-c1")
                .containsEntry("criticalEventId", "inc-c2/1")
                .containsEntry("after", "14m59s");
    }

    @Test
    void repeatedFlappingRaisesTheLastFlappingAlertsIncident() throws Exception {
        IncidentStory story = new IncidentStory();
        // checkout: three flapping alerts within 29m, one of them marked on its resolve.
        story.alert(ALERT_ADDED, "inc-f1", SEV3)
                .flapping()
                .at("02:00")
                .alert(ALERT_RESOLVED, "inc-f1", SEV3)
                .flapping()
                .at("02:10")
                .alert(ALERT_ADDED, "inc-f2", SEV4)
                .flapping()
                .at("02:29");
        // payments: two flapping, the rest steady.
        story.alert(ALERT_ADDED, "inc-p", SEV3)
                .on("payments")
                .flapping()
                .at("02:00")
                .added("inc-p", "payments", SEV3, "02:01")
                .added("inc-p", "payments", SEV3, "02:02")
                .alert(ALERT_ADDED, "inc-p", SEV3)
                .on("payments")
                .flapping()
                .at("02:03");
        // search: three flapping, first to last exactly one window.
        story.alert(ALERT_ADDED, "inc-s", SEV3)
                .on("search")
                .flapping()
                .at("02:00")
                .alert(ALERT_ADDED, "inc-s", SEV3)
                .on("search")
                .flapping()
                .at("02:15")
                .alert(ALERT_ADDED, "inc-s", SEV3)
                .on("search")
                .flapping()
                .at("02:30");
        // users: two flapping in prod, one in staging.
        story.alert(ALERT_ADDED, "inc-u", SEV3)
                .on("users")
                .flapping()
                .at("02:00")
                .alert(ALERT_ADDED, "inc-u", SEV3)
                .on("users")
                .flapping()
                .at("02:01")
                .alert(ALERT_ADDED, "inc-u2", SEV3)
                .on("users")
                .in("staging")
                .flapping()
                .at("02:02");

        List<EscalationSignal> signals = run(story, only("repeatedFlapping"));

        assertThat(signals)
                .extracting(EscalationPatternsITCase::brief)
                .containsExactly("inc-f2 cep:repeated-flapping SEV2 02:29");
        assertThat(signals.get(0).evidence)
                .containsEntry("eventIds", "inc-f1/1,inc-f1/2,inc-f2/1")
                .containsEntry("count", "3");
    }

    @Test
    void systemicFailureNamesAllTheLowIncidentsOnOneService() throws Exception {
        IncidentStory story = new IncidentStory();
        // users-pg: three low incidents opened within 59m (an alert joining one does not count).
        story.opened("inc-s1", "users-pg", SEV3, "02:00")
                .opened("inc-s2", "users-pg", SEV4, "02:20")
                .added("inc-s1", "users-pg", SEV3, "02:30")
                .opened("inc-s3", "users-pg", SEV3, "02:59");
        // search: one incident's OPENED replayed, so only two distinct incidents.
        story.opened("inc-d1", "search", SEV3, "02:00").replayLast();
        story.opened("inc-d2", "search", SEV3, "02:10");
        // payments: the third opened at SEV2.
        story.opened("inc-p1", "payments", SEV3, "02:00")
                .opened("inc-p2", "payments", SEV3, "02:01")
                .opened("inc-p3", "payments", SEV2, "02:02");
        // checkout: first to last exactly one window.
        story.opened("inc-k1", "checkout", SEV3, "02:00")
                .opened("inc-k2", "checkout", SEV3, "02:30")
                .opened("inc-k3", "checkout", SEV3, "03:00");
        // cart: two in prod, one in staging.
        story.opened("inc-c1", "cart", SEV3, "02:00")
                .opened("inc-c2", "cart", SEV3, "02:01")
                .alert(OPENED, "inc-c3", SEV3)
                .on("cart")
                .in("staging")
                .at("02:02");

        List<EscalationSignal> signals = run(story, only("systemicFailure"));

        assertThat(signals)
                .extracting(EscalationPatternsITCase::brief)
                .containsExactly("inc-s3 cep:systemic-failure SEV2 02:59");
        EscalationSignal s = signals.get(0);
        assertThat(s.evidence)
                .containsEntry("correlatedIncidents", "inc-s1,inc-s2,inc-s3")
                .containsEntry("eventIds", "inc-s1/1,inc-s2/1,inc-s3/1")
                .containsEntry("service", "users-pg");
        assertThat(s.reason)
                .isEqualTo(
                        "3 incidents opened on users-pg in prod within 1h (inc-s1, inc-s2,"
                                + " inc-s3), each at SEV3 or below: they are one systemic"
                                + " failure, raising to SEV2.");
    }

    @Test
    void reEscalationRaisesADowngradedIncidentBackToTheNewAlertsSeverity() throws Exception {
        IncidentStory story = new IncidentStory();
        // inc-r1: downgraded to SEV3; a SEV3 alert is no reason, a SEV2 one is (once).
        story.opened("inc-r1", "checkout", SEV1, "02:00")
                .command("cmd-1", "inc-r1", DOWNGRADE, SEV3, "alice", "02:10")
                .added("inc-r1", "checkout", SEV3, "02:20")
                .added("inc-r1", "checkout", SEV2, "02:30")
                .added("inc-r1", "checkout", SEV1, "02:40");
        // inc-r2: the alert comes exactly one window after the downgrade.
        story.command("cmd-2", "inc-r2", DOWNGRADE, SEV4, "bob", "02:00")
                .added("inc-r2", "checkout", SEV2, "03:00");
        // inc-r3: downgraded twice; the later downgrade is the one that counts.
        story.command("cmd-3a", "inc-r3", DOWNGRADE, SEV3, "bob", "02:00")
                .command("cmd-3b", "inc-r3", DOWNGRADE, SEV4, "bob", "02:05")
                .added("inc-r3", "checkout", SEV2, "02:10");
        // inc-r4: a severe alert on another incident of the same key bucket, and a severe resolve.
        String neighbour = sameBucketAs("inc-r4");
        story.command("cmd-4", "inc-r4", DOWNGRADE, SEV4, "carol", "02:00")
                .added(neighbour, "checkout", SEV1, "02:05")
                .alert(ALERT_RESOLVED, "inc-r4", SEV1)
                .at("02:06");
        // inc-r5: the alert in the same millisecond as the downgrade still counts.
        story.command("cmd-5", "inc-r5", DOWNGRADE, SEV4, "dave", "02:00")
                .added("inc-r5", "checkout", SEV2, "02:00");
        // inc-r6: no downgrade, only an upgrade and an acknowledgement.
        story.command("cmd-6a", "inc-r6", UPGRADE, SEV3, "erin", "02:00")
                .command("cmd-6b", "inc-r6", ACKNOWLEDGE, null, "erin", "02:01")
                .added("inc-r6", "checkout", SEV1, "02:02");

        List<EscalationSignal> signals = run(story, only("reEscalation"));

        assertThat(signals)
                .extracting(EscalationPatternsITCase::brief)
                .containsExactly(
                        "inc-r5 cep:re-escalation-after-downgrade SEV2 02:00",
                        "inc-r3 cep:re-escalation-after-downgrade SEV2 02:10",
                        "inc-r1 cep:re-escalation-after-downgrade SEV2 02:30");
        EscalationSignal r1 = signals.get(2);
        assertThat(r1.evidence)
                .containsAllEntriesOf(
                        Map.of(
                                "downgradeCommandId", "cmd-1",
                                "downgradedTo", "SEV3",
                                "downgradedBy", "alice",
                                "alertEventId", "inc-r1/3",
                                "alertSeverity", "SEV2",
                                "after", "20m"));
        assertThat(r1.reason)
                .isEqualTo(
                        "A SEV2 alert (Alert3Oncheckout) fired 20m after alice downgraded the"
                                + " incident to SEV3: raising it back to SEV2.");
        assertThat(signals.get(1).evidence).containsEntry("downgradeCommandId", "cmd-3b");
    }

    /** Another incident id whose events share {@code incidentId}'s key bucket. */
    private static String sameBucketAs(String incidentId) {
        int bucket = PatternKeys.bucket(incidentId);
        for (int i = 0; ; i++) {
            String other = "inc-n" + i;
            if (PatternKeys.bucket(other) == bucket) {
                return other;
            }
        }
    }
}

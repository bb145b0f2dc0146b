package io.tocsin.escalate.cep;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.Command;
import io.tocsin.avro.CommandType;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.avro.IncidentStatus;
import io.tocsin.avro.Severity;
import io.tocsin.config.PatternPolicy;
import io.tocsin.correlate.IncidentEvents;
import io.tocsin.escalate.EscalationSignal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each escalation CEP pattern on a MiniCluster (parallelism 2), in event time: the exact signals of
 * a sequence that completes it, and none for the near miss beside it.
 */
class EscalationPatternsITCase {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    static final Instant T0 = Instant.parse("2026-11-02T02:00:00Z");

    private int seq;

    private IncidentEvent alert(
            String incident,
            IncidentEventType type,
            int minute,
            String service,
            Severity alertSeverity,
            Severity incidentSeverity,
            boolean flapping) {
        seq++;
        Map<String, String> ev = new TreeMap<>();
        ev.put(IncidentEvents.ALERT_SEVERITY, alertSeverity.name());
        if (flapping) {
            ev.put(IncidentEvents.FLAPPING, "true");
        }
        return IncidentEvent.newBuilder()
                .setEventId(incident + "/" + seq)
                .setIncidentId(incident)
                .setSeq(seq)
                .setType(type)
                .setEventTime(T0.plus(Duration.ofMinutes(minute)))
                .setDomain("prod")
                .setSeverity(incidentSeverity)
                .setStatus(IncidentStatus.OPEN)
                .setServices(List.of(service))
                .setAlertService(service)
                .setAlertName("A" + seq)
                .setEvidence(ev)
                .build();
    }

    private IncidentEvent warning(String incident, int minute, String service) {
        return alert(
                incident,
                IncidentEventType.ALERT_ADDED,
                minute,
                service,
                Severity.SEV3,
                Severity.SEV3,
                false);
    }

    private static List<EscalationSignal> run(
            List<IncidentEvent> events, List<Command> commands, PatternPolicy policy)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DataStream<IncidentEvent> e =
                env.fromData(events, TypeInformation.of(IncidentEvent.class))
                        .assignTimestampsAndWatermarks(
                                WatermarkStrategy.<IncidentEvent>forMonotonousTimestamps()
                                        .withTimestampAssigner(
                                                (x, ts) -> x.getEventTime().toEpochMilli()));
        List<Command> cs = new ArrayList<>(commands);
        if (cs.isEmpty()) {
            // fromData needs an element: a command no pattern looks at.
            cs.add(command("noop", "none", CommandType.ADD_NOTE, 0, null));
        }
        DataStream<Command> c =
                env.fromData(cs, TypeInformation.of(Command.class))
                        .assignTimestampsAndWatermarks(
                                WatermarkStrategy.<Command>forMonotonousTimestamps()
                                        .withTimestampAssigner(
                                                (x, ts) -> x.getIssuedAt().toEpochMilli()));
        List<EscalationSignal> out = new ArrayList<>();
        try (CloseableIterator<EscalationSignal> it =
                EscalationPatterns.signals(e, c, policy).executeAndCollect()) {
            it.forEachRemaining(out::add);
        }
        out.sort((a, b) -> Long.compare(a.eventTime, b.eventTime));
        return out;
    }

    private static Command command(
            String id, String incident, CommandType type, int minute, Severity target) {
        return Command.newBuilder()
                .setCommandId(id)
                .setIncidentId(incident)
                .setType(type)
                .setActor("alice")
                .setRole("team-lead")
                .setReason("looks fine")
                .setIssuedAt(T0.plus(Duration.ofMinutes(minute)))
                .setTargetSeverity(target)
                .build();
    }

    private static String describe(EscalationSignal s) {
        return s.trigger
                + " "
                + s.incidentId
                + " "
                + s.severity
                + (s.escalate ? " escalate" : "")
                + " @"
                + Duration.between(T0, Instant.ofEpochMilli(s.eventTime)).toMinutes();
    }

    /** Only the pattern under test. */
    private static PatternPolicy only(String name) {
        PatternPolicy d = PatternPolicy.defaults();
        PatternPolicy.Burst off =
                new PatternPolicy.Burst(
                        false, 2, Duration.ofMinutes(1), Severity.SEV4, Severity.SEV4);
        return new PatternPolicy(
                name.equals("warning-burst") ? d.warningBurst() : off,
                name.equals("warning-then-critical")
                        ? d.warningThenCritical()
                        : new PatternPolicy.WarningThenCritical(
                                false,
                                Duration.ofMinutes(1),
                                Severity.SEV3,
                                Severity.SEV1,
                                Severity.SEV1,
                                false),
                name.equals("repeated-flapping") ? d.repeatedFlapping() : off,
                name.equals("systemic-failure") ? d.systemicFailure() : off,
                new PatternPolicy.ReEscalation(name.equals("re-escalation"), Duration.ofHours(1)));
    }

    @Test
    void threeWarningsOnOneServiceWithinTenMinutesRaiseTheIncident() throws Exception {
        List<IncidentEvent> events =
                List.of(
                        warning("INC-A", 0, "cart"),
                        warning("INC-A", 4, "cart"),
                        warning("INC-B", 5, "search"), // another service: its own count
                        warning("INC-A", 9, "cart"), // third on cart within 10m: match
                        warning("INC-B", 20, "search"),
                        warning("INC-B", 31, "search")); // three on search, but over 26 minutes
        assertThat(run(events, List.of(), only("warning-burst")))
                .extracting(EscalationPatternsITCase::describe)
                .containsExactly("cep:warning-burst INC-A SEV2 @9");
    }

    @Test
    void aWarningThenACriticalOnOneServiceEscalates() throws Exception {
        List<IncidentEvent> events =
                List.of(
                        warning("INC-A", 0, "users-pg"),
                        alert(
                                "INC-A",
                                IncidentEventType.ALERT_ADDED,
                                6,
                                "users-pg",
                                Severity.SEV1,
                                Severity.SEV1,
                                false),
                        // critical first, then a warning: not the pattern
                        alert(
                                "INC-B",
                                IncidentEventType.OPENED,
                                10,
                                "search",
                                Severity.SEV1,
                                Severity.SEV1,
                                false),
                        warning("INC-B", 12, "search"),
                        // warning then critical, but 20 minutes apart
                        warning("INC-C", 30, "cart"),
                        alert(
                                "INC-C",
                                IncidentEventType.ALERT_ADDED,
                                50,
                                "cart",
                                Severity.SEV1,
                                Severity.SEV1,
                                false));
        assertThat(run(events, List.of(), only("warning-then-critical")))
                .extracting(EscalationPatternsITCase::describe)
                .containsExactly("cep:warning-then-critical INC-A SEV1 escalate @6");
    }

    @Test
    void repeatedFlappingOnOneServiceRaisesTheIncident() throws Exception {
        List<IncidentEvent> events = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            events.add(
                    alert(
                            "INC-R",
                            IncidentEventType.ALERT_ADDED,
                            i * 8,
                            "redis",
                            Severity.SEV3,
                            Severity.SEV3,
                            true));
            // flapping elsewhere, too sparse to count
            events.add(
                    alert(
                            "INC-S",
                            IncidentEventType.ALERT_ADDED,
                            i * 20 + 1,
                            "kafka",
                            Severity.SEV3,
                            Severity.SEV3,
                            true));
        }
        events.add(
                alert(
                        "INC-R",
                        IncidentEventType.ALERT_ADDED,
                        20,
                        "redis",
                        Severity.SEV3,
                        Severity.SEV3,
                        false));
        events.sort((a, b) -> a.getEventTime().compareTo(b.getEventTime()));
        assertThat(run(events, List.of(), only("repeated-flapping")))
                .extracting(EscalationPatternsITCase::describe)
                .containsExactly("cep:repeated-flapping INC-R SEV2 @16");
    }

    @Test
    void threeLowSeverityIncidentsOnOneServiceWithinAnHourAreOneSystemicFailure() throws Exception {
        List<IncidentEvent> events =
                List.of(
                        alert(
                                "INC-1",
                                IncidentEventType.OPENED,
                                0,
                                "orders",
                                Severity.SEV3,
                                Severity.SEV3,
                                false),
                        alert(
                                "INC-2",
                                IncidentEventType.OPENED,
                                20,
                                "orders",
                                Severity.SEV4,
                                Severity.SEV4,
                                false),
                        alert(
                                "INC-9",
                                IncidentEventType.OPENED,
                                25,
                                "orders",
                                Severity.SEV1,
                                Severity.SEV1,
                                false), // severe: not counted
                        alert(
                                "INC-3",
                                IncidentEventType.OPENED,
                                40,
                                "orders",
                                Severity.SEV3,
                                Severity.SEV3,
                                false),
                        alert(
                                "INC-4",
                                IncidentEventType.OPENED,
                                0,
                                "users",
                                Severity.SEV3,
                                Severity.SEV3,
                                false),
                        alert(
                                "INC-5",
                                IncidentEventType.OPENED,
                                50,
                                "users",
                                Severity.SEV3,
                                Severity.SEV3,
                                false));
        List<EscalationSignal> out = run(events, List.of(), only("systemic-failure"));
        assertThat(out)
                .extracting(EscalationPatternsITCase::describe)
                .containsExactly("cep:systemic-failure INC-3 SEV2 @40");
        assertThat(out.get(0).evidence).containsEntry("correlatedIncidents", "INC-1,INC-2,INC-3");
    }

    @Test
    void anAlertMoreSevereThanADowngradeReEscalatesTheIncident() throws Exception {
        List<IncidentEvent> events =
                List.of(
                        alert(
                                "INC-D",
                                IncidentEventType.OPENED,
                                0,
                                "api",
                                Severity.SEV1,
                                Severity.SEV1,
                                false),
                        // after the downgrade to SEV3: a SEV3 alert is no reason, a SEV2 is
                        alert(
                                "INC-D",
                                IncidentEventType.ALERT_ADDED,
                                12,
                                "api",
                                Severity.SEV3,
                                Severity.SEV1,
                                false),
                        alert(
                                "INC-D",
                                IncidentEventType.ALERT_ADDED,
                                15,
                                "db",
                                Severity.SEV2,
                                Severity.SEV1,
                                false),
                        // another incident, downgraded, gets only an equal-severity alert
                        alert(
                                "INC-E",
                                IncidentEventType.OPENED,
                                1,
                                "web",
                                Severity.SEV2,
                                Severity.SEV2,
                                false),
                        alert(
                                "INC-E",
                                IncidentEventType.ALERT_ADDED,
                                30,
                                "web",
                                Severity.SEV3,
                                Severity.SEV2,
                                false));
        List<Command> commands =
                List.of(
                        command("d1", "INC-D", CommandType.DOWNGRADE, 10, Severity.SEV3),
                        command("d2", "INC-E", CommandType.DOWNGRADE, 20, Severity.SEV3));
        List<IncidentEvent> sorted = new ArrayList<>(events);
        sorted.sort((a, b) -> a.getEventTime().compareTo(b.getEventTime()));
        assertThat(run(sorted, commands, only("re-escalation")))
                .extracting(EscalationPatternsITCase::describe)
                .containsExactly("cep:re-escalation INC-D SEV2 @15");
    }
}

package io.tocsin.escalate;

import io.tocsin.avro.Command;
import io.tocsin.avro.CommandType;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.avro.IncidentStatus;
import io.tocsin.avro.Severity;
import io.tocsin.config.EscalationPolicy;
import io.tocsin.config.MaintenanceWindow;
import io.tocsin.config.Policy;
import io.tocsin.config.Topology;
import io.tocsin.control.ControlUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

/**
 * Shared fixtures of the escalation parts' tests: {@link EscalatorTest}'s policy (two tiers of 5m,
 * pages at SEV2 or above, the db-patching window on users-pg from minute 240 to 360), named minutes
 * after {@link #T0}, and a state of an incident on users-pg opened at T0.
 */
final class EscalationFixtures {

    static final Instant T0 = EscalatorTest.T0;
    static final Policy POLICY = EscalatorTest.parse(EscalatorTest.POLICY);
    static final EscalationPolicy ESCALATION = POLICY.escalation();
    static final List<MaintenanceWindow> WINDOWS = POLICY.suppression().maintenanceWindows();

    private EscalationFixtures() {}

    static long at(int minutes) {
        return EscalatorTest.at(minutes);
    }

    static TierPager pager() {
        return new TierPager(ESCALATION, Topology.empty());
    }

    static SeverityChanges changes() {
        return new SeverityChanges(ESCALATION, WINDOWS, "cluster", pager());
    }

    /** An incident on {@code services} (users-pg when none), opened at T0, nobody paged yet. */
    static EscalationState state(Severity s, IncidentStatus status, String... services) {
        EscalationState st = new EscalationState();
        st.incidentId = "INC-1";
        st.domain = "prod";
        st.title = "users-pg: PostgresTooManyConnections";
        st.services = services.length == 0 ? List.of("users-pg") : List.of(services);
        st.severity(s);
        st.computedSeverity(s);
        st.status(status);
        st.openedAt = at(0);
        st.periodStart = at(0);
        return st;
    }

    static Command command(String id, CommandType type, String actor, String role, int minute) {
        return EscalatorTest.command(id, type, actor, role, minute, null);
    }

    /** A correlator event about INC-1 at {@code minute} (alert PostgresTooManyConnections). */
    static IncidentEvent correlator(
            IncidentEventType type, long seq, int minute, Severity s, String... services) {
        return IncidentEvent.newBuilder()
                .setEventId("INC-1/" + seq)
                .setIncidentId("INC-1")
                .setSeq(seq)
                .setType(type)
                .setEventTime(Instant.ofEpochMilli(at(minute)))
                .setOpenedAt(T0)
                .setFirstAlertAt(T0)
                .setDomain("prod")
                .setSeverity(s)
                .setStatus(IncidentStatus.OPEN)
                .setTitle("users-pg: PostgresTooManyConnections")
                .setServices(List.of(services))
                .setAlertCount(services.length)
                .setActiveAlertCount(services.length)
                .setAlertName("PostgresTooManyConnections")
                .setAlertService(services[0])
                .setRootCauseService(services[0])
                .setFingerprint("fp")
                .setActor("policy:correlation")
                .setEvidence(Map.of())
                .build();
    }

    /** Each event as "TYPE actor[ -> target]", as {@link EscalatorTest} lists them. */
    static List<String> described(List<IncidentEvent> out) {
        List<String> d = new ArrayList<>();
        for (IncidentEvent e : out) {
            d.add(
                    e.getType()
                            + " "
                            + e.getActor()
                            + (e.getTarget() == null ? "" : " -> " + e.getTarget()));
        }
        return d;
    }

    /**
     * The escalate operator under {@code policy} in a keyed broadcast harness, no topology, domain
     * label {@code cluster}, the broadcast side's watermark already at the end.
     */
    static KeyedBroadcastOperatorTestHarness<String, EscalationInput, ControlUpdate, IncidentEvent>
            harness(Policy policy) throws Exception {
        KeyedBroadcastOperatorTestHarness<String, EscalationInput, ControlUpdate, IncidentEvent> h =
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                        new EscalationFunction(
                                policy.escalation(),
                                policy.suppression().maintenanceWindows(),
                                Topology.empty(),
                                "cluster"),
                        EscalationInput::incidentId,
                        Types.STRING,
                        EscalationFunction.POLICIES,
                        EscalationFunction.CATALOGS);
        h.processBroadcastWatermark(Long.MAX_VALUE);
        return h;
    }
}

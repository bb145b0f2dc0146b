package io.tocsin.escalate;

import static io.tocsin.escalate.EscalationFixtures.at;
import static io.tocsin.escalate.EscalationFixtures.state;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.IncidentStatus;
import io.tocsin.avro.Severity;
import io.tocsin.config.EscalationPolicy;
import io.tocsin.config.Topology;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Who a REASSIGN pages ({@link TierPager#newOwner}), on {@link HandoverEscalationTest#POLICY}:
 * primary is the alice/bob rotation (alice until 03:00Z, minute 60), lead is carol.
 */
class NewOwnerTest {

    static final EscalationPolicy POLICY =
            EscalatorTest.parse(HandoverEscalationTest.POLICY).escalation();

    final TierPager pager = new TierPager(POLICY, Topology.empty());

    @ParameterizedTest(name = "{0} -> {1} via {2}, owner {3}, follows the rotation: {4}")
    @CsvSource({
        "lead,           RK-LEAD,    lead,    carol, false", //  a target by name
        "RK-PRIMARY,     RK-PRIMARY, primary, alice, true", //   by routing key: who is on call
        "primary-oncall, RK-PRIMARY, primary, alice, true", //   a schedule
        "carol,          RK-LEAD,    lead,    carol, false", //  a target's person
        "bob,            RK-PRIMARY, primary, bob,   false", //  a member of a target's schedule
    })
    void anAssigneeNamesATargetAndItsRoutingKeyIsPaged(
            String assignee, String key, String via, String owner, boolean follows) {
        EscalationState st = state(Severity.SEV2, IncidentStatus.OPEN);
        Map<String, String> ev = pager.newOwner(st, assignee, at(10));
        assertThat(ev)
                .containsEntry("routingKey", key)
                .containsEntry("via", via)
                .containsEntry("owner", owner)
                .containsEntry("handover", Handovers.NONE)
                .doesNotContainKey("notPaged");
        assertThat(st.pagedKeys).containsExactly(key);
        assertThat(st.rotationAt).isEqualTo(follows ? at(60) : Long.MAX_VALUE);
    }

    @Test
    void nobodyIsPagedForAnUnknownAssigneeAClosedIncidentOrBelowThePagingSeverity() {
        EscalationState open = state(Severity.SEV2, IncidentStatus.OPEN);
        assertThat(pager.newOwner(open, "mallory", at(10)))
                .containsOnly(
                        Map.entry(
                                "notPaged",
                                "no target, routing key or schedule is named mallory, and no"
                                        + " target or schedule has them as a member"));
        EscalationState resolved = state(Severity.SEV2, IncidentStatus.RESOLVED);
        assertThat(pager.newOwner(resolved, "lead", at(10)))
                .containsOnly(Map.entry("notPaged", "the incident is resolved"));
        EscalationState minor = state(Severity.SEV3, IncidentStatus.OPEN);
        assertThat(pager.newOwner(minor, "lead", at(10)))
                .containsOnly(Map.entry("notPaged", "SEV3 is below the paging severity SEV2"));
        assertThat(open.pagedKeys).isEmpty();
        assertThat(resolved.pagedKeys).isEmpty();
        assertThat(minor.pagedKeys).isEmpty();
    }
}

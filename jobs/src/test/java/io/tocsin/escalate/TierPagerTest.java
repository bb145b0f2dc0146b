package io.tocsin.escalate;

import static io.tocsin.escalate.EscalationFixtures.at;
import static io.tocsin.escalate.EscalationFixtures.described;
import static io.tocsin.escalate.EscalationFixtures.state;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentStatus;
import io.tocsin.avro.Severity;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The tier pager alone: chain default = primary (alice), lead (bob), 5m each, no extra loop. */
class TierPagerTest {

    final TierPager pager = EscalationFixtures.pager();

    @ParameterizedTest(name = "{0} is at the paging severity (SEV2): {1}")
    @CsvSource({"SEV1, true", "SEV2, true", "SEV3, false", "SEV4, false", "UNKNOWN, false"})
    void pagesAtOrAboveThePolicysSeverity(Severity s, boolean pages) {
        assertThat(pager.atPagingSeverity(state(s, IncidentStatus.OPEN))).isEqualTo(pages);
    }

    @ParameterizedTest(name = "{0}, tier {1} asked: {2}, tier now {3}, next timeout at {4}")
    @CsvSource({
        "SEV1, 0, 'ESCALATED policy:test -> alice', 0, 5",
        "SEV2, 1, 'ESCALATED policy:test -> bob',   1, 5",
        // past the last tier with no loop left: the chain is exhausted, nothing waits
        "SEV1, 2, 'NOTE_ADDED policy:test',        -1, -1",
        // below the paging severity: noted, nothing waits
        "SEV3, 0, 'NOTE_ADDED policy:test',        -1, -1",
    })
    void pagesTheAskedTierOrSaysWhyNot(
            Severity s, int index, String expected, int tier, int timeoutMinute) {
        EscalationState st = state(s, IncidentStatus.OPEN);
        List<IncidentEvent> out = new ArrayList<>();
        pager.page(st, index, at(0), "policy:test", "because", out);
        assertThat(described(out)).containsExactly(expected);
        assertThat(st.tier).isEqualTo(tier);
        assertThat(st.tierDeadline)
                .isEqualTo(timeoutMinute < 0 ? Long.MAX_VALUE : at(timeoutMinute));
    }

    @ParameterizedTest(name = "tiers {0} paged: routing keys {1}")
    @CsvSource({
        "'0', 'RK-PRIMARY'",
        "'0 1', 'RK-PRIMARY RK-LEAD'",
        "'0 1 0', 'RK-PRIMARY RK-LEAD'"
    })
    void remembersEachRoutingKeyPagedOnce(String tiers, String keys) {
        EscalationState st = state(Severity.SEV1, IncidentStatus.OPEN);
        List<IncidentEvent> out = new ArrayList<>();
        for (String i : tiers.split(" ")) {
            pager.page(st, Integer.parseInt(i), at(0), "policy:test", "because", out);
        }
        assertThat(st.pagedKeys).containsExactly(keys.split(" "));
        assertThat(out.get(out.size() - 1).getEvidence())
                .containsEntry(Escalator.TRIGGER, "policy:test")
                .containsEntry("chain", "default");
    }
}

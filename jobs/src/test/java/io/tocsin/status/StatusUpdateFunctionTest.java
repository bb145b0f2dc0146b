package io.tocsin.status;

import static io.tocsin.status.StatusFixtures.INCIDENT;
import static io.tocsin.status.StatusFixtures.MINUTE;
import static io.tocsin.status.StatusFixtures.SECOND;
import static io.tocsin.status.StatusFixtures.T0;
import static io.tocsin.status.StatusFixtures.event;
import static io.tocsin.status.StatusFixtures.paged;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.avro.Severity;
import io.tocsin.config.StatusUpdatePolicy;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The status stage in Flink's keyed harness with the built-in policy (technical every 5m, business
 * 15m, executive 30m and SEV1/SEV2 only, customer 10m and SEV1/SEV2 only): which updates leave at
 * which exact event times, what they fold in, their channels, and the state left.
 */
class StatusUpdateFunctionTest {

    private KeyedOneInputStreamOperatorTestHarness<String, IncidentEvent, StatusUpdate> harness;

    private static KeyedOneInputStreamOperatorTestHarness<String, IncidentEvent, StatusUpdate>
            newHarness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new StatusUpdateFunction(StatusUpdatePolicy.defaults())),
                IncidentEvent::getIncidentId,
                Types.STRING);
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    private void open() throws Exception {
        harness = newHarness();
        harness.open();
    }

    private void send(IncidentEvent... events) throws Exception {
        for (IncidentEvent e : events) {
            harness.processElement(new StreamRecord<>(e, e.getEventTime().toEpochMilli()));
        }
    }

    /** Output as "audience/n @seconds-from-T0 triggers channels", first updates marked. */
    private List<String> sent() {
        List<String> out = new ArrayList<>();
        for (StreamRecord<? extends StatusUpdate> r : harness.extractOutputStreamRecords()) {
            StatusUpdate u = r.getValue();
            assertThat(u.updateId).isEqualTo(INCIDENT + "/" + u.audience + "/" + u.seq);
            assertThat(r.getTimestamp()).isEqualTo(u.eventTime);
            out.add(
                    u.audience
                            + "/"
                            + u.seq
                            + " @"
                            + (u.eventTime - T0) / (double) SECOND
                            + " "
                            + u.triggers
                            + " "
                            + u.channels
                            + (u.first ? " first" : ""));
        }
        return out;
    }

    private List<StatusUpdate> updates() {
        return harness.extractOutputValues();
    }

    /** The storyline of the rate-limit test, in order. */
    private static IncidentEvent[] storyline() {
        return new IncidentEvent[] {
            event(1, IncidentEventType.OPENED, 0, Severity.SEV3),
            event(2, IncidentEventType.ALERT_ADDED, MINUTE, Severity.SEV3),
            event(3, IncidentEventType.SEVERITY_CHANGED, 2 * MINUTE, Severity.SEV2),
            event(4, IncidentEventType.ROOT_CAUSE_CHANGED, 5 * MINUTE - 1, Severity.SEV2),
            event(5, IncidentEventType.ALERT_ADDED, 5 * MINUTE, Severity.SEV2),
            paged(6, 6 * MINUTE, Severity.SEV2, "dana"),
            event(7, IncidentEventType.SEVERITY_CHANGED, 7 * MINUTE, Severity.SEV1),
            event(8, IncidentEventType.RESOLVED, 8 * MINUTE, Severity.SEV1)
        };
    }

    private static final List<String> STORYLINE_UPDATES =
            List.of(
                    // SEV3: the audiences that hear SEV3 are told
                    "technical/1 @0.0 [OPENED] [chat] first",
                    "business/1 @0.0 [OPENED] [email] first",
                    // SEV2: executive and customer are told now, by a trigger of any kind
                    "executive/3 @120.0 [SEVERITY_CHANGED] [email] first",
                    "customer/3 @120.0 [SEVERITY_CHANGED] [status-page] first",
                    // technical's 5m end at exactly 300 s: 299.999 held, 300 sends what was held
                    "technical/5 @300.0 [SEVERITY_CHANGED, ROOT_CAUSE_CHANGED] [page, chat]",
                    // the resolve always goes out, with everything still held back
                    "technical/8 @480.0 [SEVERITY_CHANGED, RESOLVED] [page, chat]",
                    "business/8 @480.0 [SEVERITY_CHANGED, ROOT_CAUSE_CHANGED, RESOLVED] [email]",
                    "executive/8 @480.0 [RESOLVED] [email, sms]",
                    "customer/8 @480.0 [SEVERITY_CHANGED, RESOLVED] [status-page]");

    @Test
    void theRateLimitHoldsAtExactEventTimesFoldsAndTheResolveAlwaysGoesOut() throws Exception {
        open();
        send(storyline());
        assertThat(sent()).containsExactlyElementsOf(STORYLINE_UPDATES);
        assertThat(harness.numKeyedStateEntries()).as("cleared on resolve").isZero();

        StatusUpdate technicalFold = updates().get(4);
        assertThat(technicalFold.text)
                .contains("Changes: severity SEV3 to SEV2, root cause now ledger-db.")
                .contains("Paged: nobody yet.");
        StatusUpdate technicalResolve = updates().get(5);
        assertThat(technicalResolve.text)
                .contains("Changes: severity SEV2 to SEV1, resolved.")
                .contains("Paged: dana.");
    }

    @Test
    void pendingUpdatesSurviveASnapshotAndRestore() throws Exception {
        open();
        IncidentEvent[] all = storyline();
        send(all[0], all[1], all[2], all[3]);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        List<String> before = sent();
        harness.close();

        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        send(all[4], all[5], all[6], all[7]);
        List<String> after = new ArrayList<>(before);
        after.addAll(sent());
        assertThat(after).containsExactlyElementsOf(STORYLINE_UPDATES);
    }

    @Test
    void anAudienceNeverToldHearsNothingOfTheResolve() throws Exception {
        open();
        send(
                event(1, IncidentEventType.OPENED, 0, Severity.SEV3),
                event(2, IncidentEventType.RESOLVED, 20 * MINUTE, Severity.SEV3));
        assertThat(sent())
                .containsExactly(
                        "technical/1 @0.0 [OPENED] [chat] first",
                        "business/1 @0.0 [OPENED] [email] first",
                        "technical/2 @1200.0 [RESOLVED] [chat]",
                        "business/2 @1200.0 [RESOLVED] [email]");
    }

    @Test
    void triggersAreOnlyThoseOfTheAudienceAndOtherEventsSendNothingOfTheirOwn() throws Exception {
        open();
        send(
                event(1, IncidentEventType.OPENED, 0, Severity.SEV1),
                // an hour later: every interval has passed
                event(2, IncidentEventType.ALERT_ADDED, 60 * MINUTE, Severity.SEV1),
                paged(3, 61 * MINUTE, Severity.SEV1, "omar"),
                event(4, IncidentEventType.ROOT_CAUSE_CHANGED, 62 * MINUTE, Severity.SEV1),
                event(5, IncidentEventType.SEVERITY_CHANGED, 63 * MINUTE, Severity.SEV2));
        assertThat(sent())
                .containsExactly(
                        "technical/1 @0.0 [OPENED] [page, chat] first",
                        "business/1 @0.0 [OPENED] [email] first",
                        "executive/1 @0.0 [OPENED] [email, sms] first",
                        "customer/1 @0.0 [OPENED] [status-page] first",
                        // executive and customer have no ROOT_CAUSE_CHANGED trigger
                        "technical/4 @3720.0 [ROOT_CAUSE_CHANGED] [page, chat]",
                        "business/4 @3720.0 [ROOT_CAUSE_CHANGED] [email]",
                        // technical's 5m are not over; executive has no SEVERITY_CHANGED
                        "customer/5 @3780.0 [SEVERITY_CHANGED] [status-page]");
        assertThat(updates().get(6).text).startsWith("The impact has lessened.");
    }

    @Test
    void aReopenedIncidentStartsAgainWithIdsThatDoNotRepeat() throws Exception {
        open();
        send(
                event(1, IncidentEventType.OPENED, 0, Severity.SEV3),
                event(2, IncidentEventType.RESOLVED, 10 * MINUTE, Severity.SEV3),
                event(3, IncidentEventType.REOPENED, 12 * MINUTE, Severity.SEV3));
        assertThat(sent())
                .containsExactly(
                        "technical/1 @0.0 [OPENED] [chat] first",
                        "business/1 @0.0 [OPENED] [email] first",
                        "technical/2 @600.0 [RESOLVED] [chat]",
                        "business/2 @600.0 [RESOLVED] [email]",
                        "technical/3 @720.0 [OPENED] [chat] first",
                        "business/3 @720.0 [OPENED] [email] first");
        assertThat(updates().get(4).text).contains("Changes: reopened.");
        assertThat(updates().get(5).text).contains("is open (reopened)");
    }

    @Test
    void aMergedIncidentLeavesNoState() throws Exception {
        open();
        send(
                event(1, IncidentEventType.OPENED, 0, Severity.SEV2),
                event(2, IncidentEventType.MERGED, MINUTE, Severity.SEV2));
        assertThat(sent()).hasSize(4);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void stateAndOutputAreFlinkPojos() {
        assertThat(TypeInformation.of(StatusState.class)).isInstanceOf(PojoTypeInfo.class);
        assertThat(TypeInformation.of(StatusUpdate.class)).isInstanceOf(PojoTypeInfo.class);
    }
}

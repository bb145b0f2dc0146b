package io.tocsin.escalate.page;

import static io.tocsin.escalate.page.PageFixtures.CHECKOUT;
import static io.tocsin.escalate.page.PageFixtures.MINUTE;
import static io.tocsin.escalate.page.PageFixtures.PAYMENTS;
import static io.tocsin.escalate.page.PageFixtures.SECOND;
import static io.tocsin.escalate.page.PageFixtures.T0;
import static io.tocsin.escalate.page.PageFixtures.acknowledge;
import static io.tocsin.escalate.page.PageFixtures.page;
import static io.tocsin.escalate.page.PageFixtures.resolve;
import static io.tocsin.escalate.page.PageFixtures.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.config.PageRateLimit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The limiter in Flink's keyed harness: pages go in with their event time, the watermark moves, and
 * the tests check what leaves and when (the output record's timestamp is the send time), the
 * metrics, the timers and the state left behind.
 */
class PageLimiterTest {

    private static final PageRateLimit TWO_PER_MINUTE = new PageRateLimit(2, Duration.ofMinutes(1));
    private static final PageRateLimit ONE_PER_MINUTE = new PageRateLimit(1, Duration.ofMinutes(1));

    /** A task metric group that hands every operator one group which remembers its metrics. */
    private static final class CapturedMetrics
            extends UnregisteredMetricGroups.UnregisteredTaskMetricGroup {
        final InterceptingOperatorMetricGroup operator = new InterceptingOperatorMetricGroup();

        @Override
        public InternalOperatorMetricGroup getOrAddOperator(
                OperatorID id, String name, Map<String, String> additionalVariables) {
            return operator;
        }

        long count(String name) {
            return ((Counter) operator.get(name)).getCount();
        }
    }

    private final CapturedMetrics metrics = new CapturedMetrics();
    private MockEnvironment environment;
    private KeyedOneInputStreamOperatorTestHarness<String, Page, Page> harness;

    private void open(PageRateLimit limit) throws Exception {
        environment = new MockEnvironmentBuilder().setMetricGroup(metrics).build();
        harness = newHarness(limit, environment);
        harness.open();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Page, Page> newHarness(
            PageRateLimit limit, MockEnvironment env) throws Exception {
        var op = new KeyedProcessOperator<>(new PageLimiter(limit));
        return env == null
                ? new KeyedOneInputStreamOperatorTestHarness<>(
                        op, new PageLimiter.ByRoutingKey(), Types.STRING)
                : new KeyedOneInputStreamOperatorTestHarness<>(
                        op, new PageLimiter.ByRoutingKey(), Types.STRING, env);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (harness != null) {
            harness.close();
        }
        if (environment != null) {
            environment.close();
        }
    }

    private void send(Page... pages) throws Exception {
        for (Page p : pages) {
            harness.processElement(new StreamRecord<>(p, p.eventTime));
        }
    }

    private void watermark(long t) throws Exception {
        harness.processWatermark(t);
    }

    /** Output as "dedupKey action @sendTime(seconds from T0)". */
    private List<String> sent() {
        List<String> out = new ArrayList<>();
        for (StreamRecord<? extends Page> r : harness.extractOutputStreamRecords()) {
            Page p = r.getValue();
            long at = (r.getTimestamp() - T0) / SECOND;
            out.add(
                    p.dedupKey
                            + " "
                            + p.action
                            + " @"
                            + at
                            + (p.coalesced > 0 ? " coalesced=" + p.coalesced : ""));
        }
        return out;
    }

    @Test
    void theLimitHoldsAtExactEventTimesAndOverflowLeavesWhenTheWindowAllows() throws Exception {
        open(TWO_PER_MINUTE);
        send(
                trigger("inc-1", T0),
                trigger("inc-2", T0 + 10 * SECOND),
                trigger("inc-3", T0 + 20 * SECOND),
                trigger("inc-4", T0 + 30 * SECOND));
        watermark(T0 + 30 * SECOND);
        assertThat(sent()).containsExactly("inc-1 trigger @0", "inc-2 trigger @10");

        watermark(T0 + MINUTE - 1);
        assertThat(sent()).as("inc-1's send is not a minute old yet").hasSize(2);
        watermark(T0 + MINUTE);
        assertThat(sent()).endsWith("inc-3 trigger @60");
        watermark(T0 + 70 * SECOND - 1);
        assertThat(sent()).hasSize(3);
        watermark(T0 + 70 * SECOND);
        assertThat(sent())
                .containsExactly(
                        "inc-1 trigger @0",
                        "inc-2 trigger @10",
                        "inc-3 trigger @60",
                        "inc-4 trigger @70");
        assertThat(metrics.count(PageMetrics.HELD)).isEqualTo(2);
        assertThat(metrics.count(PageMetrics.SENT)).isEqualTo(4);
    }

    @Test
    void aWatermarkJumpReleasesEachHeldPageAtItsOwnEventTime() throws Exception {
        open(ONE_PER_MINUTE);
        send(
                trigger("inc-1", T0),
                trigger("inc-2", T0 + SECOND),
                trigger("inc-3", T0 + 2 * SECOND));
        watermark(T0 + 10 * MINUTE);
        assertThat(sent())
                .containsExactly("inc-1 trigger @0", "inc-2 trigger @60", "inc-3 trigger @120");
    }

    @Test
    void aNewPageNeverOvertakesHeldOnes() throws Exception {
        open(ONE_PER_MINUTE);
        send(trigger("inc-1", T0), trigger("inc-2", T0 + SECOND));
        // inc-3 arrives exactly when a slot opens: inc-2 has waited longer and takes it.
        send(trigger("inc-3", T0 + MINUTE));
        watermark(T0 + 3 * MINUTE);
        assertThat(sent())
                .containsExactly("inc-1 trigger @0", "inc-2 trigger @60", "inc-3 trigger @120");
    }

    @Test
    void aResolveWhileHeldReplacesTheTriggerInItsPlace() throws Exception {
        open(ONE_PER_MINUTE);
        send(
                trigger("inc-A", T0),
                trigger("inc-B", T0 + 10 * SECOND),
                trigger("inc-C", T0 + 20 * SECOND),
                resolve("inc-B", T0 + 30 * SECOND));
        watermark(T0 + 3 * MINUTE);
        assertThat(sent())
                .containsExactly(
                        "inc-A trigger @0", "inc-B resolve @60 coalesced=1", "inc-C trigger @120");
        Page resolved = harness.extractOutputValues().get(1);
        assertThat(resolved.eventTime)
                .as("the resolve's own event time")
                .isEqualTo(T0 + 30 * SECOND);
        assertThat(PageJson.toJson(resolved)).doesNotContain("payload");
        assertThat(metrics.count(PageMetrics.COALESCED)).isEqualTo(1);
        assertThat(metrics.count(PageMetrics.HELD)).isEqualTo(2);
    }

    @Test
    void anOlderTriggerNeverCoalescesAwayAHeldResolveOrAcknowledge() throws Exception {
        open(ONE_PER_MINUTE);
        send(trigger("inc-A", T0), trigger("inc-B", T0 + 10 * SECOND));
        send(acknowledge("inc-B", T0 + 20 * SECOND));
        watermark(T0 + 25 * SECOND);
        // Arrives behind the watermark (handled at once) with an event time before the ack.
        send(trigger("inc-B", T0 + 15 * SECOND));
        // Same event time as the resolve, arriving first: lifecycle order puts the resolve last.
        send(resolve("inc-B", T0 + 40 * SECOND), trigger("inc-B", T0 + 40 * SECOND));
        watermark(T0 + 2 * MINUTE);
        assertThat(sent()).containsExactly("inc-A trigger @0", "inc-B resolve @60 coalesced=4");
    }

    @Test
    void aBurstOfAHundredIncidentsLosesNothing() throws Exception {
        open(new PageRateLimit(10, Duration.ofMinutes(1)));
        List<Page> in = new ArrayList<>();
        Map<String, String> lastAction = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            in.add(trigger(String.format("inc-%03d", i), T0 + i * 100L));
        }
        for (int i = 0; i < 100; i += 3) {
            in.add(acknowledge(String.format("inc-%03d", i), T0 + 20 * SECOND + i));
        }
        for (int i = 0; i < 100; i += 7) {
            in.add(resolve(String.format("inc-%03d", i), T0 + 40 * SECOND + i));
        }
        for (Page p : in) {
            lastAction.put(p.dedupKey, p.action);
        }
        send(in.toArray(new Page[0]));
        watermark(T0 + 30 * MINUTE);

        List<StreamRecord<? extends Page>> out =
                new ArrayList<>(harness.extractOutputStreamRecords());
        int folded = out.stream().mapToInt(r -> r.getValue().coalesced).sum();
        assertThat(out.size() + folded)
                .as("every page sent or folded into one")
                .isEqualTo(in.size());
        Set<String> keysIn = new LinkedHashSet<>(lastAction.keySet());
        Map<String, String> lastOut = new HashMap<>();
        for (StreamRecord<? extends Page> r : out) {
            lastOut.put(r.getValue().dedupKey, r.getValue().action);
        }
        assertThat(lastOut.keySet()).containsExactlyInAnyOrderElementsOf(keysIn);
        assertThat(lastOut).as("each incident ends in its latest state").isEqualTo(lastAction);
        for (int i = 10; i < out.size(); i++) {
            assertThat(out.get(i).getTimestamp() - out.get(i - 10).getTimestamp())
                    .as("no 11 pages within a minute")
                    .isGreaterThanOrEqualTo(MINUTE);
        }
        assertThat(metrics.count(PageMetrics.COALESCED)).isEqualTo(folded);

        watermark(T0 + 60 * MINUTE);
        assertThat(harness.numKeyedStateEntries()).as("state cleared once idle").isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void routingKeysAreLimitedIndependently() throws Exception {
        open(ONE_PER_MINUTE);
        send(
                page(PAYMENTS, "inc-1", Page.TRIGGER, T0),
                page(CHECKOUT, "inc-2", Page.TRIGGER, T0 + SECOND),
                page(PAYMENTS, "inc-3", Page.TRIGGER, T0 + 2 * SECOND),
                page(CHECKOUT, "inc-4", Page.TRIGGER, T0 + 3 * SECOND));
        watermark(T0 + 5 * SECOND);
        assertThat(sent()).containsExactly("inc-1 trigger @0", "inc-2 trigger @1");
        watermark(T0 + 2 * MINUTE);
        assertThat(sent())
                .containsExactly(
                        "inc-1 trigger @0",
                        "inc-2 trigger @1",
                        "inc-3 trigger @60",
                        "inc-4 trigger @61");
    }

    @Test
    void stateAndTimersAreBoundedAndClearedWhenTheHistoryAges() throws Exception {
        open(ONE_PER_MINUTE);
        send(trigger("inc-1", T0), trigger("inc-2", T0 + SECOND));
        for (int i = 0; i < 20; i++) {
            send(acknowledge("inc-2", T0 + 2 * SECOND + i));
        }
        watermark(T0 + 30 * SECOND);
        // limiter state + one held page + one queue entry
        assertThat(harness.numKeyedStateEntries()).isEqualTo(3);
        assertThat(harness.numEventTimeTimers()).as("only the next release").isEqualTo(1);

        watermark(T0 + MINUTE);
        assertThat(sent())
                .containsExactly("inc-1 trigger @0", "inc-2 acknowledge @60 coalesced=20");
        assertThat(harness.numKeyedStateEntries()).as("only the send history").isEqualTo(1);

        watermark(T0 + 2 * MINUTE - 1);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        watermark(T0 + 2 * MINUTE);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();

        // A clean start: the next page leaves at once.
        send(trigger("inc-3", T0 + 3 * MINUTE));
        watermark(T0 + 3 * MINUTE);
        assertThat(sent()).endsWith("inc-3 trigger @180");
    }

    @Test
    void theOutputDoesNotDependOnArrivalOrder() throws Exception {
        List<Page> in = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            long t = T0 + (i % 6) * SECOND; // many pages share an event time
            in.add(page(i % 2 == 0 ? PAYMENTS : CHECKOUT, "inc-" + (i % 9), Page.TRIGGER, t));
            in.add(page(PAYMENTS, "inc-" + (i % 9), Page.RESOLVE, t));
        }
        List<String> first = null;
        for (long seed = 1; seed <= 3; seed++) {
            Collections.shuffle(in, new Random(seed));
            harness = newHarness(new PageRateLimit(3, Duration.ofMinutes(1)), null);
            harness.open();
            for (Page p : in) {
                send(p.copy());
            }
            watermark(T0 + 30 * MINUTE);
            List<String> out = new ArrayList<>();
            for (StreamRecord<? extends Page> r : harness.extractOutputStreamRecords()) {
                out.add(r.getTimestamp() + " " + PageJson.toJson(r.getValue()));
            }
            harness.close();
            if (first == null) {
                first = out;
            } else {
                assertThat(out).isEqualTo(first);
            }
        }
        harness = null;
    }

    @Test
    void heldPagesSurviveARestoreFromASnapshot() throws Exception {
        open(ONE_PER_MINUTE);
        send(
                trigger("inc-1", T0),
                trigger("inc-2", T0 + SECOND),
                resolve("inc-2", T0 + 2 * SECOND));
        watermark(T0 + 10 * SECOND);
        OperatorSubtaskState snapshot = harness.snapshot(1L, T0 + 10 * SECOND);
        harness.close();

        harness = newHarness(ONE_PER_MINUTE, null);
        harness.initializeState(snapshot);
        harness.open();
        watermark(T0 + MINUTE);
        assertThat(sent()).containsExactly("inc-2 resolve @60 coalesced=1");
    }

    @Test
    void pagesAndLimiterStateUseFlinkPojoSerializers() throws Exception {
        assertThat(TypeInformation.of(Page.class)).isInstanceOf(PojoTypeInfo.class);
        assertThat(TypeInformation.of(PageLimiterState.class)).isInstanceOf(PojoTypeInfo.class);
        Page p = trigger("inc-1", T0);
        p.customDetails.put("incidentId", "inc-1");
        p.coalesced = 2;
        TypeSerializer<Page> serializer =
                TypeInformation.of(Page.class).createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(p, out);
        Page back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(PageJson.toJson(back)).isEqualTo(PageJson.toJson(p));
    }
}

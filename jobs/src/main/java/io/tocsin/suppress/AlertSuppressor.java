package io.tocsin.suppress;

import io.tocsin.avro.Alert;
import io.tocsin.avro.AlertStatus;
import io.tocsin.config.MuteRule;
import io.tocsin.config.SuppressionPolicy;
import io.tocsin.control.RuleChange;
import io.tocsin.metrics.MetricNames;
import io.tocsin.time.AlertOrder;
import io.tocsin.time.EventTimeBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by correlation domain, in event-time order: marks alert transitions muted by maintenance
 * windows, silences and inhibition (they flow on marked, never deleted) and releases a still firing
 * alert as a fresh FIRING transition when its mute ends. Rules come from the policy and from
 * control messages (broadcast, parsed into {@link RuleChange}s), each in force from its event time
 * on.
 *
 * <p>Resolves: a RESOLVED whose FIRING was muted is muted too (Alertmanager sends no resolved
 * notification for a silenced alert); a RESOLVED whose FIRING went downstream always goes
 * downstream unmuted, so an incident can close even if a silence started meanwhile.
 *
 * <p>State per domain: the alerts firing in it (removed on RESOLVED; dedupe's resolve timeout
 * guarantees one), so the bound is the number of concurrently firing alerts. Mutes are re-checked
 * at their known end and, while any alert is held, at each minute of event time, which is when a
 * rule deleted at run time releases what it held.
 */
public class AlertSuppressor
        extends KeyedBroadcastProcessFunction<String, Alert, RuleChange, Alert> {

    public static final MapStateDescriptor<String, RuleRecord> RULES =
            new MapStateDescriptor<>(
                    "suppression-rules", Types.STRING, TypeInformation.of(RuleRecord.class));

    static final long SWEEP_MILLIS = 60_000;

    /** Tombstones older than this behind the watermark are dropped from broadcast state. */
    static final long TOMBSTONE_RETENTION_MILLIS = 7L * 24 * 3600 * 1000;

    private final List<EffectiveRule> policyRules;

    private transient EventTimeBuffer<Alert> buffer;
    private transient MapState<String, FiringEntry> firing;
    private transient Map<String, MuteRule> parsed;
    private transient Counter suppressed;
    private transient Counter released;
    private transient Counter late;

    public AlertSuppressor(SuppressionPolicy policy) {
        List<EffectiveRule> rules = new ArrayList<>();
        policy.maintenanceWindows().forEach(r -> rules.add(EffectiveRule.always(r)));
        policy.silences().forEach(r -> rules.add(EffectiveRule.always(r)));
        policy.inhibitRules().forEach(r -> rules.add(EffectiveRule.always(r)));
        this.policyRules = List.copyOf(rules);
    }

    @Override
    public void open(OpenContext ctx) {
        buffer =
                new EventTimeBuffer<>(
                        getRuntimeContext(), TypeInformation.of(Alert.class), AlertOrder.INSTANCE);
        firing =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "firing",
                                        Types.STRING,
                                        TypeInformation.of(FiringEntry.class)));
        parsed = new HashMap<>();
        suppressed = getRuntimeContext().getMetricGroup().counter(MetricNames.SUPPRESSED);
        released = getRuntimeContext().getMetricGroup().counter(MetricNames.RELEASED);
        late = getRuntimeContext().getMetricGroup().counter(MetricNames.LATE_RECORDS);
    }

    @Override
    public void processElement(Alert alert, ReadOnlyContext ctx, Collector<Alert> out)
            throws Exception {
        if (!buffer.add(alert, ctx.timestamp(), ctx.timerService())) {
            late.inc();
            long t =
                    ctx.timestamp() == null
                            ? alert.getReceivedAt().toEpochMilli()
                            : ctx.timestamp();
            handle(alert, t, suppressor(ctx.getBroadcastState(RULES)), ctx.timerService(), out);
        }
    }

    @Override
    public void onTimer(long t, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        Suppressor s = suppressor(ctx.getBroadcastState(RULES));
        for (Alert a : buffer.drain(t)) {
            handle(a, t, s, ctx.timerService(), out);
        }
        release(t, s, ctx.timerService(), out);
    }

    @Override
    public void processBroadcastElement(RuleChange m, Context ctx, Collector<Alert> out)
            throws Exception {
        BroadcastState<String, RuleRecord> rules = ctx.getBroadcastState(RULES);
        // The version in force at m.at() ends there; the new one (for an upsert) starts there.
        List<String> drop = new ArrayList<>();
        long wm = ctx.currentWatermark();
        // Versions that ended long before the watermark can no longer affect any alert.
        long horizon =
                wm > Long.MIN_VALUE + TOMBSTONE_RETENTION_MILLIS
                        ? wm - TOMBSTONE_RETENTION_MILLIS
                        : Long.MIN_VALUE;
        for (Map.Entry<String, RuleRecord> e : rules.entries()) {
            RuleRecord r = e.getValue();
            if (r.key.equals(m.key()) && r.from <= m.at() && m.at() < r.until) {
                r.until = m.at();
                rules.put(e.getKey(), r);
            }
            if (r.until != Long.MAX_VALUE && r.until < horizon) {
                drop.add(e.getKey());
            }
        }
        for (String k : drop) {
            rules.remove(k);
        }
        if (m.ruleJson() != null) {
            rules.put(m.key() + "@" + m.at(), new RuleRecord(m.key(), m.ruleJson(), m.at()));
        } else {
            // A deletion also ends a rule of the policy file: record it as an empty version.
            rules.put(m.key() + "@" + m.at(), new RuleRecord(m.key(), null, m.at()));
        }
    }

    private Suppressor suppressor(ReadOnlyBroadcastState<String, RuleRecord> state)
            throws Exception {
        List<EffectiveRule> rules = new ArrayList<>();
        Map<String, Long> policyRuleEnds = new HashMap<>();
        for (Map.Entry<String, RuleRecord> e : state.immutableEntries()) {
            RuleRecord r = e.getValue();
            // A control change to a rule that came from the policy ends the policy version.
            policyRuleEnds.merge(r.key, r.from, Math::min);
            if (r.json != null) {
                MuteRule rule = parsed.computeIfAbsent(r.json, RuleChange::ruleOf);
                rules.add(new EffectiveRule(r.key, rule, r.from, r.until));
            }
        }
        for (EffectiveRule p : policyRules) {
            Long end = policyRuleEnds.get(p.key());
            rules.add(end == null ? p : new EffectiveRule(p.key(), p.rule(), p.from(), end));
        }
        return new Suppressor(rules);
    }

    private void handle(
            Alert alert, long t, Suppressor s, TimerService timers, Collector<Alert> out)
            throws Exception {
        String fp = alert.getFingerprint();
        if (alert.getStatus() == AlertStatus.FIRING) {
            Mute mute = s.mutedBy(alert, t, s.hasInhibitRules() ? others(fp) : List.of());
            firing.put(fp, new FiringEntry(alert, mute == null ? null : mute.ruleKey()));
            emit(alert, mute, out);
            if (mute != null) {
                schedule(mute, t, timers);
            }
            return;
        }
        FiringEntry entry = firing.get(fp);
        firing.remove(fp);
        if (entry != null) {
            emit(
                    alert,
                    entry.mutedBy == null ? null : new Mute(entry.mutedBy, Long.MAX_VALUE),
                    out);
        } else {
            emit(alert, s.mutedBy(alert, t, s.hasInhibitRules() ? others(fp) : List.of()), out);
        }
        if (s.hasInhibitRules()) {
            release(t, s, timers, out); // an inhibiting alert may just have resolved
        }
    }

    /**
     * Releases held alerts whose mute ended by {@code t}; keeps a sweep timer while any is held.
     */
    private void release(long t, Suppressor s, TimerService timers, Collector<Alert> out)
            throws Exception {
        List<FiringEntry> held = new ArrayList<>();
        for (FiringEntry e : firing.values()) {
            if (e.mutedBy != null) {
                held.add(e);
            }
        }
        if (held.isEmpty()) {
            return;
        }
        held.sort((a, b) -> AlertOrder.INSTANCE.compare(a.alert, b.alert));
        boolean stillHeld = false;
        for (FiringEntry e : held) {
            String fp = e.alert.getFingerprint();
            Mute mute = s.mutedBy(e.alert, t, s.hasInhibitRules() ? others(fp) : List.of());
            if (mute == null) {
                Alert fresh =
                        Alert.newBuilder(e.alert).setReceivedAt(Instant.ofEpochMilli(t)).build();
                firing.put(fp, new FiringEntry(e.alert, null));
                released.inc();
                out.collect(fresh);
            } else {
                stillHeld = true;
                if (!mute.ruleKey().equals(e.mutedBy)) {
                    firing.put(fp, new FiringEntry(e.alert, mute.ruleKey()));
                }
                schedule(mute, t, timers);
            }
        }
        if (stillHeld) {
            timers.registerEventTimeTimer((t / SWEEP_MILLIS + 1) * SWEEP_MILLIS);
        }
    }

    private void schedule(Mute mute, long t, TimerService timers) {
        if (mute.until() != Long.MAX_VALUE && mute.until() > t) {
            timers.registerEventTimeTimer(mute.until());
        }
        timers.registerEventTimeTimer((t / SWEEP_MILLIS + 1) * SWEEP_MILLIS);
    }

    private List<Alert> others(String fingerprint) throws Exception {
        List<Alert> out = new ArrayList<>();
        for (Map.Entry<String, FiringEntry> e : firing.entries()) {
            if (!e.getKey().equals(fingerprint)) {
                out.add(e.getValue().alert);
            }
        }
        return out;
    }

    private void emit(Alert alert, Mute mute, Collector<Alert> out) {
        if (mute == null) {
            out.collect(alert);
        } else {
            suppressed.inc();
            out.collect(
                    Alert.newBuilder(alert)
                            .setSuppressed(true)
                            .setSuppressedBy(mute.ruleKey())
                            .build());
        }
    }
}

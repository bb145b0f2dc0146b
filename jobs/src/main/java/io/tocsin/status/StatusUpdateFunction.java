package io.tocsin.status;

import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.config.StatusAudience;
import io.tocsin.config.StatusTrigger;
import io.tocsin.config.StatusUpdatePolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by incident id: turns an incident's escalated events into status updates per audience.
 *
 * <ul>
 *   <li>An audience is first told about an incident by the first OPENED, SEVERITY_CHANGED or
 *       ROOT_CAUSE_CHANGED event at a severity it hears (its {@code severities}), whatever its
 *       triggers: being told an incident exists is always news. An audience never told hears
 *       nothing of its resolve either.
 *   <li>After that, an event that is one of its triggers sends an update, unless the audience's
 *       last update was less than {@code minInterval} of event time ago: then the trigger is held
 *       back and folded into the next update, which the first later event of the incident (any
 *       kind) at or after the interval sends, with the incident's state then.
 *   <li>RESOLVED always goes out to an audience that was told, with what was held back; the
 *       incident's state is then cleared (MERGED clears it too: the survivor carries on).
 * </ul>
 *
 * No timers: what goes out depends on the incident's own event sequence only, which the escalate
 * stage emits in the same order at any parallelism, so backtests give the same bytes at any
 * parallelism.
 */
final class StatusUpdateFunction extends KeyedProcessFunction<String, IncidentEvent, StatusUpdate> {

    private static final long serialVersionUID = 1L;

    /**
     * Backstop for incidents that never resolve nor merge (the correlator drops those after its
     * maxIncidentAge): state untouched this long is dropped.
     */
    static final Duration STATE_TTL = Duration.ofDays(14);

    private static final StatusAudience[] AUDIENCES = StatusAudience.values();

    private final StatusUpdatePolicy policy;
    private transient StatusRenderer renderer;
    private transient ValueState<StatusState> state;

    StatusUpdateFunction(StatusUpdatePolicy policy) {
        this.policy = policy;
    }

    @Override
    public void open(OpenContext ctx) {
        renderer = new StatusRenderer(policy);
        ValueStateDescriptor<StatusState> d =
                new ValueStateDescriptor<>("status", StatusState.class);
        d.enableTimeToLive(StateTtlConfig.newBuilder(STATE_TTL).build());
        state = getRuntimeContext().getState(d);
    }

    @Override
    public void processElement(IncidentEvent e, Context ctx, Collector<StatusUpdate> out)
            throws Exception {
        StatusState st = state.value();
        if (st == null) {
            st = StatusState.fresh(AUDIENCES.length);
        }
        remember(st, e);
        StatusTrigger trigger = StatusTrigger.of(e.getType());
        long at = e.getEventTime().toEpochMilli();
        for (StatusAudience a : AUDIENCES) {
            StatusUpdatePolicy.Audience settings = policy.audience(a);
            if (settings == null || !settings.enabled()) {
                continue;
            }
            int i = a.ordinal();
            if (trigger == StatusTrigger.RESOLVED) {
                if (st.told(i)) {
                    out.collect(update(a, settings, st, e, trigger, false));
                }
            } else if (!st.told(i)) {
                if (trigger != null && settings.hears(e.getSeverity())) {
                    out.collect(update(a, settings, st, e, trigger, true));
                }
            } else {
                boolean due = at - st.lastSentAt[i] >= settings.minIntervalMillis();
                boolean triggers = trigger != null && settings.triggers().contains(trigger);
                if (triggers && !due) {
                    st.pending[i] |= 1 << trigger.ordinal();
                } else if (triggers || (due && st.pending[i] != 0)) {
                    out.collect(update(a, settings, st, e, triggers ? trigger : null, false));
                }
            }
        }
        if (e.getType() == IncidentEventType.RESOLVED || e.getType() == IncidentEventType.MERGED) {
            state.clear();
        } else {
            state.update(st);
        }
    }

    /** Keeps who was paged and the root cause's evidence for the technical audience. */
    private static void remember(StatusState st, IncidentEvent e) {
        IncidentEventType type = e.getType();
        if (type == IncidentEventType.ESCALATED
                && e.getTarget() != null
                && st.paged.length < StatusState.MAX_PAGED
                && !Arrays.asList(st.paged).contains(e.getTarget())) {
            st.paged = Arrays.copyOf(st.paged, st.paged.length + 1);
            st.paged[st.paged.length - 1] = e.getTarget();
        }
        if (type == IncidentEventType.REOPENED) {
            st.reopened = true;
        }
        if (type == IncidentEventType.OPENED
                || type == IncidentEventType.REOPENED
                || type == IncidentEventType.ROOT_CAUSE_CHANGED) {
            List<String> kv = new ArrayList<>();
            for (Map.Entry<String, String> x : new TreeMap<>(e.getEvidence()).entrySet()) {
                if (kv.size() == StatusState.MAX_EVIDENCE) {
                    break;
                }
                String entry = x.getKey() + "=" + x.getValue();
                kv.add(
                        entry.length() > StatusState.MAX_EVIDENCE_CHARS
                                ? entry.substring(0, StatusState.MAX_EVIDENCE_CHARS - 1) + "\u2026"
                                : entry);
            }
            st.evidence = kv.toArray(new String[0]);
        }
    }

    /** The update for {@code a} now, with what was held back; records it as sent. */
    private StatusUpdate update(
            StatusAudience a,
            StatusUpdatePolicy.Audience settings,
            StatusState st,
            IncidentEvent e,
            StatusTrigger trigger,
            boolean first) {
        int i = a.ordinal();
        Set<StatusTrigger> triggers = EnumSet.noneOf(StatusTrigger.class);
        for (StatusTrigger t : StatusTrigger.values()) {
            if ((st.pending[i] & (1 << t.ordinal())) != 0) {
                triggers.add(t);
            }
        }
        if (trigger != null) {
            triggers.add(trigger);
        }
        long at = e.getEventTime().toEpochMilli();
        String severity = e.getSeverity().name();
        UpdateFacts facts =
                new UpdateFacts(
                        e.getIncidentId(),
                        at,
                        e.getOpenedAt() != null ? e.getOpenedAt().toEpochMilli() : at,
                        severity,
                        st.lastSeverity[i],
                        e.getStatus().name(),
                        e.getTitle(),
                        e.getDomain(),
                        List.copyOf(e.getServices()),
                        e.getAlertCount(),
                        e.getActiveAlertCount(),
                        e.getRootCauseService(),
                        List.of(st.evidence),
                        List.of(st.paged),
                        triggers,
                        first,
                        st.reopened,
                        triggers.contains(StatusTrigger.RESOLVED)
                                ? null
                                : at + settings.minIntervalMillis(),
                        policy.impactOf(e.getSeverity()));
        StatusRenderer.Rendered r = renderer.render(a, facts);
        StatusUpdate u = new StatusUpdate();
        u.incidentId = e.getIncidentId();
        u.audience = a.key();
        u.seq = e.getSeq();
        u.updateId = u.incidentId + "/" + u.audience + "/" + u.seq;
        u.eventTime = at;
        for (StatusTrigger t : triggers) {
            u.triggers.add(t.name());
        }
        u.first = first;
        u.severity = severity;
        u.status = e.getStatus().name();
        u.channels.addAll(settings.channelsFor(e.getSeverity()));
        u.subject = r.subject();
        u.text = r.text();
        st.lastSentAt[i] = at;
        st.pending[i] = 0;
        st.lastSeverity[i] = severity;
        return u;
    }
}

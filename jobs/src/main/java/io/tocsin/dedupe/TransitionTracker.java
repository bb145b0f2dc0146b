package io.tocsin.dedupe;

import io.tocsin.avro.Alert;
import io.tocsin.avro.AlertStatus;
import io.tocsin.config.DedupePolicy;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one fingerprint's notifications into state transitions: re-sends produce nothing, a change
 * produces one transition, a firing alert that stops being re-sent resolves at its endsAt or after
 * the resolve timeout (as in Alertmanager), and an alert that changes state more than {@code
 * flapThreshold} times within {@code flapWindow} is marked flapping: that change goes on marked,
 * later ones are held until the state is unchanged for {@code flapStableFor}, then the current
 * state is released as one change. Plain logic with time as a parameter; the Flink function around
 * it only keeps the entry and the timers.
 */
public final class TransitionTracker {

    /** Annotation set on a resolve that Tocsin generated because the notifications stopped. */
    public static final String RESOLVED_BY = "tocsin_resolved_by";

    private final DedupePolicy policy;

    public TransitionTracker(DedupePolicy policy) {
        this.policy = policy;
    }

    /** What a step produced: the transition to pass on (or null) and whether flapping began. */
    public record Step(Alert transition, boolean flappingStarted, boolean resolvedByTimeout) {
        static final Step NONE = new Step(null, false, false);
    }

    /** Handles one notification at event time {@code t}. */
    public Step onNotification(DedupeEntry e, Alert a, long t) {
        e.lastSeenMillis = Math.max(e.lastSeenMillis, t);
        e.lastAlert = a;
        boolean firing = a.getStatus() == AlertStatus.FIRING;
        if (firing) {
            Instant ends = a.getEndsAt();
            e.resolveAtMillis =
                    ends != null && ends.toEpochMilli() > t
                            ? ends.toEpochMilli()
                            : t + policy.resolveTimeout().toMillis();
        } else {
            e.resolveAtMillis = 0;
        }
        boolean change =
                e.rawStatus == null
                        || !e.rawStatus.equals(a.getStatus().name())
                        || (firing && a.getStartsAt().toEpochMilli() > e.rawStartsAtMillis);
        if (!change) {
            return Step.NONE;
        }
        return change(e, a, t, false);
    }

    /**
     * Handles what falls due at event time {@code t}: a resolve timeout, then a flapping release.
     * Returns the steps in event-time order.
     */
    public List<Step> onTime(DedupeEntry e, long t) {
        Step timeout = Step.NONE;
        if (e.resolveAtMillis != 0 && e.resolveAtMillis <= t && "FIRING".equals(e.rawStatus)) {
            long at = e.resolveAtMillis;
            Alert last = e.lastAlert;
            Map<String, String> annotations = new HashMap<>(last.getAnnotations());
            annotations.put(RESOLVED_BY, "resolve-timeout");
            Alert resolved =
                    Alert.newBuilder(last)
                            .setStatus(AlertStatus.RESOLVED)
                            .setEndsAt(Instant.ofEpochMilli(at))
                            .setReceivedAt(Instant.ofEpochMilli(at))
                            .setAnnotations(annotations)
                            .setFlapping(false)
                            .build();
            e.resolveAtMillis = 0;
            e.lastAlert = resolved;
            timeout = change(e, resolved, at, true);
        }
        Step release = Step.NONE;
        long stableAt = e.lastChangeMillis + policy.flapStableFor().toMillis();
        if (e.flapping && stableAt <= t) {
            e.flapping = false;
            e.changeTimes = new long[0];
            e.emittedStatus = e.rawStatus;
            release =
                    new Step(
                            Alert.newBuilder(e.lastAlert)
                                    .setReceivedAt(Instant.ofEpochMilli(stableAt))
                                    .setFlapping(false)
                                    .build(),
                            false,
                            false);
        }
        if (timeout.transition() == null && release.transition() == null) {
            return List.of();
        }
        if (timeout.transition() == null) {
            return List.of(release);
        }
        return release.transition() == null ? List.of(timeout) : List.of(timeout, release);
    }

    /** The next event time at which {@link #onTime} has something to do, or Long.MAX_VALUE. */
    public long nextDue(DedupeEntry e) {
        long due = e.lastSeenMillis + policy.stateTtl().toMillis();
        if (e.resolveAtMillis != 0 && "FIRING".equals(e.rawStatus)) {
            due = Math.min(due, e.resolveAtMillis);
        }
        if (e.flapping) {
            due = Math.min(due, e.lastChangeMillis + policy.flapStableFor().toMillis());
        }
        return due;
    }

    /** Whether the entry may be dropped at {@code t} (nothing pending, TTL passed). */
    public boolean expired(DedupeEntry e, long t) {
        return !e.flapping
                && (e.resolveAtMillis == 0 || !"FIRING".equals(e.rawStatus))
                && e.lastSeenMillis + policy.stateTtl().toMillis() <= t;
    }

    private Step change(DedupeEntry e, Alert a, long t, boolean byTimeout) {
        e.rawStatus = a.getStatus().name();
        if (a.getStatus() == AlertStatus.FIRING) {
            e.rawStartsAtMillis = a.getStartsAt().toEpochMilli();
        }
        e.lastChangeMillis = t;
        e.changeTimes = recentChanges(e.changeTimes, t);
        if (e.flapping) {
            return new Step(null, false, byTimeout); // held back until stable
        }
        if (e.changeTimes.length > policy.flapThreshold()) {
            e.flapping = true;
            e.emittedStatus = e.rawStatus;
            return new Step(Alert.newBuilder(a).setFlapping(true).build(), true, byTimeout);
        }
        e.emittedStatus = e.rawStatus;
        return new Step(a, false, byTimeout);
    }

    /** Appends {@code t}, keeping the changes inside the window and at most threshold + 1. */
    private long[] recentChanges(long[] times, long t) {
        long from = t - policy.flapWindow().toMillis();
        int keep = 0;
        for (long x : times) {
            if (x > from) {
                keep++;
            }
        }
        int max = policy.flapThreshold() + 1;
        int n = Math.min(keep + 1, max);
        long[] out = new long[n];
        long[] recent = Arrays.copyOfRange(times, times.length - keep, times.length);
        int skip = recent.length - (n - 1);
        System.arraycopy(recent, skip, out, 0, n - 1);
        out[n - 1] = t;
        return out;
    }
}

package io.tocsin.dedupe;

import io.tocsin.avro.Alert;

/**
 * What dedupe remembers per fingerprint. The bound per active fingerprint is the latest
 * notification (labels and annotations, typically 0.5-2 KB serialized; needed to emit a resolve on
 * timeout or a flapping release) plus about 100 bytes of fields and change times; it is dropped
 * once {@code stateTtl} of event time passes without a notification.
 */
public class DedupeEntry {

    /** FIRING or RESOLVED: the last state passed downstream (null before the first). */
    public String emittedStatus;

    /** The alert's actual state, which differs from the emitted one while it is flapping. */
    public String rawStatus;

    /** startsAt (epoch millis) of the current episode; a later startsAt is a new episode. */
    public long rawStartsAtMillis;

    /** Event time of the last notification. */
    public long lastSeenMillis;

    /** When a firing alert resolves unless re-sent (endsAt or resolve timeout); 0 when none. */
    public long resolveAtMillis;

    /** Whether transitions are being held back. */
    public boolean flapping;

    /** Event time of the last actual state change. */
    public long lastChangeMillis;

    /** Times of the recent actual state changes, oldest first, at most flapThreshold + 1. */
    public long[] changeTimes = new long[0];

    /** The latest notification. */
    public Alert lastAlert;

    /** The earliest event-time timer registered for this key (0 when none). */
    public long timerMillis;

    public DedupeEntry() {}
}

package io.tocsin.dedupe;

/**
 * What dedupe remembers per fingerprint: the last state passed on and when it was last heard of.
 * About 60 bytes serialized (status, two longs, a flag) plus the key: the bound per active
 * fingerprint, held until {@code stateTtl} of event time passes without a notification.
 */
public class DedupeEntry {

    /** FIRING or RESOLVED: the last state passed downstream. */
    public String status;

    /** startsAt (epoch millis) of the episode passed on; a new startsAt means a new episode. */
    public long startsAtMillis;

    /** Event time of the last notification for this fingerprint. */
    public long lastSeenMillis;

    /** Event time at which the pending eviction timer fires (one timer per key at a time). */
    public long expiryTimerMillis;

    public DedupeEntry() {}
}

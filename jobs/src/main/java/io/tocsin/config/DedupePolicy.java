package io.tocsin.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * How re-sent notifications are collapsed into state transitions.
 *
 * @param resolveTimeout a firing alert with no endsAt that is not re-sent for this long is
 *     considered resolved (Alertmanager's resolve_timeout); with an endsAt it resolves then
 * @param stateTtl state of a fingerprint not heard from for this long (event time) is dropped
 * @param flapThreshold an alert changing state more than this many times within {@code flapWindow}
 *     is flapping
 * @param flapWindow the window in which changes are counted
 * @param flapStableFor a flapping alert whose state has not changed for this long is stable again
 */
public record DedupePolicy(
        Duration resolveTimeout,
        Duration stateTtl,
        int flapThreshold,
        Duration flapWindow,
        Duration flapStableFor)
        implements Serializable {

    public static DedupePolicy defaults() {
        return new DedupePolicy(
                Duration.ofMinutes(5),
                Duration.ofHours(24),
                4,
                Duration.ofMinutes(10),
                Duration.ofMinutes(5));
    }
}

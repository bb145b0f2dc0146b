package io.tocsin.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * How re-sent notifications are collapsed into state transitions.
 *
 * @param resolveTimeout a firing alert with no endsAt that is not re-sent for this long is
 *     considered resolved (Alertmanager's resolve_timeout)
 * @param stateTtl state of a fingerprint not heard from for this long (event time) is dropped
 */
public record DedupePolicy(Duration resolveTimeout, Duration stateTtl) implements Serializable {

    public static DedupePolicy defaults() {
        return new DedupePolicy(Duration.ofMinutes(5), Duration.ofHours(24));
    }
}

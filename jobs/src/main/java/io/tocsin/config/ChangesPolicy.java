package io.tocsin.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * How an incident names its suspect changes (the {@code changes} policy section).
 *
 * @param suspectWindow a change at most this long before the incident's first alert is a suspect
 * @param maxHops changes on services at most this many dependency hops from a member service count
 *     (0: the incident's own services only)
 * @param maxSuspects how many suspects an incident names, best first
 * @param keepFor how long (event time) a change is remembered after it happened: an incident that
 *     grows later than this after its first alert gets no new suspects from older changes
 * @param maxChanges at most this many changes are remembered (the oldest are dropped first)
 */
public record ChangesPolicy(
        Duration suspectWindow, int maxHops, int maxSuspects, Duration keepFor, int maxChanges)
        implements Serializable {

    public static ChangesPolicy defaults() {
        return new ChangesPolicy(Duration.ofHours(2), 2, 3, Duration.ofDays(1), 10_000);
    }
}

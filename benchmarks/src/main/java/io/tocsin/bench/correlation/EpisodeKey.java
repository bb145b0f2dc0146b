package io.tocsin.bench.correlation;

import java.time.Instant;
import java.util.Comparator;

/**
 * One firing period of one alert: the alert's fingerprint (as Tocsin computes it from the labels)
 * and the {@code startsAt} of that period. The unit every correlation metric counts.
 */
public record EpisodeKey(String fingerprint, Instant startsAt) implements Comparable<EpisodeKey> {

    private static final Comparator<EpisodeKey> ORDER =
            Comparator.comparing(EpisodeKey::startsAt).thenComparing(EpisodeKey::fingerprint);

    @Override
    public int compareTo(EpisodeKey o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return fingerprint + "@" + startsAt;
    }
}

package io.tocsin.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * One on-call role: rotation layers (a later layer wins wherever it has someone on call) and
 * overrides on top (a later override wins where two overlap), in the schedule's time zone.
 */
public record OnCallSchedule(ZoneId zone, List<OnCallLayer> layers, List<OnCallOverride> overrides)
        implements Serializable {

    public OnCallSchedule {
        layers = List.copyOf(layers);
        overrides = List.copyOf(overrides);
    }

    public Optional<String> onCall(Instant t) {
        for (int i = overrides.size() - 1; i >= 0; i--) {
            if (overrides.get(i).covers(t)) {
                return Optional.of(overrides.get(i).member());
            }
        }
        for (int i = layers.size() - 1; i >= 0; i--) {
            String m = layers.get(i).memberAt(t, zone);
            if (m != null) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /**
     * The first instant after {@code t}, and not after {@code until}, at which {@link #onCall}
     * names someone else (or nobody): the earliest handoff, restriction boundary or override edge
     * that changes the answer. Empty when nothing changes by {@code until}. Each step moves to the
     * next candidate, so the search is bounded by the candidates before {@code until}.
     */
    public Optional<Instant> nextChange(Instant t, Instant until) {
        Optional<String> now = onCall(t);
        Instant at = t;
        while (at.isBefore(until)) {
            Instant next = until;
            for (OnCallOverride o : overrides) {
                next = earlier(next, o.start(), at);
                next = earlier(next, o.end(), at);
            }
            for (OnCallLayer l : layers) {
                next = earlier(next, l.nextHandoff(at, zone), at);
                if (l.restrict() != null) {
                    LocalDateTime local = at.atZone(zone).toLocalDateTime();
                    Instant b = l.restrict().nextBoundary(local).atZone(zone).toInstant();
                    // a boundary in a daylight-saving gap maps back: step past it
                    next = earlier(next, b.isAfter(at) ? b : at.plusSeconds(3600), at);
                }
            }
            if (!onCall(next).equals(now)) {
                return Optional.of(next);
            }
            at = next;
        }
        return Optional.empty();
    }

    private static Instant earlier(Instant best, Instant candidate, Instant after) {
        return candidate.isAfter(after) && candidate.isBefore(best) ? candidate : best;
    }

    /** Whether {@code person} is in one of the rotations or overrides. */
    public boolean hasMember(String person) {
        return layers.stream().anyMatch(l -> l.members().contains(person))
                || overrides.stream().anyMatch(o -> o.member().equals(person));
    }

    /** A schedule as written; null where left out. Layers and overrides bind on their own. */
    record RawSchedule(String timeZone, List<JsonNode> layers, List<JsonNode> overrides) {}

    static OnCallSchedule from(ConfigNode n) {
        if (n.isMissing()) {
            throw n.error("expected a schedule with timeZone and layers");
        }
        RawSchedule raw = ConfigBinder.bind(n, RawSchedule.class);
        ConfigNode z = n.get("timeZone");
        ZoneId zone;
        try {
            zone = ZoneId.of(ConfigBinder.required(z, raw.timeZone()).trim());
        } catch (DateTimeException e) {
            throw z.error("unknown time zone '" + raw.timeZone() + "' (e.g. Europe/Berlin, UTC)");
        }
        List<OnCallLayer> layers = n.get("layers").list().stream().map(OnCallLayer::from).toList();
        if (layers.isEmpty()) {
            throw n.get("layers").error("name at least one layer");
        }
        List<OnCallOverride> overrides =
                n.get("overrides").list().stream().map(OnCallOverride::from).toList();
        return new OnCallSchedule(zone, layers, overrides);
    }
}

package io.tocsin.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.time.DateTimeException;
import java.time.Instant;
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

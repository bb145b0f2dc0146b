package io.tocsin.config;

import java.io.Serializable;
import java.time.Instant;

/** Someone covering a schedule from {@code start} (inclusive) to {@code end} (exclusive). */
public record OnCallOverride(String member, Instant start, Instant end) implements Serializable {

    public boolean covers(Instant t) {
        return !t.isBefore(start) && t.isBefore(end);
    }

    /** An override as written; null where left out. */
    record RawOverride(String member, String start, String end) {}

    static OnCallOverride from(ConfigNode n) {
        RawOverride raw = ConfigBinder.bind(n, RawOverride.class);
        String member = ConfigBinder.required(n.get("member"), raw.member()).trim();
        Instant start = SuppressionRulesReader.instant(n.get("start"), raw.start());
        Instant end = SuppressionRulesReader.instant(n.get("end"), raw.end());
        if (!end.isAfter(start)) {
            throw n.get("end").error("must be after start");
        }
        return new OnCallOverride(member, start, end);
    }
}

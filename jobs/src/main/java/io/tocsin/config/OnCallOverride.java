package io.tocsin.config;

import java.io.Serializable;
import java.time.Instant;
import java.util.Set;

/** Someone covering a schedule from {@code start} (inclusive) to {@code end} (exclusive). */
public record OnCallOverride(String member, Instant start, Instant end) implements Serializable {

    public boolean covers(Instant t) {
        return !t.isBefore(start) && t.isBefore(end);
    }

    static OnCallOverride from(ConfigNode n) {
        n.allowOnly(Set.of("member", "start", "end"));
        String member = n.get("member").requiredText().trim();
        Instant start = SuppressionRulesReader.instant(n.get("start"));
        Instant end = SuppressionRulesReader.instant(n.get("end"));
        if (!end.isAfter(start)) {
            throw n.get("end").error("must be after start");
        }
        return new OnCallOverride(member, start, end);
    }
}

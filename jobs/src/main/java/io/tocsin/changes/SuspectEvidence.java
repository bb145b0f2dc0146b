package io.tocsin.changes;

import static io.tocsin.evidence.EvidenceKeys.SUSPECT_AUTHOR;
import static io.tocsin.evidence.EvidenceKeys.SUSPECT_AUTHOR_TEAM;
import static io.tocsin.evidence.EvidenceKeys.SUSPECT_CHANGE_ID;
import static io.tocsin.evidence.EvidenceKeys.SUSPECT_COUNT;
import static io.tocsin.evidence.EvidenceKeys.SUSPECT_HOPS;
import static io.tocsin.evidence.EvidenceKeys.SUSPECT_KIND;
import static io.tocsin.evidence.EvidenceKeys.SUSPECT_LINK;
import static io.tocsin.evidence.EvidenceKeys.SUSPECT_MINUTES_BEFORE;
import static io.tocsin.evidence.EvidenceKeys.SUSPECT_PATH;
import static io.tocsin.evidence.EvidenceKeys.SUSPECT_SERVICE;
import static io.tocsin.evidence.EvidenceKeys.SUSPECT_TIME;
import static io.tocsin.evidence.EvidenceKeys.SUSPECT_VERSION;
import static io.tocsin.evidence.EvidenceKeys.SUSPECT_WHY;
import static io.tocsin.evidence.EvidenceKeys.suspect;

import io.tocsin.avro.Change;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** A ranking as the evidence map, reason and signature of a CHANGE_SUSPECTED event. */
final class SuspectEvidence {

    private SuspectEvidence() {}

    static Map<String, String> of(List<Suspect> ranking) {
        Map<String, String> ev = new TreeMap<>();
        ev.put(SUSPECT_COUNT, Integer.toString(ranking.size()));
        for (int i = 0; i < ranking.size(); i++) {
            Suspect s = ranking.get(i);
            Change c = s.change();
            int r = i + 1;
            ev.put(suspect(r, SUSPECT_CHANGE_ID), c.getChangeId());
            ev.put(suspect(r, SUSPECT_SERVICE), c.getService());
            ev.put(suspect(r, SUSPECT_KIND), c.getKind().name());
            ev.put(suspect(r, SUSPECT_VERSION), s.version());
            ev.put(suspect(r, SUSPECT_AUTHOR), orEmpty(c.getAuthor()));
            if (c.getAuthorTeam() != null) {
                ev.put(suspect(r, SUSPECT_AUTHOR_TEAM), c.getAuthorTeam());
            }
            ev.put(suspect(r, SUSPECT_LINK), orEmpty(c.getLink()));
            ev.put(suspect(r, SUSPECT_TIME), c.getTime().toString());
            ev.put(suspect(r, SUSPECT_HOPS), Integer.toString(s.hops()));
            ev.put(suspect(r, SUSPECT_PATH), String.join(">", s.path()));
            ev.put(suspect(r, SUSPECT_MINUTES_BEFORE), Long.toString(s.minutesBefore()));
            ev.put(suspect(r, SUSPECT_WHY), s.why());
        }
        return ev;
    }

    static String reason(List<Suspect> ranking) {
        if (ranking.isEmpty()) {
            return "no change is a suspect any more";
        }
        Suspect top = ranking.get(0);
        return "top suspect: "
                + top.why()
                + (ranking.size() > 1 ? " (+" + (ranking.size() - 1) + " more)" : "");
    }

    /** What identifies a ranking: the change ids in rank order, with their hops. */
    static String signature(List<Suspect> ranking) {
        return ranking.stream()
                .map(s -> s.change().getChangeId() + "@" + s.hops())
                .collect(Collectors.joining(","));
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}

package io.tocsin.changes;

import io.tocsin.avro.Change;
import java.util.List;

/**
 * One suspect change of an incident.
 *
 * @param change the change
 * @param path the dependency path from a member service to the changed service (one element: the
 *     change is on a member service); its length minus one is the hops
 * @param millisBefore how long before the incident's first alert the change happened
 */
public record Suspect(Change change, List<String> path, long millisBefore) {

    public Suspect {
        path = List.copyOf(path);
    }

    public int hops() {
        return path.size() - 1;
    }

    public long minutesBefore() {
        return millisBefore / 60_000;
    }

    /** The version text: the version, or from -> to, or empty. */
    public String version() {
        if (change.getVersion() != null) {
            return change.getVersion();
        }
        if (change.getToVersion() != null) {
            return change.getFromVersion() == null
                    ? change.getToVersion()
                    : change.getFromVersion() + " -> " + change.getToVersion();
        }
        return "";
    }

    /** Why it is a suspect, in words. */
    public String why() {
        String what = kindText() + " of " + change.getService();
        String where =
                hops() == 0
                        ? "a service of the incident"
                        : hops()
                                + (hops() == 1 ? " hop" : " hops")
                                + " down the dependencies of "
                                + path.get(0)
                                + " ("
                                + String.join(" -> ", path)
                                + ")";
        return what + ": " + where + ", " + minutesBefore() + " min before the first alert";
    }

    private String kindText() {
        return switch (change.getKind()) {
            case DEPLOY -> "deploy";
            case CONFIG -> "config change";
            case FEATURE_FLAG -> "feature flag change";
            case INFRASTRUCTURE -> "infrastructure change";
            default -> "change";
        };
    }
}

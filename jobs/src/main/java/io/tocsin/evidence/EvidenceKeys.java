package io.tocsin.evidence;

/**
 * Evidence keys one stage writes on an incident event and another reads: the contract between
 * correlate (which writes them) and escalate (whose triggers and CEP patterns read them), so
 * neither imports the other.
 */
public final class EvidenceKeys {

    private EvidenceKeys() {}

    /** On events about one alert: that alert's own severity. */
    public static final String ALERT_SEVERITY = "alertSeverity";

    /** On events about one alert: present ("true") when the alert is flapping. */
    public static final String FLAPPING = "alertFlapping";

    /**
     * Prefix on events about one alert: {@code alert.<name>} for each of its labels and annotations
     * whose value is a number (e.g. alert.anomaly_score), for threshold triggers.
     */
    public static final String ALERT_VALUE_PREFIX = "alert.";

    /**
     * On CHANGE_SUSPECTED (written by the changes stage): how many suspect changes the incident
     * names; each is {@code suspect.<rank>.<field>} from rank 1 (best) with the fields below.
     */
    public static final String SUSPECT_COUNT = "suspect.count";

    public static final String SUSPECT_CHANGE_ID = "changeId";
    public static final String SUSPECT_SERVICE = "service";
    public static final String SUSPECT_KIND = "kind";
    public static final String SUSPECT_VERSION = "version";
    public static final String SUSPECT_AUTHOR = "author";
    public static final String SUSPECT_AUTHOR_TEAM = "authorTeam";
    public static final String SUSPECT_LINK = "link";
    public static final String SUSPECT_TIME = "time";
    public static final String SUSPECT_HOPS = "hops";
    public static final String SUSPECT_PATH = "path";
    public static final String SUSPECT_MINUTES_BEFORE = "minutesBefore";
    public static final String SUSPECT_WHY = "why";

    /** The evidence key of one suspect's field, e.g. {@code suspect.1.changeId}. */
    public static String suspect(int rank, String field) {
        return "suspect." + rank + "." + field;
    }

    /**
     * On events about one alert: the alert's runbook_url annotation, when it is an http(s) URL (the
     * escalate stage puts the members' runbooks on pages).
     */
    public static final String ALERT_RUNBOOK = "alertRunbook";

    /**
     * On RESOLVED and CLASSIFIED (written by the escalate stage, read by the analytics): what the
     * incident turned out to be, one of fixed, false-positive, duplicate; absent while nobody said.
     */
    public static final String DISPOSITION = "disposition";

    /** On CLASSIFIED: the incident's impact class, one of outage, degradation, none. */
    public static final String IMPACT = "impact";

    /** On CLASSIFIED: the incident's classification tags, a JSON array of strings, sorted. */
    public static final String TAGS = "tags";
}

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
     * On events about one alert: the alert's runbook_url annotation, when it is an http(s) URL (the
     * escalate stage puts the members' runbooks on pages).
     */
    public static final String ALERT_RUNBOOK = "alertRunbook";
}

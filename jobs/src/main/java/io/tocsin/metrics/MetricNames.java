package io.tocsin.metrics;

/**
 * Every metric name the job registers, declared once. Stages import these; MetricNamesITCase runs
 * the pipeline and checks that each is registered. Flink's Prometheus reporter exports them with
 * its scope prefix ({@code flink_taskmanager_job_task_operator_}) and the job, task and operator as
 * labels; a counter in a key/value group ({@link #REASON}, {@link #TRIGGER}) gets the key in its
 * name and the value as a label, e.g. {@code
 * flink_taskmanager_job_task_operator_reason_tocsin_ingest_dead_letters{reason="BAD_TIME"}}.
 */
public final class MetricNames {

    private MetricNames() {}

    /** Alerts decoded and validated (ingest). */
    public static final String ALERTS_ACCEPTED = "tocsin_ingest_alerts_accepted";

    public static final String POINTS_ACCEPTED = "tocsin_ingest_points_accepted";
    public static final String COMMANDS_ACCEPTED = "tocsin_ingest_commands_accepted";
    public static final String CHANGES_ACCEPTED = "tocsin_ingest_changes_accepted";

    /**
     * Records rejected to the dead-letter output (ingest): a total, and the same name per {@link
     * #REASON} group (the RejectReason code).
     */
    public static final String DEAD_LETTERS = "tocsin_ingest_dead_letters";

    /** Group key of counters split by reason code (a Prometheus label of the same name). */
    public static final String REASON = "reason";

    /**
     * Group key of counters split by what caused an escalation or page: the event's actor when it
     * is a rule ({@code policy:tier-timeout}, {@code cep:warning-burst}), {@code command} when a
     * person's command did it.
     */
    public static final String TRIGGER = "trigger";

    /** Escalations (ESCALATED events), total and per {@link #TRIGGER} (escalate). */
    public static final String ESCALATIONS = "tocsin_escalations";

    /** Commands refused by role rules (escalate). */
    public static final String COMMANDS_REJECTED = "tocsin_commands_rejected";

    /** Pages that left the page limiter, per {@link #TRIGGER} (escalate/page). */
    public static final String PAGES_BY_TRIGGER = "tocsin_pages";

    /**
     * Wall-clock milliseconds from an incident event's event time (an alert's arrival, or the
     * moment a timer was due) to its emission by the escalate stage: live, the delay a person's
     * pager sees before the sink. A histogram (Prometheus summary with quantiles).
     */
    public static final String END_TO_END_LATENCY = "tocsin_end_to_end_latency_ms";

    /** Notifications dropped as re-sends or duplicates (dedupe). */
    public static final String DUPLICATES_DROPPED = "tocsin_dedupe_duplicates_dropped";

    /** State transitions passed on (dedupe). */
    public static final String TRANSITIONS = "tocsin_dedupe_transitions";

    /** Records that arrived behind the watermark and were handled out of order. */
    public static final String LATE_RECORDS = "tocsin_late_records";

    /** Alerts that started flapping; their transitions are held back until stable (dedupe). */
    public static final String FLAPPING_STARTED = "tocsin_dedupe_flapping_started";

    /** Firing alerts resolved because no notification arrived within the resolve timeout. */
    public static final String RESOLVED_BY_TIMEOUT = "tocsin_dedupe_resolved_by_timeout";

    /** Transitions marked suppressed by a maintenance window, silence or inhibition (suppress). */
    public static final String SUPPRESSED = "tocsin_suppress_suppressed";

    /** Held alerts released as fresh transitions when their mute ended (suppress). */
    public static final String RELEASED = "tocsin_suppress_released";

    /** Incidents opened (correlate). */
    public static final String INCIDENTS_OPENED = "tocsin_correlate_incidents_opened";

    /** Mesh calls ignored because the correlator holds its maximum of them (correlate). */
    public static final String MESH_CALLS_DROPPED = "tocsin_correlate_mesh_calls_dropped";

    /** Incidents currently held in state (correlate). */
    public static final String INCIDENTS_OPEN = "tocsin_correlate_incidents_open";

    /** Rows written to ClickHouse (sink), and failed insert attempts. */
    public static final String CLICKHOUSE_ROWS = "tocsin_clickhouse_rows_written";

    public static final String CLICKHOUSE_FAILURES = "tocsin_clickhouse_insert_failures";

    /**
     * Rows already older than the table's retention when written (sink): ClickHouse's TTL drops
     * them, so a replay or backfill of old data must be loaded into a database migrated with a
     * larger retention.
     */
    public static final String CLICKHOUSE_ROWS_PAST_RETENTION =
            "tocsin_clickhouse_rows_past_retention";

    /** Telemetry points scored by the anomaly detectors (anomaly). */
    public static final String ANOMALY_POINTS = "tocsin_anomaly_points_scored";

    /** Telemetry points skipped: missing value, or older than the series' last point (anomaly). */
    public static final String ANOMALY_POINTS_SKIPPED = "tocsin_anomaly_points_skipped";

    /** Synthetic anomaly alerts that started firing, and that resolved (anomaly). */
    public static final String ANOMALY_FIRED = "tocsin_anomaly_alerts_fired";

    public static final String ANOMALY_RESOLVED = "tocsin_anomaly_alerts_resolved";

    /** Series forgotten after reporting nothing for the state TTL (anomaly). */
    public static final String ANOMALY_SERIES_EXPIRED = "tocsin_anomaly_series_expired";

    /** The {@link #TRIGGER} value of an escalation or page by its actor. */
    public static String triggerOf(String actor) {
        if (actor == null || actor.isBlank()) {
            return "unknown";
        }
        return actor.indexOf(':') > 0 ? actor : "command";
    }
}

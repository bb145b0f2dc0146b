-- Current state of each incident: the row with the highest version (the event seq) wins. Read
-- with FINAL or argMax. Derived from incident_events by the materialized view below, so the job
-- writes each change once.
CREATE TABLE IF NOT EXISTS incidents
(
    incident_id        String,
    version            UInt64,
    domain             LowCardinality(String),
    status             LowCardinality(String),
    severity           LowCardinality(String),
    title              String,
    services           Array(LowCardinality(String)),
    root_cause_service LowCardinality(Nullable(String)),
    alert_count        UInt32,
    active_alert_count UInt32,
    first_alert_at     Nullable(DateTime64(3, 'UTC')),
    opened_at          Nullable(DateTime64(3, 'UTC')),
    last_event_type    LowCardinality(String),
    last_event_at      DateTime64(3, 'UTC'),
    resolved_at        Nullable(DateTime64(3, 'UTC')),
    merged_into        Nullable(String),
    recurrence_of      Nullable(String)
)
ENGINE = ReplacingMergeTree(version)
ORDER BY incident_id
TTL toDateTime(last_event_at) + INTERVAL {{retention_days}} DAY;

CREATE MATERIALIZED VIEW IF NOT EXISTS incidents_from_events TO incidents AS
SELECT
    incident_id,
    seq AS version,
    domain,
    status,
    severity,
    title,
    services,
    root_cause_service,
    alert_count,
    active_alert_count,
    first_alert_at,
    opened_at,
    type AS last_event_type,
    event_time AS last_event_at,
    if(type = 'RESOLVED', event_time, NULL) AS resolved_at,
    merged_into,
    recurrence_of
FROM incident_events;

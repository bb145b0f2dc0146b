-- The full audit trail: one row per incident lifecycle event. (incident_id, seq) is unique, so a
-- replayed batch collapses on merge (ReplacingMergeTree) and FINAL reads are exact.
CREATE TABLE IF NOT EXISTS incident_events
(
    event_time         DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1)),
    incident_id        String,
    seq                UInt64,
    event_id           String,
    opened_at          Nullable(DateTime64(3, 'UTC')),
    first_alert_at     Nullable(DateTime64(3, 'UTC')),
    type               LowCardinality(String),
    domain             LowCardinality(String),
    severity           LowCardinality(String),
    previous_severity  LowCardinality(Nullable(String)),
    status             LowCardinality(String),
    title              String,
    services           Array(LowCardinality(String)),
    alert_count        UInt32,
    active_alert_count UInt32,
    fingerprint        Nullable(String),
    alertname          LowCardinality(Nullable(String)),
    alert_service      LowCardinality(Nullable(String)),
    root_cause_service LowCardinality(Nullable(String)),
    evidence           Map(LowCardinality(String), String),
    actor              LowCardinality(String),
    reason             String,
    merged_into        Nullable(String),
    recurrence_of      Nullable(String),
    escalation_tier    Nullable(UInt8),
    target             LowCardinality(Nullable(String))
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(event_time)
ORDER BY (incident_id, seq)
TTL toDateTime(event_time) + INTERVAL {{retention_days}} DAY;

-- Status updates as the job sent them to the status-updates topic: one row per update, the text
-- rendered for its audience and the channels it went to. (incident_id, audience, seq) is the
-- update's identity (update_id spells it), so a copy re-sent after a restart collapses on merge
-- (ReplacingMergeTree) and FINAL reads are exact. Rows are a few hundred bytes (the text).
CREATE TABLE IF NOT EXISTS status_updates
(
    event_time  DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1)),
    incident_id String,
    audience    LowCardinality(String),
    seq         UInt64,
    update_id   String,
    triggers    Array(LowCardinality(String)),
    first       Bool,
    severity    LowCardinality(String),
    status      LowCardinality(String),
    channels    Array(LowCardinality(String)),
    subject     String,
    text        String CODEC(ZSTD(3))
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(event_time)
ORDER BY (incident_id, audience, seq)
TTL toDateTime(event_time) + INTERVAL {{retention_days}} DAY;

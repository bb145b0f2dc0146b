-- Alert state transitions after dedupe and suppression: one row per transition.
CREATE TABLE IF NOT EXISTS alerts
(
    received_at   DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1)),
    fingerprint   String,
    status        LowCardinality(String),
    source        LowCardinality(String),
    alertname     LowCardinality(String),
    service       LowCardinality(String),
    domain        LowCardinality(String),
    severity      LowCardinality(String),
    starts_at     DateTime64(3, 'UTC'),
    ends_at       Nullable(DateTime64(3, 'UTC')),
    labels        Map(LowCardinality(String), String),
    annotations   Map(LowCardinality(String), String),
    generator_url String CODEC(ZSTD(3))
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(received_at)
ORDER BY (service, alertname, fingerprint, received_at, status)
TTL toDateTime(received_at) + INTERVAL {{retention_days}} DAY;

-- Telemetry anomalies: one row per detector finding whose score reached the detector's floor
-- (lower scores are not written). The key is the finding's identity, so a replayed batch collapses
-- on merge and FINAL reads are exact.
CREATE TABLE IF NOT EXISTS anomalies
(
    detected_at DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1)),
    metric      LowCardinality(String),
    series      String,
    service     LowCardinality(String),
    domain      LowCardinality(String),
    detector    LowCardinality(String),
    score       Float64 CODEC(Gorilla, ZSTD(1)),
    value       Float64 CODEC(Gorilla, ZSTD(1)),
    expected    Float64 CODEC(Gorilla, ZSTD(1)),
    labels      Map(LowCardinality(String), String)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(detected_at)
ORDER BY (service, metric, series, detector, detected_at)
TTL toDateTime(detected_at) + INTERVAL {{retention_days}} DAY;

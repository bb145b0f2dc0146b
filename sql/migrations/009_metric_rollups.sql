-- Telemetry: raw samples (kept at most 7 days) and per-series per-minute rollups (kept for the
-- retention period) filled by the materialized view below. Read rollups with the -Merge
-- combinators, e.g. countMerge(samples), avgMerge(avg_value), quantileTDigestMerge(0.99)(p99_value).
-- min and max are exact under replays; a batch of samples replayed after a restart is counted again
-- in samples, avg_value and p99_value (at most one checkpoint interval of samples; metric_points
-- FINAL is exact).
CREATE TABLE IF NOT EXISTS metric_points
(
    ts      DateTime64(3, 'UTC') CODEC(DoubleDelta, ZSTD(1)),
    metric  LowCardinality(String),
    series  String,
    service LowCardinality(String),
    value   Float64 CODEC(Gorilla, ZSTD(1)),
    labels  Map(LowCardinality(String), String)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMMDD(ts)
ORDER BY (metric, service, series, ts)
TTL toDateTime(ts) + INTERVAL least({{retention_days}}, 7) DAY;

CREATE TABLE IF NOT EXISTS metric_rollups
(
    minute    DateTime('UTC') CODEC(DoubleDelta, ZSTD(1)),
    metric    LowCardinality(String),
    service   LowCardinality(String),
    series    String,
    samples   AggregateFunction(count),
    min_value SimpleAggregateFunction(min, Float64),
    max_value SimpleAggregateFunction(max, Float64),
    avg_value AggregateFunction(avg, Float64),
    p99_value AggregateFunction(quantileTDigest(0.99), Float64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(minute)
ORDER BY (metric, service, series, minute)
TTL minute + INTERVAL {{retention_days}} DAY;

-- NaN marks a missing sample (Prometheus staleness): not a value, so not rolled up.
CREATE MATERIALIZED VIEW IF NOT EXISTS metric_rollups_from_points TO metric_rollups AS
SELECT
    toStartOfMinute(ts) AS minute,
    metric,
    service,
    series,
    countState() AS samples,
    min(value) AS min_value,
    max(value) AS max_value,
    avgState(value) AS avg_value,
    quantileTDigestState(0.99)(value) AS p99_value
FROM metric_points
WHERE NOT isNaN(value)
GROUP BY minute, metric, service, series;

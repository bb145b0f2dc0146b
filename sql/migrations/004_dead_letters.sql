-- Records Tocsin could not accept, with where they came from and why.
CREATE TABLE IF NOT EXISTS dead_letters
(
    received_at DateTime64(3, 'UTC'),
    topic       LowCardinality(String),
    partition   Nullable(Int32),
    offset      Nullable(Int64),
    stage       LowCardinality(String),
    reason_code LowCardinality(String),
    error       String,
    original    String CODEC(ZSTD(3))
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(received_at)
ORDER BY (reason_code, topic, received_at, ifNull(partition, -1), ifNull(offset, -1))
TTL toDateTime(received_at) + INTERVAL {{retention_days}} DAY;

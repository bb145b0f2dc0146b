-- Response-time targets per severity, read by sql/queries/08_sla_breaches.sql. These defaults are
-- a starting point: change a target by inserting a new row for its severity (the newest row wins,
-- read with FINAL), e.g.
--   INSERT INTO sla_targets (severity, ack_within_s, resolve_within_s) VALUES ('SEV2', 600, 7200)
CREATE TABLE IF NOT EXISTS sla_targets
(
    severity         LowCardinality(String),
    ack_within_s     UInt32,
    resolve_within_s UInt32,
    updated_at       DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY severity;

INSERT INTO sla_targets (severity, ack_within_s, resolve_within_s, updated_at) VALUES
    ('SEV1', 300, 3600, '2000-01-01 00:00:00.000'),
    ('SEV2', 900, 14400, '2000-01-01 00:00:00.000'),
    ('SEV3', 3600, 86400, '2000-01-01 00:00:00.000'),
    ('SEV4', 14400, 259200, '2000-01-01 00:00:00.000');

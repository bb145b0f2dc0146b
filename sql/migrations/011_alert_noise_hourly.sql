-- Alert transitions per hour, service, alert rule and suppression rule, kept up to date from
-- alerts by the materialized view below, for the noise queries and dashboards. The counts are
-- uniqExact over each transition's identity (fingerprint, received_at, status), so a batch
-- replayed into alerts after a restart does not count twice.
CREATE TABLE IF NOT EXISTS alert_noise_hourly
(
    hour          DateTime('UTC'),
    service       LowCardinality(String),
    alertname     LowCardinality(String),
    suppressed_by LowCardinality(String),
    transitions   AggregateFunction(uniqExact, String, DateTime64(3, 'UTC'), String),
    firing        AggregateFunction(uniqExactIf, String, DateTime64(3, 'UTC'), String, UInt8),
    flapping      AggregateFunction(uniqExactIf, String, DateTime64(3, 'UTC'), String, UInt8),
    fingerprints  AggregateFunction(uniqExact, String)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (hour, service, alertname, suppressed_by)
TTL hour + INTERVAL {{retention_days}} DAY;

CREATE MATERIALIZED VIEW IF NOT EXISTS alert_noise_hourly_from_alerts TO alert_noise_hourly AS
SELECT
    toStartOfHour(received_at) AS hour,
    service,
    alertname,
    if(suppressed, suppressed_by, '') AS suppressed_by,
    uniqExactState(fingerprint, received_at, toString(status)) AS transitions,
    uniqExactIfState(fingerprint, received_at, toString(status), status = 'FIRING') AS firing,
    uniqExactIfState(fingerprint, received_at, toString(status), flapping) AS flapping,
    uniqExactState(fingerprint) AS fingerprints
FROM alerts
GROUP BY hour, service, alertname, suppressed_by;

INSERT INTO alert_noise_hourly
SELECT
    toStartOfHour(received_at) AS hour,
    service,
    alertname,
    if(suppressed, suppressed_by, '') AS suppressed_by,
    uniqExactState(fingerprint, received_at, toString(status)),
    uniqExactIfState(fingerprint, received_at, toString(status), status = 'FIRING'),
    uniqExactIfState(fingerprint, received_at, toString(status), flapping),
    uniqExactState(fingerprint)
FROM alerts
GROUP BY hour, service, alertname, suppressed_by;

-- Tocsin's ClickHouse schema for a replicated, sharded production cluster: the same tables, views
-- and names as sql/migrations (001-012) on a single server, so the job, the saved queries and the
-- dashboards run unchanged (ClusterSchemaTest checks it against the migrations). See README.md for
-- how to apply it.
--
-- Layout: every table is a Replicated*MergeTree named <table>_local on each shard, with a
-- Distributed table <table> over it that the sink writes to and the queries read. The sharding
-- key keeps the rows a ReplacingMergeTree key collapses on one shard (an incident's events by
-- incident_id, an alert by fingerprint), so FINAL, run per shard, is exact, and each materialized
-- view sees all of an incident's events on its shard. Replicated tables also drop a retried
-- identical insert block (insert_deduplicate, on by default). Dimension tables (services,
-- sla_targets) are small: one replicated copy on every node, so joins stay local.
--
-- Placeholders: {{retention_days}}; the macros {cluster}, {shard} and {replica} come from each
-- server's configuration.

CREATE TABLE IF NOT EXISTS alerts_local ON CLUSTER '{cluster}'
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
    generator_url String CODEC(ZSTD(3)),
    suppressed    Bool DEFAULT false,
    suppressed_by LowCardinality(String) DEFAULT '',
    flapping      Bool DEFAULT false
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/alerts', '{replica}')
PARTITION BY toYYYYMM(received_at)
ORDER BY (service, alertname, fingerprint, received_at, status)
TTL toDateTime(received_at) + INTERVAL {{retention_days}} DAY;

CREATE TABLE IF NOT EXISTS alerts ON CLUSTER '{cluster}' AS alerts_local
ENGINE = Distributed('{cluster}', currentDatabase(), alerts_local, cityHash64(fingerprint));

CREATE TABLE IF NOT EXISTS incident_events_local ON CLUSTER '{cluster}'
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
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/incident_events', '{replica}')
PARTITION BY toYYYYMM(event_time)
ORDER BY (incident_id, seq)
TTL toDateTime(event_time) + INTERVAL {{retention_days}} DAY;

CREATE TABLE IF NOT EXISTS incident_events ON CLUSTER '{cluster}' AS incident_events_local
ENGINE = Distributed('{cluster}', currentDatabase(), incident_events_local, cityHash64(incident_id));

CREATE TABLE IF NOT EXISTS incidents_local ON CLUSTER '{cluster}'
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
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/incidents', '{replica}', version)
ORDER BY incident_id
TTL toDateTime(last_event_at) + INTERVAL {{retention_days}} DAY;

CREATE TABLE IF NOT EXISTS incidents ON CLUSTER '{cluster}' AS incidents_local
ENGINE = Distributed('{cluster}', currentDatabase(), incidents_local, cityHash64(incident_id));

-- Per shard: an incident's events and its incidents row live on the same shard.
CREATE MATERIALIZED VIEW IF NOT EXISTS incidents_from_events ON CLUSTER '{cluster}'
TO incidents_local AS
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
FROM incident_events_local;

CREATE TABLE IF NOT EXISTS dead_letters_local ON CLUSTER '{cluster}'
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
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/dead_letters', '{replica}')
PARTITION BY toYYYYMM(received_at)
ORDER BY (reason_code, topic, received_at, ifNull(partition, -1), ifNull(offset, -1))
TTL toDateTime(received_at) + INTERVAL {{retention_days}} DAY;

CREATE TABLE IF NOT EXISTS dead_letters ON CLUSTER '{cluster}' AS dead_letters_local
ENGINE = Distributed('{cluster}', currentDatabase(), dead_letters_local,
                     cityHash64(reason_code, topic, received_at));

CREATE TABLE IF NOT EXISTS changes_local ON CLUSTER '{cluster}'
(
    change_time  DateTime64(3, 'UTC'),
    change_id    String,
    service      LowCardinality(String),
    kind         LowCardinality(String),
    version      String,
    from_version String,
    to_version   String,
    author       String,
    author_team  LowCardinality(String),
    link         String,
    environment  LowCardinality(String),
    cluster      LowCardinality(String)
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/changes', '{replica}', change_time)
ORDER BY change_id
TTL toDateTime(change_time) + INTERVAL {{retention_days}} DAY;

-- Sharded by change id, so the repeats of one change meet on one shard and collapse.
CREATE TABLE IF NOT EXISTS changes ON CLUSTER '{cluster}' AS changes_local
ENGINE = Distributed('{cluster}', currentDatabase(), changes_local, cityHash64(change_id));

-- (migration 015) Status updates per audience, one row per (incident, audience, seq).
CREATE TABLE IF NOT EXISTS status_updates_local ON CLUSTER '{cluster}'
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
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/status_updates', '{replica}')
PARTITION BY toYYYYMM(event_time)
ORDER BY (incident_id, audience, seq)
TTL toDateTime(event_time) + INTERVAL {{retention_days}} DAY;

-- Sharded by incident id like incident_events: a re-sent update meets its original and collapses.
CREATE TABLE IF NOT EXISTS status_updates ON CLUSTER '{cluster}' AS status_updates_local
ENGINE = Distributed('{cluster}', currentDatabase(), status_updates_local, cityHash64(incident_id));

-- Dimension tables: the same rows on every node ('all' instead of the shard in the path).
CREATE TABLE IF NOT EXISTS services ON CLUSTER '{cluster}'
(
    service    LowCardinality(String),
    team       LowCardinality(String),
    tier       LowCardinality(String),
    updated_at DateTime64(3, 'UTC') DEFAULT now64(3),
    owner_team            LowCardinality(Nullable(String)),
    schedule              LowCardinality(Nullable(String)),
    runbook_url           Nullable(String),
    service_tier          LowCardinality(Nullable(String)),
    customer_tier         LowCardinality(Nullable(String)),
    region                LowCardinality(Nullable(String)),
    vendor                LowCardinality(Nullable(String)),
    vendor_response_sla_s Nullable(UInt32),
    catalog_at            Nullable(DateTime64(3, 'UTC'))
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all/{database}/services', '{replica}', updated_at)
ORDER BY service;

-- Migration 014 (the service catalog's columns): a services table created before it gets them
-- here, so this file can be applied again on every start.
ALTER TABLE services ON CLUSTER '{cluster}' ADD COLUMN IF NOT EXISTS owner_team LowCardinality(Nullable(String));
ALTER TABLE services ON CLUSTER '{cluster}' ADD COLUMN IF NOT EXISTS schedule LowCardinality(Nullable(String));
ALTER TABLE services ON CLUSTER '{cluster}' ADD COLUMN IF NOT EXISTS runbook_url Nullable(String);
ALTER TABLE services ON CLUSTER '{cluster}' ADD COLUMN IF NOT EXISTS service_tier LowCardinality(Nullable(String));
ALTER TABLE services ON CLUSTER '{cluster}' ADD COLUMN IF NOT EXISTS customer_tier LowCardinality(Nullable(String));
ALTER TABLE services ON CLUSTER '{cluster}' ADD COLUMN IF NOT EXISTS region LowCardinality(Nullable(String));
ALTER TABLE services ON CLUSTER '{cluster}' ADD COLUMN IF NOT EXISTS vendor LowCardinality(Nullable(String));
ALTER TABLE services ON CLUSTER '{cluster}' ADD COLUMN IF NOT EXISTS vendor_response_sla_s Nullable(UInt32);
ALTER TABLE services ON CLUSTER '{cluster}' ADD COLUMN IF NOT EXISTS catalog_at Nullable(DateTime64(3, 'UTC'));

CREATE TABLE IF NOT EXISTS sla_targets ON CLUSTER '{cluster}'
(
    severity         LowCardinality(String),
    ack_within_s     UInt32,
    resolve_within_s UInt32,
    updated_at       DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all/{database}/sla_targets', '{replica}', updated_at)
ORDER BY severity;

-- Run once (replication copies it to every node).
INSERT INTO sla_targets (severity, ack_within_s, resolve_within_s, updated_at) VALUES
    ('SEV1', 300, 3600, '2000-01-01 00:00:00.000'),
    ('SEV2', 900, 14400, '2000-01-01 00:00:00.000'),
    ('SEV3', 3600, 86400, '2000-01-01 00:00:00.000'),
    ('SEV4', 14400, 259200, '2000-01-01 00:00:00.000');

CREATE TABLE IF NOT EXISTS anomalies_local ON CLUSTER '{cluster}'
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
    labels      Map(LowCardinality(String), String),
    level       Float64 DEFAULT 0 CODEC(Gorilla, ZSTD(1))
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/anomalies', '{replica}')
PARTITION BY toYYYYMM(detected_at)
ORDER BY (service, metric, series, detector, detected_at)
TTL toDateTime(detected_at) + INTERVAL {{retention_days}} DAY;

CREATE TABLE IF NOT EXISTS anomalies ON CLUSTER '{cluster}' AS anomalies_local
ENGINE = Distributed('{cluster}', currentDatabase(), anomalies_local, cityHash64(series));

-- Migration 012 (the detector's level): tables created before it get the column here, so this file
-- can be applied again on every start (tocsin run --clickhouse-cluster, tocsin migrate --cluster).
ALTER TABLE anomalies_local ON CLUSTER '{cluster}' ADD COLUMN IF NOT EXISTS level Float64 DEFAULT 0 CODEC(Gorilla, ZSTD(1));
ALTER TABLE anomalies ON CLUSTER '{cluster}' ADD COLUMN IF NOT EXISTS level Float64 DEFAULT 0 CODEC(Gorilla, ZSTD(1));

CREATE TABLE IF NOT EXISTS metric_points_local ON CLUSTER '{cluster}'
(
    ts      DateTime64(3, 'UTC') CODEC(DoubleDelta, ZSTD(1)),
    metric  LowCardinality(String),
    series  String,
    service LowCardinality(String),
    value   Float64 CODEC(Gorilla, ZSTD(1)),
    labels  Map(LowCardinality(String), String)
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/metric_points', '{replica}')
PARTITION BY toYYYYMMDD(ts)
ORDER BY (metric, service, series, ts)
TTL toDateTime(ts) + INTERVAL least({{retention_days}}, 7) DAY;

CREATE TABLE IF NOT EXISTS metric_points ON CLUSTER '{cluster}' AS metric_points_local
ENGINE = Distributed('{cluster}', currentDatabase(), metric_points_local, cityHash64(series));

CREATE TABLE IF NOT EXISTS metric_rollups_local ON CLUSTER '{cluster}'
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
ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/{database}/metric_rollups', '{replica}')
PARTITION BY toYYYYMM(minute)
ORDER BY (metric, service, series, minute)
TTL minute + INTERVAL {{retention_days}} DAY;

CREATE TABLE IF NOT EXISTS metric_rollups ON CLUSTER '{cluster}' AS metric_rollups_local
ENGINE = Distributed('{cluster}', currentDatabase(), metric_rollups_local, cityHash64(series));

CREATE MATERIALIZED VIEW IF NOT EXISTS metric_rollups_from_points ON CLUSTER '{cluster}'
TO metric_rollups_local AS
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
FROM metric_points_local
WHERE NOT isNaN(value)
GROUP BY minute, metric, service, series;

-- One row per incident with its lifecycle milestones, kept up to date from incident_events by the
-- materialized view below, so the response-time, SLA and load queries read one row per incident
-- instead of the whole audit trail. Every column is an aggregate that a duplicate row cannot
-- change (min, max, argMin/argMax by seq, uniqExact), so a batch replayed into incident_events
-- after a restart leaves the facts exact. Read it through the incident_summary view.
CREATE TABLE IF NOT EXISTS incident_facts_local ON CLUSTER '{cluster}'
(
    incident_id           String,
    domain                SimpleAggregateFunction(max, String),
    opened_at             SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
    first_alert_at        SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
    first_escalated_at    SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
    first_acknowledged_at SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
    resolved_at           SimpleAggregateFunction(max, Nullable(DateTime64(3, 'UTC'))),
    last_event_at         SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
    worst_severity        SimpleAggregateFunction(min, String),
    recurrence_of         SimpleAggregateFunction(max, Nullable(String)),
    merged_into           SimpleAggregateFunction(max, Nullable(String)),
    alert_count           SimpleAggregateFunction(max, UInt32),
    max_escalation_tier   SimpleAggregateFunction(max, Nullable(UInt8)),
    status                AggregateFunction(argMax, String, UInt64),
    severity              AggregateFunction(argMax, String, UInt64),
    opening_severity      AggregateFunction(argMin, String, UInt64),
    services              AggregateFunction(argMax, Array(String), UInt64),
    root_cause_service    AggregateFunction(argMaxIf, Nullable(String), UInt64, UInt8),
    opening_alertname     AggregateFunction(argMinIf, Nullable(String), UInt64, UInt8),
    acknowledged_by       AggregateFunction(argMinIf, String, UInt64, UInt8),
    resolved_by           AggregateFunction(argMaxIf, String, UInt64, UInt8),
    escalations           AggregateFunction(uniqExactIf, UInt64, UInt8),
    reopens               AggregateFunction(uniqExactIf, UInt64, UInt8)
)
ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/{database}/incident_facts', '{replica}')
ORDER BY incident_id
TTL toDateTime(last_event_at) + INTERVAL {{retention_days}} DAY;

-- Columns are qualified (e.) because several aliases reuse a source column's name.
CREATE MATERIALIZED VIEW IF NOT EXISTS incident_facts_from_events ON CLUSTER '{cluster}'
TO incident_facts_local AS
SELECT
    e.incident_id AS incident_id,
    max(toString(e.domain)) AS domain,
    minOrNull(if(e.type = 'OPENED', e.event_time, e.opened_at)) AS opened_at,
    minOrNull(e.first_alert_at) AS first_alert_at,
    minIfOrNull(e.event_time, e.type = 'ESCALATED') AS first_escalated_at,
    minIfOrNull(e.event_time, e.type = 'ACKNOWLEDGED') AS first_acknowledged_at,
    maxIfOrNull(e.event_time, e.type = 'RESOLVED') AS resolved_at,
    max(e.event_time) AS last_event_at,
    min(toString(e.severity)) AS worst_severity,
    max(e.recurrence_of) AS recurrence_of,
    max(e.merged_into) AS merged_into,
    max(e.alert_count) AS alert_count,
    max(e.escalation_tier) AS max_escalation_tier,
    argMaxState(toString(e.status), e.seq) AS status,
    argMaxState(toString(e.severity), e.seq) AS severity,
    argMinState(toString(e.severity), e.seq) AS opening_severity,
    argMaxState(CAST(e.services, 'Array(String)'), e.seq) AS services,
    argMaxIfState(CAST(e.root_cause_service, 'Nullable(String)'), e.seq,
        e.root_cause_service IS NOT NULL) AS root_cause_service,
    argMinIfState(CAST(e.alertname, 'Nullable(String)'), e.seq, e.type = 'OPENED')
        AS opening_alertname,
    argMinIfState(toString(e.actor), e.seq, e.type = 'ACKNOWLEDGED') AS acknowledged_by,
    argMaxIfState(toString(e.actor), e.seq, e.type = 'RESOLVED') AS resolved_by,
    uniqExactIfState(e.seq, e.type = 'ESCALATED') AS escalations,
    uniqExactIfState(e.seq, e.type = 'REOPENED') AS reopens
FROM incident_events_local AS e
GROUP BY e.incident_id;

-- incident_facts merged into one row per incident, with the names the saved queries use.
-- service is the root cause when known, else the incident's first service; team comes from the
-- services dimension ('(unowned)' when the service is not listed there).
CREATE TABLE IF NOT EXISTS incident_facts ON CLUSTER '{cluster}' AS incident_facts_local
ENGINE = Distributed('{cluster}', currentDatabase(), incident_facts_local, cityHash64(incident_id));

CREATE VIEW IF NOT EXISTS incident_summary ON CLUSTER '{cluster}' AS
SELECT
    f.*,
    coalesce(f.root_cause_service, f.services[1], '') AS service,
    if(s.team = '', '(unowned)', s.team) AS team
FROM
(
    SELECT
        x.incident_id AS incident_id,
        max(x.domain) AS domain,
        min(x.opened_at) AS opened_at,
        min(x.first_alert_at) AS first_alert_at,
        min(x.first_escalated_at) AS first_escalated_at,
        min(x.first_acknowledged_at) AS first_acknowledged_at,
        max(x.resolved_at) AS resolved_at,
        max(x.last_event_at) AS last_event_at,
        min(x.worst_severity) AS worst_severity,
        max(x.recurrence_of) AS recurrence_of,
        max(x.merged_into) AS merged_into,
        max(x.alert_count) AS alert_count,
        max(x.max_escalation_tier) AS max_escalation_tier,
        argMaxMerge(x.status) AS status,
        argMaxMerge(x.severity) AS severity,
        argMinMerge(x.opening_severity) AS opening_severity,
        argMaxMerge(x.services) AS services,
        argMaxIfMerge(x.root_cause_service) AS root_cause_service,
        argMinIfMerge(x.opening_alertname) AS opening_alertname,
        nullIf(argMinIfMerge(x.acknowledged_by), '') AS acknowledged_by,
        nullIf(argMaxIfMerge(x.resolved_by), '') AS resolved_by,
        uniqExactIfMerge(x.escalations) AS escalations,
        uniqExactIfMerge(x.reopens) AS reopens
    FROM incident_facts AS x
    GROUP BY x.incident_id
) AS f
LEFT JOIN
(
    SELECT d.service AS service, argMax(d.team, d.updated_at) AS team
    FROM services AS d
    GROUP BY d.service
) AS s ON coalesce(f.root_cause_service, f.services[1], '') = s.service;

-- Alert transitions per hour, service, alert rule and suppression rule, kept up to date from
-- alerts by the materialized view below, for the noise queries and dashboards. The counts are
-- uniqExact over each transition's identity (fingerprint, received_at, status), so a batch
-- replayed into alerts after a restart does not count twice.
CREATE TABLE IF NOT EXISTS alert_noise_hourly_local ON CLUSTER '{cluster}'
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
ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/{database}/alert_noise_hourly', '{replica}')
PARTITION BY toYYYYMM(hour)
ORDER BY (hour, service, alertname, suppressed_by)
TTL hour + INTERVAL {{retention_days}} DAY;

CREATE MATERIALIZED VIEW IF NOT EXISTS alert_noise_hourly_from_alerts ON CLUSTER '{cluster}'
TO alert_noise_hourly_local AS
SELECT
    toStartOfHour(received_at) AS hour,
    service,
    alertname,
    if(suppressed, suppressed_by, '') AS suppressed_by,
    uniqExactState(fingerprint, received_at, toString(status)) AS transitions,
    uniqExactIfState(fingerprint, received_at, toString(status), status = 'FIRING') AS firing,
    uniqExactIfState(fingerprint, received_at, toString(status), flapping) AS flapping,
    uniqExactState(fingerprint) AS fingerprints
FROM alerts_local
GROUP BY hour, service, alertname, suppressed_by;

-- A transition's hour group can be on several shards: the -Merge combinators combine them.
CREATE TABLE IF NOT EXISTS alert_noise_hourly ON CLUSTER '{cluster}' AS alert_noise_hourly_local
ENGINE = Distributed('{cluster}', currentDatabase(), alert_noise_hourly_local, rand());

-- (migration 016) How each incident's escalation path went, one row per incident, for the escalation queries
-- (05 and 19 read incident_re_escalations, 07 and 20 read escalation_bypasses), so the rules are
-- written once. Both read incident_events FINAL and incident_summary: a batch replayed after a
-- restart does not count twice. Merged incidents are left out.

-- Escalated incidents and how often they escalated again: an ESCALATED event is a re-escalation
-- when the incident had been ACKNOWLEDGED before it (the acknowledgement did not hold) or when its
-- tier is not above the highest tier paged before it (the path started over, e.g. after
-- REOPENED). Events are ordered by seq.
CREATE VIEW IF NOT EXISTS incident_re_escalations ON CLUSTER '{cluster}' AS
SELECT
    s.incident_id AS incident_id,
    s.opened_at AS opened_at,
    s.service AS service,
    s.team AS team,
    r.re_escalations AS re_escalations
FROM incident_summary AS s
INNER JOIN
(
    SELECT
        incident_id,
        countIf(type = 'ESCALATED' AND (acked_before OR escalation_tier <= max_tier_before))
            AS re_escalations
    FROM
    (
        SELECT
            incident_id,
            type,
            escalation_tier,
            countIf(type = 'ACKNOWLEDGED') OVER before > 0 AS acked_before,
            maxIf(escalation_tier, type = 'ESCALATED') OVER before AS max_tier_before
        FROM incident_events FINAL
        WHERE type IN ('ESCALATED', 'ACKNOWLEDGED')
        WINDOW before AS (PARTITION BY incident_id ORDER BY seq
                          ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
    )
    GROUP BY incident_id
) AS r ON s.incident_id = r.incident_id
WHERE s.merged_into IS NULL
  AND s.escalations > 0;

-- Every incident with how it bypassed the path ('' when it did not). The path pages tier 0, then
-- 1, 2, ... in order. Bypasses: a paging severity (SEV1/SEV2 at any point) with nobody paged; a
-- tier paged before a lower tier was ('tier N skipped'); the first acknowledgement by someone who
-- was never paged for the incident.
CREATE VIEW IF NOT EXISTS escalation_bypasses ON CLUSTER '{cluster}' AS
SELECT
    s.incident_id AS incident_id,
    s.opened_at AS opened_at,
    s.worst_severity AS severity,
    s.service AS service,
    s.team AS team,
    arrayStringConcat(arrayFilter(r -> r != '', [
        if(s.worst_severity IN ('SEV1', 'SEV2') AND s.escalations = 0,
           'paging severity, nobody paged', ''),
        if(length(p.tiers) > 0 AND length(p.tiers) != p.tiers[-1] + 1,
           concat('tier ', toString(arrayFirst(t -> NOT has(p.tiers, t), range(p.tiers[-1] + 1))),
                  ' skipped'), ''),
        if(s.escalations > 0 AND s.acknowledged_by IS NOT NULL
               AND NOT startsWith(s.acknowledged_by, 'policy:')
               AND NOT has(p.paged, s.acknowledged_by),
           concat('acknowledged by ', s.acknowledged_by, ', who was not paged'), '')
    ]), '; ') AS bypass
FROM incident_summary AS s
LEFT JOIN
(
    SELECT
        incident_id,
        arraySort(groupUniqArrayIf(toUInt32(assumeNotNull(escalation_tier)),
                                   escalation_tier IS NOT NULL)) AS tiers,
        groupUniqArrayIf(toString(assumeNotNull(target)), target IS NOT NULL) AS paged
    FROM incident_events FINAL
    WHERE type = 'ESCALATED'
    GROUP BY incident_id
) AS p ON s.incident_id = p.incident_id
WHERE s.merged_into IS NULL;

-- (migration 017) What each incident turned out to be, one row per incident, for the outcome queries (21, 22):
-- its disposition (fixed, false-positive, duplicate; '' while nobody gave one), its impact class
-- (outage, degradation, none; '' when not classified) and its classification tags. The escalate
-- stage writes them as evidence: every RESOLVED and CLASSIFIED event carries the disposition known
-- then, a REOPENED clears it, and a CLASSIFIED carries the whole classification; so the last of
-- those events is the incident's disposition and the last CLASSIFIED its impact and tags. Reads
-- incident_events FINAL and incident_summary: a batch replayed after a restart does not count
-- twice. Merged incidents are left out (the surviving incident is the one classified).
CREATE VIEW IF NOT EXISTS incident_classifications ON CLUSTER '{cluster}' AS
SELECT
    s.incident_id AS incident_id,
    s.opened_at AS opened_at,
    s.resolved_at AS resolved_at,
    s.status AS status,
    s.worst_severity AS worst_severity,
    coalesce(s.opening_alertname, '') AS alertname,
    s.service AS service,
    s.team AS team,
    c.disposition AS disposition,
    c.impact AS impact,
    c.tags AS tags
FROM incident_summary AS s
LEFT JOIN
(
    SELECT
        incident_id,
        argMax(evidence['disposition'], seq) AS disposition,
        argMaxIf(evidence['impact'], seq, type = 'CLASSIFIED') AS impact,
        JSONExtract(argMaxIf(evidence['tags'], seq, type = 'CLASSIFIED'), 'Array(String)') AS tags
    FROM incident_events FINAL
    WHERE type IN ('RESOLVED', 'CLASSIFIED', 'REOPENED')
    GROUP BY incident_id
) AS c ON s.incident_id = c.incident_id
WHERE s.merged_into IS NULL;

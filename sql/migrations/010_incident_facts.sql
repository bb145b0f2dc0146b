-- One row per incident with its lifecycle milestones, kept up to date from incident_events by the
-- materialized view below, so the response-time, SLA and load queries read one row per incident
-- instead of the whole audit trail. Every column is an aggregate that a duplicate row cannot
-- change (min, max, argMin/argMax by seq, uniqExact), so a batch replayed into incident_events
-- after a restart leaves the facts exact. Read it through the incident_summary view.
CREATE TABLE IF NOT EXISTS incident_facts
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
ENGINE = AggregatingMergeTree
ORDER BY incident_id
TTL toDateTime(last_event_at) + INTERVAL {{retention_days}} DAY;

-- Columns are qualified (e.) because several aliases reuse a source column's name.
CREATE MATERIALIZED VIEW IF NOT EXISTS incident_facts_from_events TO incident_facts AS
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
FROM incident_events AS e
GROUP BY e.incident_id;

-- Incidents written before this migration (a no-op on a new database; safe to repeat because
-- every column is idempotent).
INSERT INTO incident_facts
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
FROM incident_events AS e
GROUP BY e.incident_id;

-- incident_facts merged into one row per incident, with the names the saved queries use.
-- service is the root cause when known, else the incident's first service; team comes from the
-- services dimension ('(unowned)' when the service is not listed there).
CREATE VIEW IF NOT EXISTS incident_summary AS
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

-- Changes (deploys, config changes, feature flags, infrastructure changes) as the job accepted
-- them from the changes topic. One row per change id: a repeat (a replayed batch, or the sender
-- correcting a change) collapses on merge, the latest change_time kept; read with FINAL.
-- Incidents name their suspects in incident_events (CHANGE_SUSPECTED, evidence suspect.N.*).
CREATE TABLE IF NOT EXISTS changes
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
ENGINE = ReplacingMergeTree(change_time)
ORDER BY change_id
TTL toDateTime(change_time) + INTERVAL {{retention_days}} DAY;

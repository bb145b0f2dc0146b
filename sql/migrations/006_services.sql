-- Service dimension: the team and tier of each service, from the topology file (`tocsin report
-- --topology F` and the demo load it). Queries that group by team join on it; a service that is
-- not listed belongs to team '(unowned)'. A newer row for a service replaces the older one.
CREATE TABLE IF NOT EXISTS services
(
    service    LowCardinality(String),
    team       LowCardinality(String),
    tier       LowCardinality(String),
    updated_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY service;

-- What each incident turned out to be, one row per incident, for the outcome queries (21, 22):
-- its disposition (fixed, false-positive, duplicate; '' while nobody gave one), its impact class
-- (outage, degradation, none; '' when not classified) and its classification tags. The escalate
-- stage writes them as evidence: every RESOLVED and CLASSIFIED event carries the disposition known
-- then, a REOPENED clears it, and a CLASSIFIED carries the whole classification; so the last of
-- those events is the incident's disposition and the last CLASSIFIED its impact and tags. Reads
-- incident_events FINAL and incident_summary: a batch replayed after a restart does not count
-- twice. Merged incidents are left out (the surviving incident is the one classified).
CREATE VIEW IF NOT EXISTS incident_classifications AS
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

-- How each incident's escalation path went, one row per incident, for the escalation queries
-- (05 and 19 read incident_re_escalations, 07 and 20 read escalation_bypasses), so the rules are
-- written once. Both read incident_events FINAL and incident_summary: a batch replayed after a
-- restart does not count twice. Merged incidents are left out.

-- Escalated incidents and how often they escalated again: an ESCALATED event is a re-escalation
-- when the incident had been ACKNOWLEDGED before it (the acknowledgement did not hold) or when its
-- tier is not above the highest tier paged before it (the path started over, e.g. after
-- REOPENED). Events are ordered by seq.
CREATE VIEW IF NOT EXISTS incident_re_escalations AS
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
CREATE VIEW IF NOT EXISTS escalation_bypasses AS
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

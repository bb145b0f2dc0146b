-- Escalation: incidents that bypassed the escalation path, and how.
-- Parameters: {from}, {to}: incidents opened in [from, to). The path pages tier 0, then 1, 2, ...
-- in order. Bypasses: a paging severity (SEV1/SEV2 at any point) with nobody paged; a tier paged
-- before a lower tier was ('tier N skipped'); the first acknowledgement by someone who was never
-- paged for the incident. Merged incidents are left out.
SELECT
    formatDateTime(s.opened_at, '%Y-%m-%d %H:%i') AS opened,
    s.incident_id AS incident_id,
    s.worst_severity AS severity,
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
FROM
(
    SELECT * FROM incident_summary
    WHERE opened_at >= {from:DateTime64(3, 'UTC')}
      AND opened_at < {to:DateTime64(3, 'UTC')}
      AND merged_into IS NULL
) AS s
LEFT JOIN
(
    SELECT
        incident_id,
        arraySort(groupUniqArrayIf(toUInt32(assumeNotNull(escalation_tier)),
                                   escalation_tier IS NOT NULL)) AS tiers,
        groupUniqArrayIf(toString(assumeNotNull(target)), target IS NOT NULL) AS paged
    FROM incident_events FINAL
    WHERE type = 'ESCALATED'
      AND incident_id IN (
          SELECT incident_id FROM incident_summary
          WHERE opened_at >= {from:DateTime64(3, 'UTC')}
            AND opened_at < {to:DateTime64(3, 'UTC')})
GROUP BY incident_id
) AS p ON s.incident_id = p.incident_id
WHERE bypass != ''
ORDER BY s.opened_at, s.incident_id;

-- Example output (jobs/src/test/resources/analytics/seed.txt, from 2026-11-02 to 2026-11-16):
-- Escalation: incidents that bypassed the escalation path:
-- opened            incident_id  severity  team           bypass
-- ------------------------------------------------------------------------------------------------
-- 2026-11-06 22:00  INC-105      SEV1      (unowned)      paging severity, nobody paged
-- 2026-11-10 11:00  INC-202      SEV2      team-payments  tier 0 skipped
-- 2026-11-12 16:00  INC-204      SEV2      team-identity  acknowledged by frank, who was not paged

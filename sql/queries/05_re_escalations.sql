-- Escalation: the re-escalation rate per week, the share of escalated incidents that escalated again after an acknowledgement or to a tier already reached.
-- Parameters: {from}, {to}: incidents opened in [from, to). What counts as a re-escalation is
-- defined once, in the incident_re_escalations view (migration 016).
SELECT
    toMonday(opened_at) AS week,
    count() AS escalated,
    countIf(re_escalations > 0) AS re_escalated,
    round(100 * re_escalated / escalated, 1) AS re_escalation_pct,
    arrayStringConcat(arraySort(groupArrayIf(incident_id, re_escalations > 0)), ',') AS which
FROM incident_re_escalations
WHERE opened_at >= {from:DateTime64(3, 'UTC')}
  AND opened_at < {to:DateTime64(3, 'UTC')}
GROUP BY week
ORDER BY week;

-- Example output (jobs/src/test/resources/analytics/seed.txt, from 2026-11-02 to 2026-11-16):
-- Escalation: re-escalations:
-- week        escalated  re_escalated  re_escalation_pct  which
-- ---------------------------------------------------------------
-- 2026-11-02          3             0                  0
-- 2026-11-09          3             1               33.3  INC-201

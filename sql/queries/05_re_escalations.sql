-- Escalation: the re-escalation rate per week, the share of escalated incidents that escalated again after an acknowledgement or to a tier already reached.
-- Parameters: {from}, {to}: incidents opened in [from, to). An ESCALATED event is a
-- re-escalation when the incident had been ACKNOWLEDGED before it (the acknowledgement did not
-- hold) or when its tier is not above the highest tier paged before it (the path started over,
-- e.g. after REOPENED). Events are ordered by seq.
SELECT
    toMonday(opened) AS week,
    count() AS escalated,
    countIf(re_escalations > 0) AS re_escalated,
    round(100 * re_escalated / escalated, 1) AS re_escalation_pct,
    arrayStringConcat(arraySort(groupArrayIf(incident_id, re_escalations > 0)), ',') AS which
FROM
(
    SELECT
        incident_id,
        min(opened_at) AS opened,
        countIf(type = 'ESCALATED' AND (acked_before OR escalation_tier <= max_tier_before))
            AS re_escalations
    FROM
    (
        SELECT
            incident_id,
            opened_at,
            type,
            escalation_tier,
            countIf(type = 'ACKNOWLEDGED') OVER before > 0 AS acked_before,
            maxIf(escalation_tier, type = 'ESCALATED') OVER before AS max_tier_before
        FROM incident_events FINAL
        WHERE type IN ('ESCALATED', 'ACKNOWLEDGED')
          AND incident_id IN (
              SELECT incident_id FROM incident_summary
              WHERE opened_at >= {from:DateTime64(3, 'UTC')}
                AND opened_at < {to:DateTime64(3, 'UTC')}
                AND merged_into IS NULL
                AND escalations > 0)
        WINDOW before AS (PARTITION BY incident_id ORDER BY seq
                          ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
    )
    GROUP BY incident_id
)
GROUP BY week
ORDER BY week;

-- Example output (jobs/src/test/resources/analytics/seed.txt, from 2026-11-02 to 2026-11-16):
-- Escalation: re-escalations:
-- week        escalated  re_escalated  re_escalation_pct  which
-- ---------------------------------------------------------------
-- 2026-11-02          3             0                  0
-- 2026-11-09          3             1               33.3  INC-201

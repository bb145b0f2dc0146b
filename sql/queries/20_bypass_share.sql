-- Escalation: the share of incidents per week that bypassed the defined escalation path (07 lists them).
-- Parameters: {from}, {to}: incidents opened in [from, to). The bypass rules are those of 07, in
-- the escalation_bypasses view (migration 016); merged incidents are left out.
SELECT
    toMonday(opened_at) AS week,
    count() AS incidents,
    countIf(bypass != '') AS bypassed,
    round(100 * bypassed / incidents, 1) AS bypassed_pct,
    countIf(bypass LIKE '%nobody paged%') AS nobody_paged,
    countIf(bypass LIKE '%skipped%') AS tier_skipped,
    countIf(bypass LIKE '%who was not paged%') AS acked_unpaged
FROM escalation_bypasses
WHERE opened_at >= {from:DateTime64(3, 'UTC')}
  AND opened_at < {to:DateTime64(3, 'UTC')}
GROUP BY week
ORDER BY week;

-- Example output (jobs/src/test/resources/analytics/seed.txt, from 2026-11-02 to 2026-11-16):
-- Escalation: share of incidents that bypassed the path:
-- week        incidents  bypassed  bypassed_pct  nobody_paged  tier_skipped  acked_unpaged
-- ----------------------------------------------------------------------------------------
-- 2026-11-02          5         1            20             1             0              0
-- 2026-11-09          6         2          33.3             0             1              1

-- Noise: alerts per incident per week (distinct alerts that ever joined it): mean, percentiles and the largest.
-- Parameters: {from}, {to}: incidents opened in [from, to); merged incidents are left out (their
-- alerts count in the survivor). Percentiles interpolate between ranks (quantileExactInclusive).
SELECT
    toMonday(opened_at) AS week,
    count() AS incidents,
    sum(alert_count) AS alerts,
    round(avg(alert_count), 1) AS mean,
    round(quantileExactInclusive(0.5)(alert_count), 1) AS p50,
    round(quantileExactInclusive(0.9)(alert_count), 1) AS p90,
    max(alert_count) AS largest
FROM incident_summary
WHERE opened_at >= {from:DateTime64(3, 'UTC')}
  AND opened_at < {to:DateTime64(3, 'UTC')}
  AND merged_into IS NULL
GROUP BY week
ORDER BY week;

-- Example output (jobs/src/test/resources/analytics/seed.txt, from 2026-11-02 to 2026-11-16):
-- Noise: alerts per incident:
-- week        incidents  alerts  mean  p50  p90  largest
-- ------------------------------------------------------
-- 2026-11-02          5       8   1.6    1  2.6        3
-- 2026-11-09          6      10   1.7    1    3        4

-- Load: incidents per team (team of the incident's service), how many were SEV1/SEV2, pages sent, and hours spent open.
-- Parameters: {from}, {to}: incidents opened in [from, to). hours_open runs from OPENED to the
-- resolution, or to {to} for incidents still open. Teams come from the services table; a service
-- not listed there is '(unowned)'. Merged incidents are left out.
SELECT
    team,
    count() AS incidents,
    countIf(worst_severity IN ('SEV1', 'SEV2')) AS sev1_sev2,
    sum(escalations) AS pages,
    round(sum(dateDiff('second', opened_at,
        least(coalesce(if(status = 'RESOLVED', resolved_at, NULL), {to:DateTime64(3, 'UTC')}),
              {to:DateTime64(3, 'UTC')}))) / 3600, 1) AS hours_open
FROM incident_summary
WHERE opened_at >= {from:DateTime64(3, 'UTC')}
  AND opened_at < {to:DateTime64(3, 'UTC')}
  AND merged_into IS NULL
GROUP BY team
ORDER BY incidents DESC, team;

-- Example output (jobs/src/test/resources/analytics/seed.txt, from 2026-11-02 to 2026-11-16):
-- Load: per team:
-- team           incidents  sev1_sev2  pages  hours_open
-- ------------------------------------------------------
-- team-data              4          3      5           7
-- team-checkout          2          1      2         2.3
-- team-search            2          0      0          27
-- (unowned)              1          1      0         0.5
-- team-identity          1          1      3           3
-- team-payments          1          1      1           1

-- Impact: incidents by impact class (outage, degradation, none, or not classified), with severity, time to resolve and tags.
-- Parameters: {from}, {to}: incidents opened in [from, to). The class and tags are those of the
-- incident's last CLASSIFY (view incident_classifications, migration 017); '(unclassified)' when
-- it had none. sev1 / sev2 count incidents by their worst severity; mean_minutes_to_resolve is
-- over the resolved ones. Merged incidents are left out.
SELECT
    if(impact = '', '(unclassified)', impact) AS impact_class,
    count() AS incidents,
    round(100 * incidents / sum(incidents) OVER (), 1) AS incidents_pct,
    countIf(worst_severity = 'SEV1') AS sev1,
    countIf(worst_severity = 'SEV2') AS sev2,
    countIf(status != 'RESOLVED') AS still_open,
    if(countIf(status = 'RESOLVED') = 0, NULL,
       round(avgIf(dateDiff('second', opened_at, resolved_at), status = 'RESOLVED') / 60, 1))
        AS mean_minutes_to_resolve,
    arrayStringConcat(arraySort(groupUniqArrayArray(tags)), ',') AS tags
FROM incident_classifications
WHERE opened_at >= {from:DateTime64(3, 'UTC')}
  AND opened_at < {to:DateTime64(3, 'UTC')}
GROUP BY impact
ORDER BY indexOf(['outage', 'degradation', 'none', ''], impact);

-- Example output (jobs/src/test/resources/analytics/seed.txt, from 2026-12-07 to 2026-12-14):
-- Outcome: incidents by impact class:
-- impact_class    incidents  incidents_pct  sev1  sev2  still_open  mean_minutes_to_resolve  tags
-- --------------------------------------------------------------------------------------------------------------------
-- outage                  1           12.5     1     0           0                       20  customer-facing,eu
-- degradation             2             25     0     2           1                       45  customer-facing,search-eu
-- none                    1           12.5     0     0           0                       15
-- (unclassified)          4             50     0     0           0                       25

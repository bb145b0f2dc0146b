-- Recurrence trend: incidents and the recurrence rate (incidents linked to an earlier one by recurrenceOf) per week, with the change from the week before.
-- Parameters: {from}, {to}: incidents opened in [from, to). Every week of the range has a row,
-- also a week without incidents (its rate is NULL). Merged incidents are left out.
SELECT
    week,
    incidents,
    recurrences,
    if(incidents = 0, NULL, round(100 * recurrences / incidents, 1)) AS recurrence_pct,
    if(row_number() OVER w = 1, NULL, toInt64(incidents) - lagInFrame(incidents) OVER w)
        AS incidents_change,
    if(row_number() OVER w = 1, NULL, round(recurrence_pct - lagInFrame(recurrence_pct) OVER w, 1))
        AS recurrence_pct_change
FROM
(
    SELECT
        toMonday(opened_at) AS week,
        count() AS incidents,
        countIf(recurrence_of IS NOT NULL) AS recurrences
    FROM incident_summary
    WHERE opened_at >= {from:DateTime64(3, 'UTC')}
      AND opened_at < {to:DateTime64(3, 'UTC')}
      AND merged_into IS NULL
    GROUP BY week
    ORDER BY week WITH FILL
        FROM toMonday({from:DateTime64(3, 'UTC')})
        TO toMonday({to:DateTime64(3, 'UTC')} - INTERVAL 1 MILLISECOND) + 1
        STEP toIntervalWeek(1)
)
WINDOW w AS (ORDER BY week ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
ORDER BY week;

-- Example output (jobs/src/test/resources/analytics/seed.txt, from 2026-11-02 to 2026-11-16):
-- Recurrence: trend per week:
-- week        incidents  recurrences  recurrence_pct  incidents_change  recurrence_pct_change
-- -------------------------------------------------------------------------------------------
-- 2026-11-02          5            2              40                 -                      -
-- 2026-11-09          6            3              50                 1                     10

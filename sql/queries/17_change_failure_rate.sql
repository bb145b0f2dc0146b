-- Changes: the change failure rate per service and per author team, the share of changes an incident then named as its top suspect.
-- Parameters: {from}, {to}: changes made in [from, to), with the incidents that named them at any
-- time. A change failed when the last ranking of some incident (its last CHANGE_SUSPECTED event by
-- seq, as in 16) has it first: the changes stage already keeps to changes on the incident's
-- services or their dependencies within the window before its first alert, and its top suspect
-- is the one it blames, so a change merely nearby (same service, same window, ranked lower) is
-- counted apart, in suspected (named at any rank). incidents: those that named a change of the
-- row first. Rows per service (per = 'service') and per author team (per = 'team', '(no team)'
-- when the change did not say). Merged incidents are left out.
SELECT
    g.1 AS per,
    g.2 AS name,
    count() AS changes,
    countIf(top > 0) AS failed,
    round(100 * failed / changes, 1) AS failure_rate_pct,
    countIf(named > 0) AS suspected,
    length(arrayDistinct(arrayFlatten(groupArray(top_of)))) AS incidents
FROM
(
    SELECT
        c.change_id AS change_id,
        c.service AS service,
        if(c.author_team = '', '(no team)', toString(c.author_team)) AS author_team,
        countIf(s.rank = 1) AS top,
        countIf(s.incident_id != '') AS named,
        groupArrayIf(s.incident_id, s.rank = 1) AS top_of
    FROM
    (
        SELECT * FROM changes FINAL
        WHERE change_time >= {from:DateTime64(3, 'UTC')}
          AND change_time < {to:DateTime64(3, 'UTC')}
    ) AS c
    LEFT JOIN
    (
        SELECT
            incident_id,
            rank,
            ranking[concat('suspect.', toString(rank), '.changeId')] AS change_id
        FROM
        (
            SELECT incident_id, argMax(evidence, seq) AS ranking
            FROM incident_events FINAL
            WHERE type = 'CHANGE_SUSPECTED'
            GROUP BY incident_id
        )
        ARRAY JOIN range(1, toUInt32OrZero(ranking['suspect.count']) + 1) AS rank
        WHERE incident_id IN (SELECT incident_id FROM incident_summary WHERE merged_into IS NULL)
    ) AS s ON c.change_id = s.change_id
    GROUP BY change_id, service, author_team
)
ARRAY JOIN [('service', toString(service)), ('team', author_team)] AS g
GROUP BY per, name
ORDER BY indexOf(['service', 'team'], per), failure_rate_pct DESC, changes DESC, name;

-- Example output (jobs/src/test/resources/analytics/seed.txt, from 2026-11-02 to 2026-11-16):
-- Changes: change failure rate per service and author team:
-- per      name           changes  failed  failure_rate_pct  suspected  incidents
-- -------------------------------------------------------------------------------
-- service  users-pg             3       3               100          3          3
-- service  checkout-api         1       1               100          1          1
-- service  payments-svc         2       1                50          1          1
-- service  users-svc            3       0                 0          2          0
-- service  search               1       0                 0          0          0
-- team     team-data            3       3               100          3          3
-- team     (no team)            1       1               100          1          1
-- team     team-checkout        1       1               100          1          1
-- team     team-identity        4       0                 0          2          0
-- team     team-search          1       0                 0          0          0

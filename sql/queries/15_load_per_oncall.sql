-- Load: per on-call person, pages received (ESCALATED targets), incidents paged for, acknowledgements and resolutions made.
-- Parameters: {from}, {to}: incident events in [from, to). A page's person is the ESCALATED
-- event's target; acknowledgements and resolutions count the event's actor when it is a person
-- (not 'policy:...').
SELECT
    person,
    countIf(type = 'ESCALATED') AS pages,
    uniqExactIf(incident_id, type = 'ESCALATED') AS incidents_paged,
    countIf(type = 'ACKNOWLEDGED') AS acknowledged,
    countIf(type = 'RESOLVED') AS resolved
FROM
(
    SELECT
        incident_id,
        type,
        if(type = 'ESCALATED', toString(target), toString(actor)) AS person
    FROM incident_events FINAL
    WHERE type IN ('ESCALATED', 'ACKNOWLEDGED', 'RESOLVED')
      AND event_time >= {from:DateTime64(3, 'UTC')}
      AND event_time < {to:DateTime64(3, 'UTC')}
)
WHERE person IS NOT NULL
  AND person != ''
  AND NOT startsWith(person, 'policy:')
  AND person != 'tocsin'
GROUP BY person
ORDER BY pages DESC, acknowledged DESC, person;

-- Example output (jobs/src/test/resources/analytics/seed.txt, from 2026-11-02 to 2026-11-16):
-- Load: per on-call person:
-- person  pages  incidents_paged  acknowledged  resolved
-- ------------------------------------------------------
-- alice       4                3             3         0
-- bob         3                3             2         0
-- carol       3                3             2         2
-- erin        1                1             0         1
-- dave        0                0             2         0
-- frank       0                0             2         1

-- Changes: the incidents that named each change as a suspect, and as their top suspect.
-- Parameters: {from}, {to}: changes made in [from, to) (the changes table), with the incidents
-- that named them at any time. What an incident names is its last ranking: the evidence of its
-- last CHANGE_SUSPECTED event by seq (suspect.count, suspect.N.changeId), so a change a later
-- ranking dropped or moved down no longer counts as it did; a ranking left empty names nothing.
-- Changes no incident named are listed with 0. Merged incidents are left out.
SELECT
    formatDateTime(c.change_time, '%Y-%m-%d %H:%i') AS time,
    c.change_id AS change_id,
    c.service AS service,
    c.kind AS kind,
    c.author AS author,
    countIf(s.incident_id != '') AS incidents,
    countIf(s.rank = 1) AS as_top_suspect,
    arrayStringConcat(arraySort(groupArrayIf(s.incident_id, s.rank = 1)), ',') AS top_suspect_of,
    arrayStringConcat(arraySort(groupArrayIf(s.incident_id, s.incident_id != '')), ',')
        AS named_by
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
GROUP BY time, change_id, service, kind, author
ORDER BY as_top_suspect DESC, incidents DESC, time, change_id;

-- Example output (jobs/src/test/resources/analytics/seed.txt, from 2026-11-02 to 2026-11-16):
-- Changes: incidents per change:
-- time              change_id  service       kind            author  incidents  as_top_suspect  top_suspect_of  named_by
-- -----------------------------------------------------------------------------------------------------------------------------
-- 2026-11-15 19:50  CHG-10     users-pg      CONFIG          gina            2               1  INC-205         INC-205,INC-301
-- 2026-11-02 08:40  CHG-1      users-pg      DEPLOY          gina            1               1  INC-101         INC-101
-- 2026-11-03 13:30  CHG-3      checkout-api  DEPLOY          ivan            1               1  INC-102         INC-102
-- 2026-11-09 08:45  CHG-5      users-pg      DEPLOY          gina            1               1  INC-201         INC-201
-- 2026-11-10 10:40  CHG-7      payments-svc  DEPLOY          kim             1               1  INC-202         INC-202
-- 2026-11-02 08:30  CHG-2      users-svc     CONFIG          hal             1               0                  INC-101
-- 2026-11-09 08:20  CHG-6      users-svc     DEPLOY          jo              1               0                  INC-201
-- 2026-11-05 12:00  CHG-4      payments-svc  FEATURE_FLAG    hal             0               0
-- 2026-11-12 15:30  CHG-8      users-svc     CONFIG          jo              0               0
-- 2026-11-14 09:00  CHG-9      search        INFRASTRUCTURE  lee             0               0

-- Escalation: incidents that breached their response-time SLA (time to acknowledge or to resolve), with the targets from the sla_targets table.
-- Parameters: {from}, {to}: incidents opened in [from, to). The targets are per severity in the
-- sla_targets table (migration 007: SEV1 ack 5 min / resolve 1 h, SEV2 15 min / 4 h, SEV3 1 h /
-- 24 h, SEV4 4 h / 72 h; change them there) and apply to the worst severity the incident reached.
-- The ack clock runs until the first ACKNOWLEDGED, else until the incident resolved, else until
-- {to}; the resolve clock until the last RESOLVED, else until {to}. So an incident still
-- unacknowledged at the end of the range past its target is a breach. ack_s and resolve_s are
-- NULL while the milestone is not reached. Merged incidents are left out.
SELECT
    formatDateTime(opened_at, '%Y-%m-%d %H:%i') AS opened,
    incident_id,
    worst_severity AS severity,
    ack_s,
    t.ack_within_s AS ack_target_s,
    resolve_s,
    t.resolve_within_s AS resolve_target_s,
    arrayStringConcat(arrayFilter(b -> b != '', [
        if(ack_clock_s > t.ack_within_s, 'ack', ''),
        if(resolve_clock_s > t.resolve_within_s, 'resolve', '')]), '+') AS breached
FROM
(
    SELECT
        *,
        if(status = 'RESOLVED', resolved_at, NULL) AS resolved,
        dateDiff('second', opened_at, first_acknowledged_at) AS ack_s,
        dateDiff('second', opened_at, resolved) AS resolve_s,
        dateDiff('second', opened_at,
                 coalesce(first_acknowledged_at, resolved, {to:DateTime64(3, 'UTC')})) AS ack_clock_s,
        dateDiff('second', opened_at, coalesce(resolved, {to:DateTime64(3, 'UTC')}))
            AS resolve_clock_s
    FROM incident_summary
    WHERE opened_at >= {from:DateTime64(3, 'UTC')}
      AND opened_at < {to:DateTime64(3, 'UTC')}
      AND merged_into IS NULL
) AS i
INNER JOIN
(
    SELECT
        toString(severity) AS severity,
        argMax(ack_within_s, updated_at) AS ack_within_s,
        argMax(resolve_within_s, updated_at) AS resolve_within_s
    FROM sla_targets
    GROUP BY severity
) AS t ON i.worst_severity = t.severity
WHERE breached != ''
ORDER BY opened_at, incident_id;

-- Example output (jobs/src/test/resources/analytics/seed.txt, from 2026-11-02 to 2026-11-16):
-- Escalation: SLA breaches:
-- opened            incident_id  severity  ack_s  ack_target_s  resolve_s  resolve_target_s  breached
-- ---------------------------------------------------------------------------------------------------
-- 2026-11-03 14:00  INC-102      SEV2       1200           900       7200             14400  ack
-- 2026-11-04 03:00  INC-103      SEV3       1800          3600      90000             86400  resolve
-- 2026-11-06 22:00  INC-105      SEV1        600           300       1800              3600  ack
-- 2026-11-09 09:00  INC-201      SEV1        180           300       5400              3600  resolve
-- 2026-11-12 16:00  INC-204      SEV2       2100           900      10800             14400  ack
-- 2026-11-15 20:00  INC-205      SEV3          -          3600          -             86400  ack

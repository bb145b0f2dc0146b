-- Escalation: severity downgrades, who made them, who asked and who approved them.
-- Parameters: {from}, {to}: downgrades (SEVERITY_CHANGED to a less severe level) made in
-- [from, to). requested_by is the actor of the latest APPROVAL_REQUESTED before the change (or the
-- change's evidence['requestedBy']); approved_by is evidence['approvedBy'], else the person who
-- made the change after a request. Downgrading SEV1 or SEV2 needs an approval; verdict:
-- 'by policy' (automatic), 'approved', 'self-approved' (approver = requester), 'NOT APPROVED'
-- (a SEV1/SEV2 downgrade without one) or 'no approval needed' (SEV3 and below).
SELECT
    formatDateTime(event_time, '%Y-%m-%d %H:%i') AS at,
    incident_id,
    previous_severity AS from_severity,
    severity AS to_severity,
    actor AS changed_by,
    requested_by,
    approved_by,
    multiIf(
        startsWith(actor, 'policy:'), 'by policy',
        approved_by IS NULL AND previous_severity NOT IN ('SEV1', 'SEV2'), 'no approval needed',
        approved_by IS NULL, 'NOT APPROVED',
        approved_by = requested_by, 'self-approved',
        'approved') AS verdict
FROM
(
    SELECT
        event_time,
        incident_id,
        toString(previous_severity) AS previous_severity,
        toString(severity) AS severity,
        toString(actor) AS actor,
        coalesce(nullIf(evidence['requestedBy'], ''), requester) AS requested_by,
        coalesce(nullIf(evidence['approvedBy'], ''), if(requester IS NULL, NULL, actor))
            AS approved_by,
        type
    FROM
    (
        SELECT
            *,
            anyLast(if(type = 'APPROVAL_REQUESTED', toString(actor), NULL)) OVER (
                PARTITION BY incident_id ORDER BY seq
                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS requester
        FROM incident_events FINAL
        WHERE type IN ('APPROVAL_REQUESTED', 'SEVERITY_CHANGED')
          AND incident_id IN (
              SELECT incident_id FROM incident_events
              WHERE type = 'SEVERITY_CHANGED'
                AND event_time >= {from:DateTime64(3, 'UTC')}
                AND event_time < {to:DateTime64(3, 'UTC')})
    )
    WHERE type = 'SEVERITY_CHANGED'
      AND event_time >= {from:DateTime64(3, 'UTC')}
      AND event_time < {to:DateTime64(3, 'UTC')}
      AND toUInt8OrZero(substring(toString(previous_severity), 4)) > 0
      AND toUInt8OrZero(substring(toString(severity), 4))
          > toUInt8OrZero(substring(toString(previous_severity), 4))
)
ORDER BY at, incident_id;

-- Example output (jobs/src/test/resources/analytics/seed.txt, from 2026-11-02 to 2026-11-16):
-- Escalation: downgrades:
-- at                incident_id  from_severity  to_severity  changed_by  requested_by  approved_by  verdict
-- --------------------------------------------------------------------------------------------------------------
-- 2026-11-05 09:12  INC-104      SEV2           SEV3         erin        alice         erin         approved
-- 2026-11-10 11:08  INC-202      SEV2           SEV4         carol       -             -            NOT APPROVED

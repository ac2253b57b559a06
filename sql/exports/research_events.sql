-- Research events for one service over a window of months: encounters of patients on the
-- research allow-list only (rollups.research_events; opted-out patients never contribute).
-- Interior cells only: totals are summed exactly in TypeScript before any rounding.
-- Slots (allow-listed, server/queries/dimensions.ts): {{activity_dims}}, {{group}}.
SELECT {{activity_dims}}
       CAST(SUM(research_events) AS BIGINT) AS count
FROM rollups
WHERE service = $service
  AND month >= CAST($from AS DATE) AND month <= CAST($to AS DATE)
{{group}}

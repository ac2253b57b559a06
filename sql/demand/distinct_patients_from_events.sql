-- Distinct patients over a window for one service, grouped by allow-listed dimensions that do
-- not include month (by month, rollups already hold exact distinct counts). Reads events, pruned
-- by the region/year partitions and, within them, by service (events are sorted by service, so
-- the other services' row groups are skipped); the one query that is not on the fast path.
-- Slots (allow-listed): activity_dims, group, order.
SELECT {{activity_dims}}
       CAST(count(DISTINCT pid) AS BIGINT) AS patients
FROM events
WHERE service = $service
  AND month >= CAST($from AS DATE) AND month <= CAST($to AS DATE)
  AND year >= CAST(year(CAST($from AS DATE)) AS SMALLINT) AND year <= CAST(year(CAST($to AS DATE)) AS SMALLINT)
  AND ($region IS NULL OR region = $region)
  AND ($stp IS NULL OR stp_code = $stp)
{{group}}
{{order}}

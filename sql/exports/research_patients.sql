-- Distinct research patients (on the allow-list) for one service over a window, for every
-- cell AND every margin at once: GROUP BY CUBE, because distinct counts do not add up (a
-- patient seen in March and in April is one patient in the total). total_<i> is 1 where the
-- i-th dimension is totalled. Reads events, pruned by the year partitions.
-- Slots: {{activity_dims}} (select list over events, each ending in a comma), {{output_dims}},
-- {{grouping_flags}}, {{cube}} (all built from allow-lists in server/disclosure/export/query.ts).
-- Portable: GROUP BY CUBE and GROUPING() are standard SQL (DuckDB, Spark, Trino).
WITH research_events AS (
  SELECT {{activity_dims}}
         pid
  FROM events
  WHERE service = $service
    AND month >= CAST($from AS DATE) AND month <= CAST($to AS DATE)
    AND year >= CAST(year(CAST($from AS DATE)) AS SMALLINT) AND year <= CAST(year(CAST($to AS DATE)) AS SMALLINT)
    AND pid IN (SELECT pid FROM research_allowlist)
)
SELECT {{output_dims}}
       {{grouping_flags}}
       CAST(count(DISTINCT pid) AS BIGINT) AS patients
FROM research_events
{{cube}}

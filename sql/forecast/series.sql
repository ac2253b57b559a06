-- Monthly totals of one service for one region and each of its STPs (the forecast route
-- reconciles the region with its STPs, so it needs the whole family). Months without a rollup
-- row have no activity: the caller zero-fills them over the warehouse period.
-- Portable SQL (no DuckDB-only constructs; the month is a DATE, formatted by the caller).
SELECT stp_code,
       month,
       CAST(SUM(events) AS DOUBLE) AS events,
       CAST(SUM(bed_days) AS DOUBLE) AS bed_days
FROM rollups_by_area
WHERE service = $service
  AND region = $region
GROUP BY stp_code, month
ORDER BY stp_code, month

-- Base-year seasonal shape: one area's activity of one service in each month $from..$to, by STP
-- (a region's rows are its STPs'). Portable SQL (the month is a DATE, formatted by the caller).
SELECT stp_code, month, CAST(SUM(events) AS DOUBLE) AS events
FROM rollups_by_area
WHERE service = $service
  AND month >= CAST($from AS DATE) AND month <= CAST($to AS DATE)
  AND (CASE WHEN $level = 'region' THEN region ELSE stp_code END) = $area
GROUP BY stp_code, month
ORDER BY stp_code, month

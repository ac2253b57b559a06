-- Monthly totals of every service for every STP (regions are sums of their STPs), for the
-- pipeline's batch forecasts. Portable SQL.
SELECT region,
       stp_code,
       service,
       strftime(month, '%Y-%m') AS month,
       CAST(SUM(events) AS DOUBLE) AS events,
       CAST(SUM(bed_days) AS DOUBLE) AS bed_days
FROM rollups
GROUP BY region, stp_code, service, month
ORDER BY region, stp_code, service, month

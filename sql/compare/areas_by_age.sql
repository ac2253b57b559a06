-- Events and person-years for one service over a window, by STP (with its region) and ESP2013
-- age band: the inputs to crude rates, DSRs and funnel limits for every region and STP (regions
-- are sums of their STPs, computed in the server). Reads only rollups_by_area and
-- population_by_area: the rollups and population without the IMD decile (built by the server).
-- DuckDB-only: the range() table function over dates (Spark: explode(sequence(...)), Trino:
-- UNNEST(sequence(...))); everything else is portable (README, "Portability of sql/").
WITH window_months AS (
  SELECT CAST(range AS DATE) AS month
  FROM range(CAST($from AS DATE), CAST($to AS DATE) + INTERVAL '1' MONTH, INTERVAL '1' MONTH)
),
population_years AS (
  SELECT DISTINCT year FROM population_by_area
),
month_population_year AS (
  SELECT m.month, min_by(y.year, abs(y.year - year(m.month))) AS population_year
  FROM window_months m CROSS JOIN population_years y
  GROUP BY m.month
),
-- Each population year counts for the share of a year that its window months make up: months / 12,
-- divided last so the sums stay whole numbers (the same bits in any engine, in any row order).
year_weights AS (
  SELECT population_year, count(*) AS months
  FROM month_population_year
  GROUP BY population_year
),
activity AS (
  SELECT region, stp_code, age_band, SUM(events) AS count
  FROM rollups_by_area
  WHERE service = $service
    AND month >= CAST($from AS DATE) AND month <= CAST($to AS DATE)
  GROUP BY 1, 2, 3
),
denominators AS (
  SELECT p.region, p.stp_code, p.age_band, CAST(SUM(p.population * w.months) AS DOUBLE) / 12 AS person_years
  FROM year_weights w
  JOIN population_by_area p ON p.year = w.population_year
  GROUP BY 1, 2, 3
)
SELECT region, stp_code, age_band,
       CAST(coalesce(a.count, 0) AS BIGINT) AS count,
       CAST(coalesce(d.person_years, 0) AS DOUBLE) AS person_years
FROM activity a
FULL JOIN denominators d USING (region, stp_code, age_band)
ORDER BY 1, 2, 3

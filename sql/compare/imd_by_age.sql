-- Events and person-years by IMD 2019 decile and ESP2013 age band for one service over a window,
-- for all five regions together or one region: the deprivation gradient (crude and DSR).
-- DuckDB-only: the range() table function over dates (Spark: explode(sequence(...)), Trino:
-- UNNEST(sequence(...))); everything else is portable (README, "Portability of sql/").
WITH window_months AS (
  SELECT CAST(range AS DATE) AS month
  FROM range(CAST($from AS DATE), CAST($to AS DATE) + INTERVAL '1' MONTH, INTERVAL '1' MONTH)
),
population_years AS (
  SELECT DISTINCT year FROM population
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
  SELECT imd_decile, age_band, SUM(events) AS count
  FROM rollups
  WHERE service = $service
    AND month >= CAST($from AS DATE) AND month <= CAST($to AS DATE)
    AND ($region IS NULL OR region = $region)
  GROUP BY 1, 2
),
denominators AS (
  SELECT p.imd_decile, p.age_band, CAST(SUM(p.population * w.months) AS DOUBLE) / 12 AS person_years
  FROM year_weights w
  JOIN population p ON p.year = w.population_year
  WHERE ($region IS NULL OR p.region = $region)
  GROUP BY 1, 2
)
SELECT imd_decile, age_band,
       CAST(coalesce(a.count, 0) AS BIGINT) AS count,
       CAST(coalesce(d.person_years, 0) AS DOUBLE) AS person_years
FROM activity a
FULL JOIN denominators d USING (imd_decile, age_band)
ORDER BY 1, 2

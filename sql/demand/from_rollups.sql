-- Demand for one service over a window of months, grouped by allow-listed dimensions.
-- Fast path: reads only rollups and population. Zero-filled over every cell that has a
-- population (FULL JOIN keeps activity in cells without one), with person-years for rates:
-- each window month contributes population / 12 of its year (the nearest year on file when the
-- population has no row for that year).
-- Slots (allow-listed, see server/queries/dimensions.ts): activity_dims, population_keys,
-- population_key_group, population_dims, output_dims, group, order, join, and the tables
-- rollups/population: `rollups_by_area`/`population_by_area` (the same without the IMD decile,
-- built by the server at start-up) unless the grouping has imd_decile.
-- The population is first summed to the requested non-time keys, so the join with the window
-- months stays small.
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
activity AS (
  SELECT {{activity_dims}}
         SUM(events) AS count, SUM(patients) AS patients, SUM(bed_days) AS bed_days
  FROM {{rollups}}
  WHERE service = $service
    AND month >= CAST($from AS DATE) AND month <= CAST($to AS DATE)
    AND ($region IS NULL OR region = $region)
    AND ($stp IS NULL OR stp_code = $stp)
  {{group}}
),
population_by_key AS (
  SELECT year, {{population_keys}} SUM(population) AS population
  FROM {{population}}
  WHERE ($region IS NULL OR region = $region)
    AND ($stp IS NULL OR stp_code = $stp)
  {{population_key_group}}
),
denominators AS (
  SELECT {{population_dims}}
         CAST(SUM(p.population) AS DOUBLE) / 12 AS person_years
  FROM month_population_year w
  JOIN population_by_key p ON p.year = w.population_year
  {{group}}
)
SELECT {{output_dims}}
       CAST(coalesce(a.count, 0) AS BIGINT) AS count,
       CAST(coalesce(a.patients, 0) AS BIGINT) AS patients,
       CAST(coalesce(a.bed_days, 0) AS BIGINT) AS bed_days,
       CAST(coalesce(d.person_years, 0) AS DOUBLE) AS person_years
FROM activity a
FULL JOIN denominators d {{join}}
{{order}}

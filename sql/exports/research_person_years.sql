-- Person-years at risk over the research allow-list: each window month contributes
-- population.research_population / 12 of its year (the nearest year on file when the
-- population has no row for that year), as sql/demand/from_rollups.sql does for all patients.
-- Slots: {{population_dims}}, {{group}}.
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
)
SELECT {{population_dims}}
       CAST(SUM(p.research_population) AS DOUBLE) / 12 AS person_years
FROM month_population_year w
JOIN population p ON p.year = w.population_year
{{group}}

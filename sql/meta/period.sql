-- The months covered by the rollups (first days, as DATE) and the population years on file
-- (for /api/meta). Portable SQL.
SELECT min(month) AS first_month,
       max(month) AS last_month,
       (SELECT min(year) FROM population) AS first_population_year,
       (SELECT max(year) FROM population) AS last_population_year
FROM rollups

-- The months covered by the rollups and the population years on file (for /api/meta).
SELECT strftime(min(month), '%Y-%m') AS first_month,
       strftime(max(month), '%Y-%m') AS last_month,
       (SELECT min(year) FROM population) AS first_population_year,
       (SELECT max(year) FROM population) AS last_population_year
FROM rollups

-- Base year for the planning projection: one area's activity of one service in the 12 months
-- $from..$to by STP, age band and sex, with the registered population of the nearest population
-- year. $level is 'region' or 'stp'; $area the region or STP code. A region's rows are those of
-- its STPs, each projected on its own and then summed (coherent scenarios). Portable SQL.
WITH activity AS (
  SELECT stp_code, age_band, sex,
         CAST(SUM(events) AS DOUBLE) AS events,
         CAST(SUM(bed_days) AS DOUBLE) AS bed_days
  FROM rollups_by_area
  WHERE service = $service
    AND month >= CAST($from AS DATE) AND month <= CAST($to AS DATE)
    AND (CASE WHEN $level = 'region' THEN region ELSE stp_code END) = $area
  GROUP BY stp_code, age_band, sex
),
pop_year AS (
  SELECT year FROM (SELECT DISTINCT year FROM population_by_area) y
  ORDER BY abs(year - year(CAST($to AS DATE))), year DESC
  LIMIT 1
),
pop AS (
  SELECT p.stp_code, p.age_band, p.sex, CAST(SUM(p.population) AS DOUBLE) AS population
  FROM population_by_area p JOIN pop_year y ON p.year = y.year
  WHERE (CASE WHEN $level = 'region' THEN p.region ELSE p.stp_code END) = $area
  GROUP BY p.stp_code, p.age_band, p.sex
)
SELECT coalesce(a.stp_code, p.stp_code) AS stp_code,
       coalesce(a.age_band, p.age_band) AS age_band,
       coalesce(a.sex, p.sex) AS sex,
       coalesce(a.events, 0) AS events,
       coalesce(a.bed_days, 0) AS bed_days,
       coalesce(p.population, 0) AS population
FROM activity a FULL JOIN pop p ON a.stp_code = p.stp_code AND a.age_band = p.age_band AND a.sex = p.sex
ORDER BY stp_code, age_band, sex

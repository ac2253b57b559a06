/**
 * The 19 five-year age bands of the European Standard Population 2013 (to 90+), with their
 * standard populations. Source: shared reference-data standard-population/esp2013_19_age_bands.csv
 * (Eurostat, 2013 revision).
 */
export const AGE_BANDS = [
  { band: '0-4', min: 0, esp2013: 5000 },
  { band: '5-9', min: 5, esp2013: 5500 },
  { band: '10-14', min: 10, esp2013: 5500 },
  { band: '15-19', min: 15, esp2013: 5500 },
  { band: '20-24', min: 20, esp2013: 6000 },
  { band: '25-29', min: 25, esp2013: 6000 },
  { band: '30-34', min: 30, esp2013: 6500 },
  { band: '35-39', min: 35, esp2013: 7000 },
  { band: '40-44', min: 40, esp2013: 7000 },
  { band: '45-49', min: 45, esp2013: 7000 },
  { band: '50-54', min: 50, esp2013: 7000 },
  { band: '55-59', min: 55, esp2013: 6500 },
  { band: '60-64', min: 60, esp2013: 6000 },
  { band: '65-69', min: 65, esp2013: 5500 },
  { band: '70-74', min: 70, esp2013: 5000 },
  { band: '75-79', min: 75, esp2013: 4000 },
  { band: '80-84', min: 80, esp2013: 2500 },
  { band: '85-89', min: 85, esp2013: 1500 },
  { band: '90+', min: 90, esp2013: 1000 },
] as const;

export type AgeBand = (typeof AGE_BANDS)[number]['band'];

export const AGE_BAND_CODES = AGE_BANDS.map((b) => b.band) as [AgeBand, ...AgeBand[]];

/** The ESP2013 band of an age in whole years (negative ages are a caller's bug). */
export function ageBandOf(age: number): AgeBand {
  if (!Number.isInteger(age) || age < 0) throw new RangeError(`age must be a non-negative integer, got ${age}`);
  return AGE_BANDS[Math.min(Math.floor(age / 5), 18)]!.band;
}

/** SQL expression giving the ESP2013 band of an integer age column (portable CASE, no UDF). */
export function ageBandSql(ageColumn: string): string {
  const arms = AGE_BANDS.slice(0, -1).map((b) => `WHEN ${ageColumn} < ${b.min + 5} THEN '${b.band}'`);
  return `CASE ${arms.join(' ')} ELSE '90+' END`;
}

export const SEXES = ['female', 'male'] as const;
export type Sex = (typeof SEXES)[number];

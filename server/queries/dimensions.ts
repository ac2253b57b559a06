import { trustedSql, type TrustedSql } from './trusted-sql.ts';

/**
 * The only dimensions a request may group by, each mapped to fixed column expressions: one over
 * `rollups`/`events` (same column names), one over the window months `w` joined to `population p`.
 * Output column names are the dimension names.
 */
export const DIMENSIONS = {
  month: { activity: 'month', populationKey: null, population: 'w.month AS month' },
  year: { activity: 'CAST(year(month) AS SMALLINT) AS year', populationKey: null, population: 'CAST(year(w.month) AS SMALLINT) AS year' },
  region: { activity: 'region', populationKey: 'region', population: 'p.region AS region' },
  stp: { activity: 'stp_code AS stp', populationKey: 'stp_code', population: 'p.stp_code AS stp' },
  age_band: { activity: 'age_band', populationKey: 'age_band', population: 'p.age_band AS age_band' },
  sex: { activity: 'sex', populationKey: 'sex', population: 'p.sex AS sex' },
  imd_decile: { activity: 'imd_decile', populationKey: 'imd_decile', population: 'p.imd_decile AS imd_decile' },
} as const;

export type Dimension = keyof typeof DIMENSIONS;
export const DIMENSION_NAMES = Object.keys(DIMENSIONS) as [Dimension, ...Dimension[]];
export const MAX_DIMENSIONS = 3;

export function isDimension(name: string): name is Dimension {
  return Object.prototype.hasOwnProperty.call(DIMENSIONS, name);
}

/**
 * `{{..._dims}}` select lists (each item followed by a comma, or empty), `{{population_keys}}`
 * (the population columns of the non-time dimensions) with `{{population_key_group}}`,
 * `{{group}}`, `{{order}}`, `{{join}}`, and the `{{rollups}}`/`{{population}}` tables to read.
 */
export function dimensionSlots(dims: readonly Dimension[]): Record<string, TrustedSql> {
  for (const d of dims) if (!isDimension(d)) throw new Error(`not an allowed dimension: ${String(d)}`);
  const list = (pick: (d: Dimension) => string) => dims.map((d) => `${pick(d)}, `).join('');
  const positions = dims.map((_, i) => i + 1).join(', ');
  const keys = dims.map((d) => DIMENSIONS[d].populationKey).filter((k): k is NonNullable<typeof k> => k !== null);
  return {
    population_keys: trustedSql(keys.map((k) => `${k}, `).join('')),
    population_key_group: trustedSql(`GROUP BY ${['year', ...keys].join(', ')}`),
    activity_dims: trustedSql(list((d) => DIMENSIONS[d].activity)),
    population_dims: trustedSql(list((d) => DIMENSIONS[d].population)),
    output_dims: trustedSql(list((d) => d)),
    group: trustedSql(dims.length ? `GROUP BY ${positions}` : ''),
    order: trustedSql(dims.length ? `ORDER BY ${positions}` : ''),
    // Standard SQL: USING merges the key columns of a FULL JOIN (DuckDB, Spark and Trino agree).
    join: trustedSql(dims.length ? `USING (${dims.join(', ')})` : 'ON TRUE'),
    // Without deprivation in the grouping, the smaller tables without the IMD decile serve
    // (server/store/open-warehouse.ts); the same sums, a tenth of the rows.
    rollups: trustedSql(dims.includes('imd_decile') ? 'rollups' : 'rollups_by_area'),
    population: trustedSql(dims.includes('imd_decile') ? 'population' : 'population_by_area'),
  };
}

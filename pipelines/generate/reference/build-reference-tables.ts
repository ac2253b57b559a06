/**
 * Maintenance script: rebuilds `data-samples/reference/` from the shared public reference data
 * (`../shared/reference-data`, beside the repository). The product itself never reads `../shared`;
 * it reads only what this script writes. Run: `npx tsx pipelines/generate/reference/build-reference-tables.ts`.
 * Every transformation here is described in `data-samples/SOURCE.md`.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { REGIONS, STPS } from '../../../domain/geography.ts';
import { repoRoot } from '../../../domain/reference-data.ts';
import { writeSimplifiedGeoJson } from './simplify-geojson.ts';

const shared = path.resolve(repoRoot, '../shared/reference-data');
const out = path.join(repoRoot, 'data-samples/reference');

const sqlString = (s: string) => `'${s.replaceAll("'", "''")}'`;
// Identifiers and literals below come only from the domain constants, never from input.
const regionCase = `CASE ${REGIONS.map((r) => `WHEN l.lhcre_region = ${sqlString(r.name)} THEN ${sqlString(r.code)}`).join(' ')} END`;
const stpValues = STPS.map((s) => `(${sqlString(s.code)}, ${sqlString(s.qCode)}, ${sqlString(s.name)}, ${sqlString(s.region)})`).join(', ');
const ageColumns = Array.from({ length: 91 }, (_, a) => `CAST(p."${a === 90 ? '90+' : a}" AS INTEGER) AS age_${a}`).join(', ');
const src = (rel: string) => sqlString(path.join(shared, rel));
const dst = (name: string) => sqlString(path.join(out, name));

async function main(): Promise<void> {
  mkdirSync(out, { recursive: true });
  const db = await DuckDBInstance.create(':memory:', { threads: '1' });
  const con = await db.connect();
  await con.run(`CREATE TABLE stps(stp_code VARCHAR, q_code VARCHAR, stp_name VARCHAR, region VARCHAR); INSERT INTO stps VALUES ${stpValues}`);

  await con.run(`CREATE TABLE lsoa AS
    SELECT l.lsoa_code AS lsoa11, l.stp_code, ${regionCase} AS region, CAST(d.IMD_decile AS TINYINT) AS imd_decile,
           CAST(p.total_population AS INTEGER) AS total, ${ageColumns}
    FROM read_csv(${src('geography/lookup_lsoa11_ccg21_stp21_england.csv')}, all_varchar = true) l
    JOIN read_csv(${src('population/population_lsoa_mid2019_single_year_persons.csv')}, all_varchar = true) p ON p.lsoa_code = l.lsoa_code
    JOIN read_csv(${src('deprivation/imd2019_england_lsoa11.csv')}, all_varchar = true) d ON d.lsoa11_code = l.lsoa_code
    WHERE l.lhcre_region <> '' AND l.lhcre_region IS NOT NULL
    ORDER BY l.stp_code, l.lsoa_code`);
  const check = await con.runAndReadAll(`SELECT count(*)::INTEGER n, sum(total)::BIGINT pop, count(*) FILTER (WHERE stp_code NOT IN (SELECT stp_code FROM stps))::INTEGER stray FROM lsoa`);
  const [n, pop, stray] = check.getRows()[0] as [number, bigint, number];
  if (n !== 13527 || stray !== 0) throw new Error(`unexpected LSOA selection: ${n} LSOAs, ${stray} outside the 14 STPs`);
  await con.run(`COPY lsoa TO ${dst('lsoa11_population_mid2019.csv.gz')} (FORMAT csv, HEADER, COMPRESSION gzip)`);

  await con.run(`COPY (SELECT s.stp_code, s.q_code, s.stp_name, s.region, count(*)::INTEGER AS lsoas, sum(l.total)::BIGINT AS population_mid2019
      FROM stps s JOIN lsoa l USING (stp_code) GROUP BY ALL ORDER BY s.stp_code)
    TO ${dst('stp_population_mid2019.csv')} (FORMAT csv, HEADER)`);

  await con.run(`COPY (SELECT CAST(CASE WHEN age = '90+' THEN 90 ELSE CAST(age AS INTEGER) END AS INTEGER) AS age,
        sum(CASE WHEN sex = 'females' THEN CAST(count AS BIGINT) END) AS females,
        sum(CASE WHEN sex = 'males' THEN CAST(count AS BIGINT) END) AS males,
        round(females / (females + males), 6) AS p_female
      FROM read_csv(${src('population/ons_uk_population_mid2023_single_year_age_sex_by_country.csv')}, all_varchar = true)
      WHERE Name = 'ENGLAND' GROUP BY ALL ORDER BY age)
    TO ${dst('england_sex_by_age_mid2023.csv')} (FORMAT csv, HEADER)`);

  await con.run(`COPY (SELECT * FROM read_csv(${src('standard-population/esp2013_19_age_bands.csv')}))
    TO ${dst('esp2013_19_age_bands.csv')} (FORMAT csv, HEADER)`);

  await con.run(`COPY (SELECT strftime(CAST(a.period AS DATE), '%Y-%m-%d') AS period, s.stp_code, s.q_code, s.region,
        CAST(a.att_total AS INTEGER) AS att_total, CAST(a.att_type1 AS INTEGER) AS att_type1,
        CAST(a.emadm_total AS INTEGER) AS emadm_total, CAST(a.emadm_via_ae_total AS INTEGER) AS emadm_via_ae_total
      FROM read_csv(${src('nhs-activity/ae_monthly_by_stp_icb_2017-04_2024-06.csv')}, all_varchar = true) a
      JOIN stps s ON s.q_code = a.q_code ORDER BY period, s.stp_code)
    TO ${dst('ae_monthly_by_stp_2017-04_2024-06.csv')} (FORMAT csv, HEADER)`);

  const regionByName = `CASE ${REGIONS.map((r) => `WHEN lhcre_region = ${sqlString(r.name)} THEN ${sqlString(r.code)}`).join(' ')} END`;
  await con.run(`COPY (SELECT strftime(CAST(period AS DATE), '%Y-%m-%d') AS period, ${regionByName} AS region, CAST(n_stps AS INTEGER) AS n_stps,
        CAST(att_total AS INTEGER) AS att_total, CAST(att_type1 AS INTEGER) AS att_type1,
        CAST(emadm_total AS INTEGER) AS emadm_total, CAST(emadm_via_ae_total AS INTEGER) AS emadm_via_ae_total
      FROM read_csv(${src('nhs-activity/ae_monthly_by_lhcre_region_2017-04_2024-06.csv')}, all_varchar = true) ORDER BY period, region)
    TO ${dst('ae_monthly_by_region_2017-04_2024-06.csv')} (FORMAT csv, HEADER)`);
  con.closeSync();

  const stpBytes = writeSimplifiedGeoJson(path.join(shared, 'geography/stp_apr2020_buc_england.geojson'), path.join(out, 'stps.geojson'), (p) => {
    const stp = STPS.find((s) => s.code === p['stp_code']);
    return stp ? { code: stp.code, name: stp.name, region: stp.region } : null;
  });
  const regionBytes = writeSimplifiedGeoJson(path.join(shared, 'geography/lhcre_regions_2018_from_stp_apr2020_buc.geojson'), path.join(out, 'regions.geojson'), (p) => {
    const r = REGIONS.find((x) => x.name === p['lhcre_region']);
    return r ? { code: r.code, name: r.name, region: r.code } : null;
  });
  console.log(`reference tables written to ${out}: ${n} LSOAs, population ${pop}; GeoJSON ${stpBytes + regionBytes} bytes`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});

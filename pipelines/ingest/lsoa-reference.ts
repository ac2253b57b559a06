/**
 * The LSOAs of the five exemplars with their STP, region and IMD 2019 decile, from the committed
 * reference table (`data-samples/reference/`, see its SOURCE.md). A patient whose LSOA is not
 * here lives outside the five exemplars and is rejected as `unknown_lsoa`.
 */
import { referencePath } from '../../domain/reference-data.ts';
import { sqlString, type PipelineDb } from './db.ts';
import { sha256OfFile } from './inputs.ts';

export const DEFAULT_LSOA_REFERENCE = referencePath('lsoaPopulation');

export async function loadLsoaReference(db: PipelineDb, file = DEFAULT_LSOA_REFERENCE): Promise<{ sha256: string; rows: number }> {
  await db.run(
    'lsoa reference',
    `CREATE OR REPLACE TEMP TABLE lsoa_ref AS
     SELECT lsoa11::VARCHAR AS lsoa11, stp_code::VARCHAR AS stp_code, region::VARCHAR AS region, imd_decile::TINYINT AS imd_decile
     FROM read_csv(${sqlString(file)}, header = true)`,
  );
  const rows = Number(await db.scalar<bigint>('lsoa reference', 'SELECT count(*) FROM lsoa_ref'));
  return { sha256: await sha256OfFile(file), rows };
}

/**
 * The `patients`, `research_allowlist` tables (README schema). `visible_patients` is the view of
 * `patients_loaded` that the opt-out policy lets into the warehouse.
 */
import path from 'node:path';
import type { PipelineDb } from '../ingest/db.ts';
import { writeParquet } from './parquet.ts';

export type OptOutPolicy = 'research' | 'all';

export async function createVisiblePatients(db: PipelineDb, policy: OptOutPolicy): Promise<void> {
  // research: opted-out patients stay in all-patient tables and leave research ones; all: they leave every table.
  const where = policy === 'all' ? 'research' : 'true';
  await db.run('visible patients', `CREATE OR REPLACE VIEW visible_patients AS SELECT * FROM patients_loaded WHERE ${where}`);
}

export function writePatients(db: PipelineDb, outDir: string): Promise<number> {
  return writeParquet(
    db,
    'write patients',
    `SELECT pid, sex, year(birth_date)::SMALLINT AS birth_year, date_trunc('month', death_date)::DATE AS death_month,
       lsoa11, imd_decile, stp_code, region, gp_practice
     FROM visible_patients`,
    path.join(outDir, 'patients', 'data.parquet'),
  );
}

export function writeAllowlist(db: PipelineDb, outDir: string): Promise<number> {
  return writeParquet(db, 'write allow-list', 'SELECT pid FROM visible_patients WHERE research', path.join(outDir, 'research_allowlist', 'data.parquet'));
}

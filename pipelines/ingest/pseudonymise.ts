/**
 * Loaded patients get their pseudonym (computed in DuckDB, HMAC with the bound key pads), the
 * opt-out is applied while NHS numbers still exist, then the NHS number column is dropped so no
 * later step can write it.
 */
import { blobValue } from '@duckdb/node-api';
import { nhsNumberValidSql } from '../../domain/nhs-number.ts';
import type { PipelineDb } from './db.ts';
import { EXIT_BUILD_FAILED, EXIT_USAGE, PipelineError } from './errors.ts';
import { bigintFromHexSql, hmacHexSql, type PseudonymKey } from './key.ts';
import { isInvalidUnicodeError } from './read-lines.ts';
import { linesSql } from './read-lines.ts';

export interface OptOutCounts {
  /** Distinct NHS numbers on the list. */
  listed: number;
  /** Entries that are not valid NHS numbers (they can match nobody). */
  invalid: number;
  /** Listed NHS numbers that belong to a loaded patient. */
  matched: number;
  /** Loaded patients not on the list: the research allow-list. */
  allowlisted: number;
}

export async function pseudonymisePatients(db: PipelineDb, key: PseudonymKey): Promise<void> {
  await db.run(
    'pseudonymise',
    `CREATE OR REPLACE TABLE patients_loaded AS
     WITH h AS (SELECT *, ${hmacHexSql('nhs')} AS h FROM patient_final WHERE reason IS NULL)
     SELECT id, nhs, ${bigintFromHexSql('h')} AS pid, sex, birth_date, death_date, lsoa11, imd_decile, stp_code, region, gp_practice,
       true AS research
     FROM h`,
    { ipad: blobValue(key.ipad), opad: blobValue(key.opad) },
  );
  // NHS numbers are unique here (duplicates were rejected), so equal pseudonyms mean a collision.
  const collisions = Number(await db.scalar<bigint>('collision check', 'SELECT count(*) - count(DISTINCT pid) FROM patients_loaded'));
  if (collisions > 0) {
    throw new PipelineError(`pseudonym collision: ${collisions} NHS numbers share a pseudonym with another; the build is not published`, EXIT_BUILD_FAILED);
  }
}

export async function applyOptOut(db: PipelineDb, optOutFile: string): Promise<OptOutCounts> {
  try {
    await db.run(
      'opt-out',
      `CREATE OR REPLACE TEMP TABLE opt_out AS
       SELECT DISTINCT replace(trim(line), ' ', '') AS nhs FROM (${linesSql(optOutFile, 0)})
       WHERE line IS NOT NULL AND trim(line) <> '' AND NOT starts_with(trim(line), '#')`,
    );
  } catch (e) {
    if (isInvalidUnicodeError(e)) throw new PipelineError(`the opt-out list ${optOutFile} is not UTF-8 text`, EXIT_USAGE);
    throw e;
  }
  await db.run('opt-out', 'UPDATE patients_loaded SET research = false WHERE nhs IN (SELECT nhs FROM opt_out)');
  const [c] = await db.rows<Record<keyof OptOutCounts, bigint>>(
    'opt-out',
    `SELECT (SELECT count(*) FROM opt_out) AS listed,
            (SELECT count(*) FROM opt_out WHERE NOT coalesce(${nhsNumberValidSql('nhs')}, false)) AS invalid,
            (SELECT count(*) FROM patients_loaded WHERE NOT research) AS matched,
            (SELECT count(*) FROM patients_loaded WHERE research) AS allowlisted`,
  );
  await db.run('drop identifiers', 'ALTER TABLE patients_loaded DROP COLUMN nhs');
  return { listed: Number(c!.listed), invalid: Number(c!.invalid), matched: Number(c!.matched), allowlisted: Number(c!.allowlisted) };
}

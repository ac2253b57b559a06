/** The mapping table: most specific row wins, and it is data (the committed CSV). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PipelineDb } from '../../pipelines/ingest/db.ts';
import { loadServiceMapping, readServiceMapping, serviceExprSql, serviceJoinsSql } from '../../pipelines/ingest/service-mapping.ts';
import { cleanTempDirs, tempDir } from './helpers.ts';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

let db: PipelineDb;
beforeAll(async () => {
  db = await PipelineDb.open({ threads: 1, memoryLimit: '256MB', spillDir: tempDir() });
  await loadServiceMapping(db, readServiceMapping());
});
afterAll(() => {
  db.close();
  cleanTempDirs();
});

async function serviceOf(cls: string, type: string, priority: string): Promise<string | null> {
  const [r] = await db.rows<{ service: string | null }>(
    'test',
    `SELECT ${serviceExprSql} AS service FROM (SELECT $c AS class_code, $t AS type_code, $p AS priority_code) e ${serviceJoinsSql('e')}`,
    { c: cls, t: type, p: priority },
  );
  return r!.service;
}

describe('service mapping', () => {
  it.each([
    ['EMER', '4525004', 'EM', 'ae_attendance'],
    ['IMP', '183452005', 'EM', 'emergency_admission'],
    ['IMP', '', 'EM', 'emergency_admission'], // class and priority
    ['IMP', '', '', 'elective_admission'], // class only (Synthea inpatient without priority)
    ['IMP', '8715000', 'EM', 'elective_admission'], // type beats class and priority
    ['SS', '8715000', 'EL', 'elective_admission'],
    ['AMB', '11429006', 'R', 'outpatient_appointment'],
    ['AMB', '185347001', 'R', 'gp_appointment'],
    ['AMB', '185349003', '', 'gp_appointment'], // Synthea check up
    ['AMB', '999999', '', 'outpatient_appointment'], // unknown type: class fallback
    ['VR', '', '', 'gp_appointment'],
    ['HH', '439708006', 'R', 'community_contact'],
  ])('%s %s %s -> %s', async (c, t, p, want) => {
    expect(await serviceOf(c, t, p)).toBe(want);
  });

  it('an unmapped class gives no service (rejected as unmapped_service)', async () => {
    expect(await serviceOf('OBSENC', '4525004', 'EM')).toBeNull();
    expect(await serviceOf('', '', '')).toBeNull();
  });

  it('rejects a table with an unknown service or a duplicated key, naming the row', () => {
    const dir = tempDir();
    const f = path.join(dir, 'm.csv');
    writeFileSync(f, 'class_code,type_code,priority_code,service,rule\nEMER,*,*,a_and_e,x\n');
    expect(() => readServiceMapping(f)).toThrow(/row 2: service/);
    writeFileSync(f, 'class_code,type_code,priority_code,service,rule\nEMER,*,*,ae_attendance,x\nEMER,*,*,gp_appointment,y\n');
    expect(() => readServiceMapping(f)).toThrow(/two rows for EMER,\*,\*/);
  });
});

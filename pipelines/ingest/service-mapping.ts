/**
 * The FHIR-codes-to-service table (`data-samples/service_mapping.csv`) as data: read, validated,
 * loaded into DuckDB, and applied by equality joins in order of specificity (type and priority,
 * then type, then class and priority, then class only), so adding a code never needs code.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { dataSamplesDir, parseCsv } from '../../domain/reference-data.ts';
import { SERVICE_CODES } from '../../domain/services.ts';
import type { PipelineDb } from './db.ts';
import { EXIT_USAGE, PipelineError } from './errors.ts';

export const DEFAULT_SERVICE_MAPPING = path.join(dataSamplesDir, 'service_mapping.csv');

const code = z.string().regex(/^(\*|[A-Za-z0-9._-]+)$/, 'a code or *');
const Row = z.object({
  class_code: z.string().regex(/^[A-Za-z0-9._-]+$/, 'a class code (no wildcard: every row names its class)'),
  type_code: code,
  priority_code: code,
  service: z.enum(SERVICE_CODES),
  rule: z.string(),
});
export type MappingRow = z.infer<typeof Row>;

export interface ServiceMapping {
  rows: MappingRow[];
  sha256: string;
}

export function readServiceMapping(file = DEFAULT_SERVICE_MAPPING): ServiceMapping {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new PipelineError(`cannot read the service mapping ${file}`, EXIT_USAGE, { cause });
  }
  const rows = parseCsv(text).map((r, i) => {
    const parsed = Row.safeParse(r);
    if (!parsed.success) throw new PipelineError(`${file} row ${i + 2}: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`, EXIT_USAGE);
    return parsed.data;
  });
  const seen = new Set<string>();
  for (const r of rows) {
    const key = `${r.class_code}|${r.type_code}|${r.priority_code}`;
    if (seen.has(key)) throw new PipelineError(`${file}: two rows for ${key.replaceAll('|', ',')}`, EXIT_USAGE);
    seen.add(key);
  }
  return { rows, sha256: createHash('sha256').update(text).digest('hex') };
}

export async function loadServiceMapping(db: PipelineDb, mapping: ServiceMapping): Promise<void> {
  await db.run('service map', 'CREATE OR REPLACE TABLE service_map (class_code VARCHAR, type_code VARCHAR, priority_code VARCHAR, service VARCHAR)');
  for (const r of mapping.rows) {
    await db.run('service map', 'INSERT INTO service_map VALUES ($c, $t, $p, $s)', { c: r.class_code, t: r.type_code, p: r.priority_code, s: r.service });
  }
}

/**
 * The joins (to add to a FROM over `alias`, which has columns class_code, type_code,
 * priority_code) and the expression that picks the most specific match.
 */
export function serviceJoinsSql(alias: string): string {
  return `
  LEFT JOIN service_map m3 ON m3.class_code = ${alias}.class_code AND m3.type_code = ${alias}.type_code AND m3.priority_code = ${alias}.priority_code
  LEFT JOIN service_map m2 ON m2.class_code = ${alias}.class_code AND m2.type_code = ${alias}.type_code AND m2.priority_code = '*'
  LEFT JOIN service_map m1 ON m1.class_code = ${alias}.class_code AND m1.type_code = '*' AND m1.priority_code = ${alias}.priority_code
  LEFT JOIN service_map m0 ON m0.class_code = ${alias}.class_code AND m0.type_code = '*' AND m0.priority_code = '*'`;
}
export const serviceExprSql = 'coalesce(m3.service, m2.service, m1.service, m0.service)';

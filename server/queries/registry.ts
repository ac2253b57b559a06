import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ZodType } from 'zod';
import type { SqlParams } from '../db.ts';
import type { TrustedSql } from './trusted-sql.ts';

/**
 * One query: `sql/<area>/<name>.sql`, id `<area>/<name>`. Its bind parameters are `$name`
 * placeholders; its schema is `sql/<area>/<name>.params.ts` exporting `params` (a zod object
 * describing the bind values). Optional `{{slot}}` markers take allow-listed SQL only
 * (TrustedSql), e.g. the grouping dimensions.
 */
export interface QueryDef {
  id: string;
  file: string;
  sql: string;
  slots: readonly string[];
  params: ZodType<SqlParams> | null;
}

export interface PreparedQuery {
  id: string;
  sql: string;
  params: SqlParams;
}

export class UnknownQueryError extends Error {
  override readonly name = 'UnknownQueryError';
}

export interface QueryRegistry {
  ids(): string[];
  get(id: string): QueryDef;
  /** Validates params with the query's schema and fills its slots (slots it lacks are ignored). */
  prepare(id: string, params: SqlParams, slots?: Record<string, TrustedSql>): PreparedQuery;
}

const SLOT_RE = /\{\{([a-z_][a-z0-9_]*)\}\}/g;

async function listSqlFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listSqlFiles(full)));
    else if (entry.isFile() && entry.name.endsWith('.sql')) out.push(full);
  }
  return out.sort();
}

async function loadSchema(sqlFile: string): Promise<ZodType<SqlParams> | null> {
  const schemaFile = sqlFile.replace(/\.sql$/, '.params.ts');
  try {
    await readFile(schemaFile);
  } catch {
    return null;
  }
  const mod = (await import(pathToFileURL(schemaFile).href)) as { params?: ZodType<SqlParams> };
  if (!mod.params) throw new Error(`${schemaFile} must export 'params' (a zod schema)`);
  return mod.params;
}

export async function loadQueryRegistry(sqlDir: string): Promise<QueryRegistry> {
  const defs = new Map<string, QueryDef>();
  for (const file of await listSqlFiles(sqlDir)) {
    const id = path.relative(sqlDir, file).replace(/\\/g, '/').replace(/\.sql$/, '');
    const sql = await readFile(file, 'utf8');
    const slots = [...new Set([...sql.matchAll(SLOT_RE)].map((m) => m[1]!))];
    defs.set(id, { id, file, sql, slots, params: await loadSchema(file) });
  }
  return createRegistry(defs);
}

function createRegistry(defs: Map<string, QueryDef>): QueryRegistry {
  const get = (id: string): QueryDef => {
    const def = defs.get(id);
    if (!def) throw new UnknownQueryError(`no query '${id}' in sql/`);
    return def;
  };
  return {
    ids: () => [...defs.keys()],
    get,
    prepare(id, params, slots = {}) {
      const def = get(id);
      const sql = def.sql.replace(SLOT_RE, (_, name: string) => {
        const value = slots[name];
        if (value === undefined) throw new Error(`query ${id}: slot {{${name}}} not filled`);
        return value;
      });
      const parsed = def.params ? def.params.parse(params) : params;
      return { id, sql, params: parsed };
    },
  };
}

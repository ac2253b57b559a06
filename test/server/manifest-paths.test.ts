/**
 * `GET /api/manifest` (and `/api/meta`, which carries the run's counts) never shows an absolute
 * path of the server, for any role: the pipeline's manifest.json holds the quarantine folder's
 * absolute path (and a forecast failure or an older manifest may hold more), which the planners'
 * view used to pass through as it was.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../server/auth/roles.ts';
import { startServer, type RunningServer } from '../../server/start.ts';
import { isAbsolutePath, manifestForApi, withoutAbsolutePaths } from '../../server/store/manifest-view.ts';
import { badCorpus, cleanTempDirs, repoRoot, run, tempDir } from '../pipeline/helpers.ts';
import { get, testAuthStore } from './helpers.ts';

/** Every key and string value in a JSON value. */
function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => [k, ...strings(x)]);
  return [];
}

let root: string;
let runId: string;
const servers: RunningServer[] = [];
const bases: Record<'pipeline' | 'planted', string> = { pipeline: '', planted: '' };

async function serve(warehouseDir: string): Promise<string> {
  const s = await startServer({ warehouseDir, auth: testAuthStore(), port: 0, staticDir: null, stateDir: path.join(root, `state-${servers.length}`), logger: pino({ level: 'silent' }), threads: 1 });
  servers.push(s);
  return s.url;
}

beforeAll(async () => {
  root = tempDir('lhcre-manifest-paths-');
  const input = path.join(root, 'input');
  cpSync(badCorpus, input, { recursive: true });
  const { manifest } = await run(input, root);
  runId = manifest.runId;
  const warehouse = path.join(root, 'warehouse');
  expect(manifest.quarantine.folder.startsWith(root)).toBe(true); // the file on disk does hold a server path
  bases.pipeline = await serve(warehouse);
  // The same warehouse with a manifest as an older pipeline or a failed forecast writes it.
  const planted = path.join(root, 'planted');
  cpSync(warehouse, planted, { recursive: true });
  const m = JSON.parse(readFileSync(path.join(planted, 'manifest.json'), 'utf8')) as Record<string, unknown> & { inputs: { file: string }[] };
  m.inputs[0]!.file = path.join(input, m.inputs[0]!.file);
  m['forecasts'] = { status: 'failed', reason: `IO Error: Cannot open file "${warehouse}.tmp-77/rollups/data.parquet": No such file or directory` };
  m['warehouse'] = warehouse;
  m['notes'] = [`built from ${input} by ${repoRoot}/pipelines/ingest/cli.ts`, 'C:\\Users\\planner\\rec\\Patient.000.ndjson'];
  writeFileSync(path.join(planted, 'manifest.json'), JSON.stringify(m));
  bases.planted = await serve(planted);
});

afterAll(async () => {
  for (const s of servers) await s.close();
  cleanTempDirs();
});

describe('no absolute server path in the manifest views', () => {
  for (const which of ['pipeline', 'planted'] as const) {
    for (const role of ROLES) {
      for (const endpoint of ['/api/manifest', '/api/meta']) {
        it(`${which} warehouse, ${role}, ${endpoint}`, async () => {
          const res = await get(bases[which], endpoint, role);
          expect(res.status).toBe(200);
          const text = await res.text();
          for (const p of [root, repoRoot, os.tmpdir(), os.homedir()]) expect(text).not.toContain(p);
          const bad = strings(JSON.parse(text)).filter((s) => isAbsolutePath(s) || /(^|[\s"'(])(\/|[A-Za-z]:\\)[^\s]/.test(s));
          expect(bad).toEqual([]);
        });
      }
    }
  }

  it('keeps what the data manager needs: file names relative to the input folder, the quarantine run folder', async () => {
    const m = (await (await get(bases.pipeline, '/api/manifest', 'planner')).json()) as { inputs: { file: string }[]; quarantine: { folder: string; files: { file: string }[] }; optOut: { file: string } };
    expect(m.inputs.map((i) => i.file)).toEqual(['Condition.000.ndjson', 'Condition.001.ndjson', 'Encounter.000.ndjson', 'Encounter.001.ndjson.gz', 'Patient.000.ndjson']);
    expect(m.quarantine.folder).toBe(`warehouse.quarantine/${runId}`);
    expect(m.quarantine.files.length).toBeGreaterThan(0);
    expect(m.optOut.file).toBe('national-data-opt-out.txt');
    const planted = (await (await get(bases.planted, '/api/manifest', 'admin')).json()) as Record<string, unknown> & { inputs: { file: string }[]; forecasts: { reason: string } };
    expect(planted.inputs[0]!.file).toBe('Condition.000.ndjson');
    expect(planted.forecasts.reason).toBe('IO Error: Cannot open file "data.parquet": No such file or directory');
    expect(planted['warehouse']).toBe('warehouse');
    expect(planted['notes']).toEqual(['built from input by cli.ts', 'Patient.000.ndjson']);
  });

  it('the researcher summary is the counts only, also without paths', async () => {
    const m = (await (await get(bases.planted, '/api/manifest', 'researcher')).json()) as Record<string, unknown>;
    expect(Object.keys(m).sort()).toEqual(['counts', 'finishedAt', 'runId', 'schemaVersion']);
  });
});

describe('manifestForApi', () => {
  it('cuts absolute paths in text to their last part and leaves everything else alone', () => {
    expect(withoutAbsolutePaths('cannot open /srv/lhcre/wh.tmp-1/rollups/data.parquet: gone')).toBe('cannot open data.parquet: gone');
    expect(withoutAbsolutePaths("'/a/b' (/c/d) x=/e/f")).toBe("'b' (d) x=f");
    expect(withoutAbsolutePaths('D:\\exports\\rec\\Patient.ndjson')).toBe('Patient.ndjson');
    for (const keep of ['https://fhir.nhs.uk/Id/nhs-number', '2024-01-01T00:00:00.000Z', '1/2 of 3', 'rollups/data.parquet', 'Patient.000.ndjson', '0.3.1+abc123', 'a-b']) {
      expect(withoutAbsolutePaths(keep)).toBe(keep);
    }
    expect(manifestForApi({ quarantine: { folder: '/srv/q/0123456789abcdef', files: [{ file: 'P.rejects.ndjson', rejects: 2 }] }, n: 3, ok: true, none: null })).toEqual({
      quarantine: { folder: 'q/0123456789abcdef', files: [{ file: 'P.rejects.ndjson', rejects: 2 }] },
      n: 3,
      ok: true,
      none: null,
    });
  });
});
